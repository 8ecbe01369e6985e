"""`field__any_of=[…]`: membership in a long list of values, bound as one parameter.

For the hundreds of ids a reminder chunk reads and writes. Django binds an `__in` list one
placeholder per value, and psycopg's client-side binding then quotes each one: for 500 ids
that cost the sender more CPU than the query took on the server. On PostgreSQL this is
`field = ANY(%s)` with the list as one array; elsewhere it is plain `IN (…)`.
"""

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, self.rhs)
        if not self.rhs:
            return "1 = 0", tuple(lhs_params)
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", (*lhs_params, *self.rhs)


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # relations keep their own lookups: `user_id__any_of`
