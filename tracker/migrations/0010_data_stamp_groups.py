"""One data stamp per group of tables (tracker/models/stamp.py) instead of 0009's single
stamp, so a dose no longer invalidates the cached parts built from nights only.

0009's triggers are dropped (its own code, run backwards) and each table gets a trigger that
bumps its group's column. The table lists are copied here, not imported, so this migration
keeps meaning what it meant when it ran.
"""

import importlib

from django.db import migrations, models

TABLE_GROUPS = {
    "tracker_nightlog": "nights",
    "tracker_dose": "doses",
    "tracker_savedproduct": "doses",
    "tracker_eveningskip": "other",
    "tracker_experiment": "other",
    "tracker_othermedicine": "other",
    "tracker_labresult": "other",
    "tracker_ironproduct": "other",
    "tracker_trial": "other",
    "tracker_experimentamendment": "other",
    "tracker_experimentcapsule": "other",
    "tracker_experimentlook": "other",
}
GROUPS = ("nights", "doses", "other")
BY_EXPERIMENT = (
    "tracker_experimentamendment",
    "tracker_experimentcapsule",
    "tracker_experimentlook",
)
OPERATIONS = ("INSERT", "UPDATE", "DELETE")
# The inserted row holds 1 in the group's column and 0 in the others, so adding the excluded
# row's values bumps the group's stamp alone. A row of an experiment's child table whose
# experiment is already gone (or a user_id that is null) upserts nothing.
UPSERT = (
    "INSERT INTO tracker_datastamp (user_id, nights, doses, other) "
    "SELECT {owner}, {bumps} WHERE {owner} IS NOT NULL ON CONFLICT (user_id) DO UPDATE SET "
    "nights = tracker_datastamp.nights + excluded.nights, "
    "doses = tracker_datastamp.doses + excluded.doses, "
    "other = tracker_datastamp.other + excluded.other"
)
# The group is the trigger's argument (TG_ARGV[0]).
POSTGRES_BUMPS = ", ".join(f"(TG_ARGV[0] = '{group}')::int" for group in GROUPS)
# {upsert} is UPSERT for the row's owner (names from the constants above, no values).
POSTGRES_FUNCTIONS_TEMPLATE = """
CREATE OR REPLACE FUNCTION tracker_stamp_group_by_user() RETURNS trigger AS $$
DECLARE owner bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN owner := OLD.user_id; ELSE owner := NEW.user_id; END IF;
    {upsert};
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION tracker_stamp_group_by_experiment() RETURNS trigger AS $$
DECLARE owner bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT user_id INTO owner FROM tracker_experiment WHERE id = OLD.experiment_id;
    ELSE
        SELECT user_id INTO owner FROM tracker_experiment WHERE id = NEW.experiment_id;
    END IF;
    {upsert};
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION tracker_stamp_group_forget_user() RETURNS trigger AS $$
BEGIN
    DELETE FROM tracker_datastamp WHERE user_id = OLD.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""
POSTGRES_FUNCTIONS = POSTGRES_FUNCTIONS_TEMPLATE.replace(
    "{upsert}", UPSERT.format(owner="owner", bumps=POSTGRES_BUMPS)
)


def _single_stamp_migration():
    return importlib.import_module("tracker.migrations.0009_data_stamp")


def drop_single_stamp_triggers(apps, schema_editor):
    _single_stamp_migration().drop_triggers(apps, schema_editor)


def create_single_stamp_triggers(apps, schema_editor):
    _single_stamp_migration().create_triggers(apps, schema_editor)


def _sqlite_owner(table: str, row: str) -> str:
    if table not in BY_EXPERIMENT:
        return f"{row}.user_id"
    # Names from the constants above, no values: nothing from outside reaches this SQL.
    return f"(SELECT user_id FROM tracker_experiment WHERE id = {row}.experiment_id)"  # noqa: S608  # nosec B608


def create_group_triggers(apps, schema_editor):
    connection = schema_editor.connection
    user_table = apps.get_model("accounts", "User")._meta.db_table
    statements = []
    if connection.vendor == "postgresql":
        statements.append(POSTGRES_FUNCTIONS)
        for table, group in TABLE_GROUPS.items():
            owner = "experiment" if table in BY_EXPERIMENT else "user"
            statements.append(
                f"CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION tracker_stamp_group_by_{owner}('{group}')"
            )
        statements.append(
            f"CREATE TRIGGER tracker_stamp_forget AFTER DELETE ON {user_table} "
            "FOR EACH ROW EXECUTE FUNCTION tracker_stamp_group_forget_user()"
        )
    elif connection.vendor == "sqlite":
        for table, group in TABLE_GROUPS.items():
            bumps = ", ".join("1" if name == group else "0" for name in GROUPS)
            for operation in OPERATIONS:
                row = "OLD" if operation == "DELETE" else "NEW"
                upsert = UPSERT.format(owner=_sqlite_owner(table, row), bumps=bumps)
                statements.append(
                    f"CREATE TRIGGER {table}_stamp_{operation.lower()} AFTER {operation} "
                    f"ON {table} FOR EACH ROW BEGIN {upsert}; END"
                )
        statements.append(
            f"CREATE TRIGGER tracker_stamp_forget AFTER DELETE ON {user_table} FOR EACH ROW "  # noqa: S608  # nosec B608
            "BEGIN DELETE FROM tracker_datastamp WHERE user_id = OLD.id; END"
        )
    else:
        raise NotImplementedError(f"tracker data stamp triggers for {connection.vendor}")
    for statement in statements:
        schema_editor.execute(statement)


def drop_group_triggers(apps, schema_editor):
    connection = schema_editor.connection
    user_table = apps.get_model("accounts", "User")._meta.db_table
    if connection.vendor == "postgresql":
        for table in TABLE_GROUPS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS tracker_stamp_forget ON {user_table}")
        for function in ("by_user", "by_experiment", "forget_user"):
            schema_editor.execute(f"DROP FUNCTION IF EXISTS tracker_stamp_group_{function}()")
    else:
        for table in TABLE_GROUPS:
            for operation in OPERATIONS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_{operation.lower()}")
        schema_editor.execute("DROP TRIGGER IF EXISTS tracker_stamp_forget")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0009_data_stamp"),
    ]

    operations = [
        migrations.RunPython(drop_single_stamp_triggers, create_single_stamp_triggers),
        migrations.RemoveField("datastamp", "stamp"),
        migrations.AddField("datastamp", "nights", models.BigIntegerField(default=0)),
        migrations.AddField("datastamp", "doses", models.BigIntegerField(default=0)),
        migrations.AddField("datastamp", "other", models.BigIntegerField(default=0)),
        migrations.RunPython(create_group_triggers, drop_group_triggers),
    ]
