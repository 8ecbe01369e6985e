"""The randomized personal experiment: its protocol, amendments and interim looks.

A plan is editable until the user starts it. Starting draws the order within each pair
(tracker.nof1.draw_orders, the operating system's CSPRNG) and freezes the protocol: its
canonical JSON is stored with a SHA-256 fingerprint, shown to the user and printed on the
report, so anyone can check nothing changed afterwards. A later change is an amendment
row (dated, with the fingerprint it produced); a look before the planned end is a look row.
Blinded, the user logs a capsule each evening (not a dose: they cannot know which it was).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracker.choices import Form


class Outcome(models.TextChoices):
    SEVERITY = "severity", _("How bad your legs were (0 to 10, lower is better)")
    SLEEP_QUALITY = "sleep_quality", _("How well you slept (1 to 5, higher is better)")
    SLEEP_EFFICIENCY = "sleep_efficiency", _("Sleep efficiency (% of time in bed asleep)")


class ExperimentStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    RUNNING = "running", _("Running")  # locked; finished once its last evening has passed
    FINISHED = "finished", _("Finished")  # set when the next plan is made, to make room
    STOPPED = "stopped", _("Stopped early")


# The design's bounds (the planner's choices), with the defaults in tracker/reference.py.
PAIRS_RANGE = (2, 6)
PERIOD_NIGHTS_RANGE = (7, 14)
MIN_ANALYSED_NIGHTS = 3  # a washout leaves at least this many nights in every period


class Experiment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="experiments"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ExperimentStatus, default=ExperimentStatus.PLANNING
    )
    outcome = models.CharField(_("main outcome"), max_length=20, choices=Outcome)
    smallest_change = models.DecimalField(
        _("smallest change that matters"), max_digits=4, decimal_places=1
    )
    pairs = models.PositiveSmallIntegerField(_("pairs of periods"))
    period_nights = models.PositiveSmallIntegerField(_("nights per period"))
    washout_nights = models.PositiveSmallIntegerField(_("washout nights per period"))
    start_evening = models.DateField(_("first evening"))
    dose_form = models.CharField(_("magnesium form"), max_length=16, choices=Form)
    dose_elemental_mg = models.DecimalField(
        _("magnesium per evening (mg elemental)"), max_digits=6, decimal_places=1
    )
    blinded = models.BooleanField(_("someone else fills the capsules"), default=False)
    # Set when the user starts: the drawn order (True = magnesium first in that pair), the
    # frozen protocol (canonical JSON) and its fingerprint; current after any amendment.
    orders = models.JSONField(_("order within each pair"), null=True, blank=True)
    protocol = models.JSONField(_("frozen protocol"), null=True, blank=True)
    fingerprint = models.CharField(_("protocol fingerprint"), max_length=64, blank=True)
    locked_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    # Blinded: each time the helper's sheet (the allocation key) was shown, and how often.
    key_shown_at = models.DateTimeField(_("helper's sheet last shown"), null=True, blank=True)
    key_shown_count = models.PositiveSmallIntegerField(_("helper's sheet shown"), default=0)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One plan or running experiment at a time: "tonight" has one answer.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["planning", "running"]),
                name="experiment_one_open_per_user",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExperimentStatus.values), name="experiment_status_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="experiment_outcome_known"
            ),
            models.CheckConstraint(
                condition=Q(smallest_change__gt=0), name="experiment_change_positive"
            ),
            models.CheckConstraint(
                condition=Q(pairs__gte=PAIRS_RANGE[0], pairs__lte=PAIRS_RANGE[1]),
                name="experiment_pairs_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    period_nights__gte=PERIOD_NIGHTS_RANGE[0],
                    period_nights__lte=PERIOD_NIGHTS_RANGE[1],
                ),
                name="experiment_period_range",
            ),
            models.CheckConstraint(
                condition=Q(washout_nights__lte=models.F("period_nights") - MIN_ANALYSED_NIGHTS),
                name="experiment_washout_leaves_nights",
            ),
            models.CheckConstraint(
                condition=Q(dose_elemental_mg__gt=0), name="experiment_dose_positive"
            ),
            models.CheckConstraint(
                condition=Q(status="planning") | Q(orders__isnull=False, locked_at__isnull=False),
                name="experiment_started_is_locked",
            ),
        ]

    def __str__(self) -> str:
        return f"experiment {self.pk}"


class ExperimentAmendment(models.Model):
    """A change after the protocol was frozen: what changed, why, and the new fingerprint."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="amendments")
    made_at = models.DateTimeField(_("made at"))
    changes = models.JSONField(_("changes"))  # {field: [before, after]}
    reason = models.CharField(_("reason"), max_length=300)
    fingerprint = models.CharField(_("fingerprint after the change"), max_length=64)

    class Meta:
        ordering = ["made_at", "pk"]

    def __str__(self) -> str:
        return f"amendment {self.made_at.isoformat()}"


class ExperimentCapsule(models.Model):
    """Blinded: tonight's capsule was taken (the user cannot say whether it was magnesium)."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="capsules")
    evening = models.DateField(_("evening"))
    taken_at = models.DateTimeField(_("taken at"))

    class Meta:
        ordering = ["evening"]
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "evening"], name="capsule_one_per_evening"
            )
        ]

    def __str__(self) -> str:
        return f"capsule {self.evening.isoformat()}"


class ExperimentLook(models.Model):
    """A look at the comparison before the planned end, and what it showed (interim)."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="looks")
    looked_at = models.DateTimeField(_("looked at"))
    pairs_complete = models.PositiveSmallIntegerField(_("pairs complete"))
    verdict = models.CharField(_("verdict shown"), max_length=24)
    estimate = models.FloatField(_("estimate"), null=True, blank=True)
    low = models.FloatField(_("interval from"), null=True, blank=True)
    high = models.FloatField(_("interval to"), null=True, blank=True)

    class Meta:
        ordering = ["looked_at", "pk"]

    def __str__(self) -> str:
        return f"look {self.looked_at.isoformat()}"
