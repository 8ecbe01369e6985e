from django.conf import settings
from django.db import migrations, models

# Room on each page for the new versions of a row: the sender updates every delivery twice
# (pending → sending → sent), and with space on the same page and no indexed column changed
# PostgreSQL updates it in place (HOT), without touching any index.
DELIVERY_FILLFACTOR = 50


def leave_room_for_updates(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("reminders", "Delivery")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {DELIVERY_FILLFACTOR})")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("reminders", "Delivery")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="delivery",
            name="reminder_delivery_open_idx",
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(fields=["due_at"], name="reminder_delivery_due_idx"),
        ),
        migrations.RunPython(leave_room_for_updates, fill_pages),
    ]
