# The idempotency-key store now belongs to the tracker (tracker 0008 took it over with its
# table, api_idempotencykey, and its rows): the api app only forgets it. No database change.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_initial"),
        ("tracker", "0008_idempotency_key_from_api"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="IdempotencyKey")],
        ),
    ]
