# The idempotency-key store moves from the api app to the tracker, which the web forms (the
# offline queue) and the API both use. Only Django's picture of the models changes: the table
# keeps its name (api_idempotencykey) and its rows. api 0002 forgets the model afterwards.

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_initial"),
        ("tracker", "0007_sleep_import"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyKey",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=255)),
                        ("fingerprint", models.CharField(max_length=64)),
                        ("status_code", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("body", models.JSONField(blank=True, encoder=django.core.serializers.json.DjangoJSONEncoder, null=True)),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="idempotency_keys", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "api_idempotencykey",
                        "constraints": [models.UniqueConstraint(fields=("user", "key"), name="idempotency_key_once_per_user")],
                    },
                ),
            ],
        ),
    ]
