"""The session store (SESSION_ENGINE): Django's database store, its two hot statements as plain
SQL.

Every request that carries a session cookie reads its row (SessionMiddleware → `load`). Through
the ORM that read cost about 0.5 ms of CPU on PostgreSQL (building, compiling and converting a
query whose shape never changes), a quarter of the ~2 ms every signed-in page pays before its
view runs; the same SELECT written out costs about a third of that. Every request that changes
its session (a flash message left by a POST, then read by the page it redirects to) writes the
row back (`save`): Django's model save in a transaction of its own cost about 0.6 ms there, the
one UPDATE written out about 0.2 ms. A session's first save (a new key), deleting, `exists`,
`clear_expired` and the async methods stay Django's, so sessions ended at sign-out,
password change or account deletion end here too.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _table(self, connection) -> tuple[str, dict[str, str]]:
        quote = connection.ops.quote_name
        model = self.model
        columns = {field.name: quote(field.column) for field in model._meta.concrete_fields}
        return quote(model._meta.db_table), columns

    def load(self):
        """The session's data, or {} (and no key) if the row is gone or has expired."""
        connection = connections[router.db_for_read(self.model)]
        table, columns = self._table(connection)
        sql = (
            f"SELECT {columns['session_data']} FROM {table} "  # noqa: S608 - no values in it  # nosec B608
            f"WHERE {columns['session_key']} = %s AND {columns['expire_date']} > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            # As Django's store: an unknown or expired key is dropped, a new one made on save.
            self._session_key = None
            return {}
        return self.decode(row[0])

    def save(self, must_create=False):
        """Write the session back to its row; a new session is created as Django does.

        One UPDATE, atomic on its own (no transaction around it). No row to update (the
        session was deleted meanwhile, e.g. by a sign-out elsewhere) raises UpdateError, as
        Django's store does, and SessionMiddleware answers that the session was interrupted.
        """
        if self.session_key is None or must_create:
            return super().save(must_create=must_create)
        connection = connections[router.db_for_write(self.model)]
        table, columns = self._table(connection)
        sql = (
            f"UPDATE {table} SET {columns['session_data']} = %s, "  # noqa: S608 - no values in it  # nosec B608
            f"{columns['expire_date']} = %s WHERE {columns['session_key']} = %s"
        )
        values = [
            self.encode(self._get_session()),
            connection.ops.adapt_datetimefield_value(self.get_expiry_date()),
            self.session_key,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            if cursor.rowcount != 1:
                raise UpdateError
