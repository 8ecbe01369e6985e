"""The per-user data stamp: a number that changes with every row a tracker figure reads.

Cached pages (tracker/page_cache.py) are keyed by it. The database bumps it itself, by a
trigger on each table below (migration 0009): a write from any path — a form, the API, an
offline replay, an email link, an import, a shell, a data migration, a bulk update — moves
it in the same transaction as the rows, so no new write path can forget it, and a reader
that sees the new stamp also sees the new rows. tests/tracker/test_page_cache.py fails when
a tracker table has neither a trigger nor a reason in UNSTAMPED_TABLES.
"""

from django.db import models

# Tables whose rows carry user_id: the trigger reads it from the row.
STAMPED_BY_USER = (
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
# Tables whose rows belong to an experiment: the trigger looks its owner up.
STAMPED_BY_EXPERIMENT = (
    "tracker_experimentamendment",
    "tracker_experimentcapsule",
    "tracker_experimentlook",
)
# Tables no cached figure reads, with the reason.
UNSTAMPED_TABLES = {
    # Suggestions only become figures when applied, and applying writes tracker_nightlog.
    "tracker_sleepimport": "applied suggestions are written to nights (stamped)",
    "tracker_sleepsuggestion": "applied suggestions are written to nights (stamped)",
    "api_idempotencykey": "a replay store, not a figure",
    "tracker_datastamp": "the stamp itself",
}


class DataStamp(models.Model):
    """One row per user who has written tracker data; no row reads as stamp 0.

    `user_id` is a plain column, not a foreign key: rows are upserted by triggers while an
    account's rows are being deleted, and a trigger on the user table removes the row once
    the user row itself goes (migration 0009).
    """

    user_id = models.BigIntegerField(primary_key=True)
    stamp = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"data stamp of user {self.user_id}"
