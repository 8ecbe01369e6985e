"""The per-user data stamp (tracker/models/stamp.py) and the triggers that bump it.

The table lists are copied here, not imported, so this migration keeps meaning what it
meant when it ran; a later table gets its trigger in its own migration (the census test in
tests/tracker/test_page_cache.py says which tables lack one).
"""

from django.db import migrations, models

BY_USER = (
    "tracker_nightlog",
    "tracker_dose",
    "tracker_savedproduct",
    "tracker_eveningskip",
    "tracker_experiment",
    "tracker_othermedicine",
    "tracker_labresult",
    "tracker_ironproduct",
    "tracker_trial",
)
BY_EXPERIMENT = (
    "tracker_experimentamendment",
    "tracker_experimentcapsule",
    "tracker_experimentlook",
)
OPERATIONS = ("INSERT", "UPDATE", "DELETE")
# A row of an experiment's child table whose experiment is already gone (or a user_id that is
# null) upserts nothing: INSERT ... SELECT ... WHERE owner IS NOT NULL.
UPSERT = (
    "INSERT INTO tracker_datastamp (user_id, stamp) SELECT {owner}, 1 WHERE {owner} IS NOT NULL "
    "ON CONFLICT (user_id) DO UPDATE SET stamp = tracker_datastamp.stamp + 1"
)

POSTGRES_FUNCTIONS = """
CREATE OR REPLACE FUNCTION tracker_stamp_by_user() RETURNS trigger AS $$
DECLARE owner bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN owner := OLD.user_id; ELSE owner := NEW.user_id; END IF;
    INSERT INTO tracker_datastamp (user_id, stamp) SELECT owner, 1 WHERE owner IS NOT NULL
    ON CONFLICT (user_id) DO UPDATE SET stamp = tracker_datastamp.stamp + 1;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION tracker_stamp_by_experiment() RETURNS trigger AS $$
DECLARE owner bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT user_id INTO owner FROM tracker_experiment WHERE id = OLD.experiment_id;
    ELSE
        SELECT user_id INTO owner FROM tracker_experiment WHERE id = NEW.experiment_id;
    END IF;
    INSERT INTO tracker_datastamp (user_id, stamp) SELECT owner, 1 WHERE owner IS NOT NULL
    ON CONFLICT (user_id) DO UPDATE SET stamp = tracker_datastamp.stamp + 1;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION tracker_stamp_forget_user() RETURNS trigger AS $$
BEGIN
    DELETE FROM tracker_datastamp WHERE user_id = OLD.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


def _sqlite_owner(table: str, row: str) -> str:
    if table in BY_USER:
        return f"{row}.user_id"
    # Names from the constants above, no values: nothing from outside reaches this SQL.
    return f"(SELECT user_id FROM tracker_experiment WHERE id = {row}.experiment_id)"  # noqa: S608  # nosec B608


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    user_table = apps.get_model("accounts", "User")._meta.db_table
    statements = []
    if connection.vendor == "postgresql":
        statements.append(POSTGRES_FUNCTIONS)
        for table in (*BY_USER, *BY_EXPERIMENT):
            function = (
                "tracker_stamp_by_user" if table in BY_USER else "tracker_stamp_by_experiment"
            )
            statements.append(
                f"CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()"
            )
        statements.append(
            f"CREATE TRIGGER tracker_stamp_forget AFTER DELETE ON {user_table} "
            "FOR EACH ROW EXECUTE FUNCTION tracker_stamp_forget_user()"
        )
    elif connection.vendor == "sqlite":
        for table in (*BY_USER, *BY_EXPERIMENT):
            for operation in OPERATIONS:
                row = "OLD" if operation == "DELETE" else "NEW"
                upsert = UPSERT.format(owner=_sqlite_owner(table, row))
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


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    user_table = apps.get_model("accounts", "User")._meta.db_table
    if connection.vendor == "postgresql":
        for table in (*BY_USER, *BY_EXPERIMENT):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS tracker_stamp_forget ON {user_table}")
        for function in ("by_user", "by_experiment", "forget_user"):
            schema_editor.execute(f"DROP FUNCTION IF EXISTS tracker_stamp_{function}()")
    else:
        for table in (*BY_USER, *BY_EXPERIMENT):
            for operation in OPERATIONS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_{operation.lower()}")
        schema_editor.execute("DROP TRIGGER IF EXISTS tracker_stamp_forget")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_health_screens_and_adult_confirmation"),
        ("tracker", "0008_idempotency_key_from_api"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataStamp",
            fields=[
                ("user_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("stamp", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
