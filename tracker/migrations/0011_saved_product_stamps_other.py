""""My magnesium" (tracker_savedproduct) bumps the "other" stamp instead of "doses"
(tracker/models/stamp.py): no dose figure reads it, and the dashboard keeps it with the other
records it caches across doses. Its triggers are made again with the new group, as migration
0010 made them; backwards, with the old one.
"""

import importlib

from django.db import migrations

TABLE = "tracker_savedproduct"
# 0010's groups, operations and upsert: the triggers made here are 0010's, for another group.
GROUP_STAMPS = importlib.import_module("tracker.migrations.0010_data_stamp_groups")


def _stamp_with(group: str):
    def make_triggers(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor == "postgresql":
            # 0010's trigger function takes the group as its argument.
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_stamp ON {TABLE}")
            schema_editor.execute(
                f"CREATE TRIGGER {TABLE}_stamp AFTER INSERT OR UPDATE OR DELETE ON {TABLE} "
                f"FOR EACH ROW EXECUTE FUNCTION tracker_stamp_group_by_user('{group}')"
            )
        elif connection.vendor == "sqlite":
            bumps = ", ".join("1" if name == group else "0" for name in GROUP_STAMPS.GROUPS)
            for operation in GROUP_STAMPS.OPERATIONS:
                row = "OLD" if operation == "DELETE" else "NEW"
                name = f"{TABLE}_stamp_{operation.lower()}"
                upsert = GROUP_STAMPS.UPSERT.format(owner=f"{row}.user_id", bumps=bumps)
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
                schema_editor.execute(
                    f"CREATE TRIGGER {name} AFTER {operation} ON {TABLE} FOR EACH ROW "
                    f"BEGIN {upsert}; END"
                )
        else:
            raise NotImplementedError(f"tracker data stamp triggers for {connection.vendor}")

    return make_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0010_data_stamp_groups"),
    ]

    operations = [
        migrations.RunPython(_stamp_with("other"), _stamp_with("doses")),
    ]
