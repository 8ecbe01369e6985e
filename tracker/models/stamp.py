"""The per-user data stamps: numbers that change with every row a tracker figure reads, one
per group of tables, so a cached part is invalidated only by the data it was computed from.

Cached pages (tracker/page_cache.py) are keyed by the stamps of the groups they read. The
database bumps them itself, by a trigger on each table below (migration 0010, which replaced
0009's single stamp): a write from any path — a form, the API, an offline replay, an email
link, an import, a shell, a data migration, a bulk update — moves its group's stamp in the
same transaction as the rows, so no new write path can forget it, and a reader that sees the
new stamp also sees the new rows. tests/tracker/test_page_cache.py fails when a tracker table
has neither a trigger nor a reason in UNSTAMPED_TABLES, or its trigger bumps another group.
"""

from django.db import models

# Each stamped table's group: the DataStamp column its trigger bumps.
NIGHTS = "nights"  # the diary: what the night list and the nights CSV are built from
DOSES = "doses"  # what was taken: the dose list and CSV, the dashboard's dose figures
# Everything else a figure reads (the dashboard reads all three), "My magnesium" included:
# no dose figure reads it, and the dashboard keeps it cached across doses (migration 0011).
OTHER = "other"
GROUPS = (NIGHTS, DOSES, OTHER)
TABLE_GROUPS = {
    "tracker_nightlog": NIGHTS,
    "tracker_dose": DOSES,
    "tracker_savedproduct": OTHER,
    "tracker_eveningskip": OTHER,
    "tracker_experiment": OTHER,
    "tracker_othermedicine": OTHER,
    "tracker_labresult": OTHER,
    "tracker_ironproduct": OTHER,
    "tracker_trial": OTHER,
    "tracker_experimentamendment": OTHER,
    "tracker_experimentcapsule": OTHER,
    "tracker_experimentlook": OTHER,
}
# Tables whose rows belong to an experiment: the trigger looks its owner up. The others
# carry user_id, which the trigger reads from the row.
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
    """One row per user who has written tracker data; no row reads as stamps 0.

    `user_id` is a plain column, not a foreign key: rows are upserted by triggers while an
    account's rows are being deleted, and a trigger on the user table removes the row once
    the user row itself goes (migration 0010).
    """

    user_id = models.BigIntegerField(primary_key=True)
    nights = models.BigIntegerField(default=0)
    doses = models.BigIntegerField(default=0)
    other = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"data stamps of user {self.user_id}"
