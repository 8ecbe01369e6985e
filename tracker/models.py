"""Tracker data: nights (a sleep diary), doses, the saved product, skips, medicines, labs.

Models hold fields, constraints and small derived properties; writes go through the
tracker/services package, whose rules (tracker/services/rules.py) the forms reuse for their
messages. The database check constraints are the last line: no code path stores nonsense.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracker.choices import (  # noqa: F401 (re-exported: callers import them from models)
    AWAKENINGS_MAX,
    LATENCY_MAX,
    SEVERITY_MAX,
    WASO_MAX,
    Factor,
    Form,
    MedicineKind,
    Quality,
    Unit,
)
from tracker.reference import SINGLE_DOSE_TYPO_LIMIT_MG


class NightLog(models.Model):
    """One night of the sleep diary, named by the evening it starts (tracker.evening)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="night_logs"
    )
    evening = models.DateField(_("night of"))
    severity = models.PositiveSmallIntegerField(_("how bad were your legs"))
    sleep_quality = models.PositiveSmallIntegerField(_("sleep quality"), choices=Quality)
    # Aware instants (stored in UTC): durations stay right across midnight and DST.
    symptoms_started_at = models.DateTimeField(_("symptoms started"), null=True, blank=True)
    in_bed_at = models.DateTimeField(_("went to bed"), null=True, blank=True)
    tried_sleep_at = models.DateTimeField(_("tried to sleep"), null=True, blank=True)
    sleep_latency_min = models.PositiveSmallIntegerField(
        _("minutes to fall asleep"), null=True, blank=True
    )
    awakenings = models.PositiveSmallIntegerField(_("times woken"), null=True, blank=True)
    waso_min = models.PositiveSmallIntegerField(
        _("minutes awake during the night"), null=True, blank=True
    )
    final_wake_at = models.DateTimeField(_("final wake-up"), null=True, blank=True)
    out_of_bed_at = models.DateTimeField(_("got out of bed"), null=True, blank=True)
    factors = models.JSONField(_("factors"), default=list, blank=True)
    tags = models.CharField(_("other factors (tags)"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What the user enters, in diary order: the one list the exports and summaries read.
    ENTRY_FIELDS = (
        "evening",
        "severity",
        "sleep_quality",
        "symptoms_started_at",
        "in_bed_at",
        "tried_sleep_at",
        "sleep_latency_min",
        "awakenings",
        "waso_min",
        "final_wake_at",
        "out_of_bed_at",
        "factors",
        "tags",
        "notes",
    )

    class Meta:
        ordering = ["-evening"]
        constraints = [
            models.UniqueConstraint(fields=["user", "evening"], name="night_one_per_evening"),
            models.CheckConstraint(
                condition=Q(severity__gte=0, severity__lte=SEVERITY_MAX), name="night_severity"
            ),
            models.CheckConstraint(
                condition=Q(sleep_quality__gte=1, sleep_quality__lte=5), name="night_quality"
            ),
            models.CheckConstraint(
                condition=Q(sleep_latency_min__isnull=True)
                | Q(sleep_latency_min__gte=0, sleep_latency_min__lte=LATENCY_MAX),
                name="night_latency",
            ),
            models.CheckConstraint(
                condition=Q(awakenings__isnull=True)
                | Q(awakenings__gte=0, awakenings__lte=AWAKENINGS_MAX),
                name="night_awakenings",
            ),
            models.CheckConstraint(
                condition=Q(waso_min__isnull=True) | Q(waso_min__gte=0, waso_min__lte=WASO_MAX),
                name="night_waso",
            ),
            models.CheckConstraint(
                condition=Q(in_bed_at__isnull=True)
                | Q(out_of_bed_at__isnull=True)
                | Q(out_of_bed_at__gte=models.F("in_bed_at")),
                name="night_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"night of {self.evening.isoformat()}"

    @property
    def time_in_bed(self) -> datetime.timedelta | None:
        if self.in_bed_at and self.out_of_bed_at:
            return self.out_of_bed_at - self.in_bed_at
        return None

    @property
    def total_sleep(self) -> datetime.timedelta | None:
        """Consensus Sleep Diary: (final wake − tried to sleep) − latency − time awake."""
        if not (self.tried_sleep_at and self.final_wake_at):
            return None
        asleep = (
            self.final_wake_at
            - self.tried_sleep_at
            - datetime.timedelta(minutes=(self.sleep_latency_min or 0) + (self.waso_min or 0))
        )
        return max(asleep, datetime.timedelta(0))

    @property
    def sleep_efficiency(self) -> float | None:
        """Total sleep time as a percentage of time in bed (None when not enough is logged)."""
        tib, tst = self.time_in_bed, self.total_sleep
        if not tib or tst is None or tib.total_seconds() <= 0:
            return None
        return min(100.0, 100.0 * tst.total_seconds() / tib.total_seconds())


class Dose(models.Model):
    """One supplement dose. Elemental mg is what counts; compound mg is kept as entered."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="doses"
    )
    taken_at = models.DateTimeField(_("taken at"))
    evening = models.DateField(_("evening"))  # evening_of(taken_at, user.zone), set by services
    form = models.CharField(_("form"), max_length=16, choices=Form)
    elemental_mg = models.DecimalField(
        _("elemental magnesium (mg)"), max_digits=6, decimal_places=1
    )
    compound_mg = models.DecimalField(
        _("compound (mg)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_at"]
        indexes = [
            models.Index(fields=["user", "evening"]),
            models.Index(fields=["user", "taken_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(elemental_mg__gt=0, elemental_mg__lte=SINGLE_DOSE_TYPO_LIMIT_MG.value),
                name="dose_elemental_range",
            ),
            models.CheckConstraint(
                condition=Q(compound_mg__isnull=True) | Q(compound_mg__gt=0),
                name="dose_compound_positive",
            ),
            models.CheckConstraint(condition=Q(form__in=Form.values), name="dose_form_known"),
        ]

    def __str__(self) -> str:
        return f"dose at {self.taken_at.isoformat()}"


class SavedProduct(models.Model):
    """'My magnesium': the product a user takes, so a dose is one tap."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_product"
    )
    form = models.CharField(_("form"), max_length=16, choices=Form)
    amount_mg = models.DecimalField(_("amount (mg)"), max_digits=7, decimal_places=1)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit, default=Unit.ELEMENTAL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_mg__gt=0), name="product_amount_positive"),
            models.CheckConstraint(condition=Q(unit__in=Unit.values), name="product_unit_known"),
        ]

    def __str__(self) -> str:
        return "saved product"


class EveningSkip(models.Model):
    """An evening deliberately skipped (from the reminder email): 'skipped', not 'missed'."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evening_skips"
    )
    evening = models.DateField(_("evening"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-evening"]
        constraints = [
            models.UniqueConstraint(fields=["user", "evening"], name="skip_one_per_evening")
        ]

    def __str__(self) -> str:
        return f"skip {self.evening.isoformat()}"


class OtherMedicine(models.Model):
    """Another medicine the user takes that matters next to magnesium (for spacing notes)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="other_medicines"
    )
    kind = models.CharField(_("medicine"), max_length=20, choices=MedicineKind)
    name = models.CharField(_("name or brand (optional)"), max_length=80, blank=True)
    usual_time = models.TimeField(_("usual time you take it"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "usual_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MedicineKind.values), name="medicine_kind_known"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class LabResult(models.Model):
    """A blood test: ferritin (ng/mL = µg/L) and/or transferrin saturation (%)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_results"
    )
    taken_on = models.DateField(_("date of the blood test"))
    ferritin_ng_ml = models.DecimalField(
        _("ferritin (ng/mL = µg/L)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    tsat_percent = models.DecimalField(
        _("transferrin saturation (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ferritin_ng_ml__isnull=False) | Q(tsat_percent__isnull=False),
                name="lab_has_a_value",
            ),
            models.CheckConstraint(
                condition=Q(ferritin_ng_ml__isnull=True)
                | Q(ferritin_ng_ml__gte=0, ferritin_ng_ml__lte=5000),
                name="lab_ferritin_range",
            ),
            models.CheckConstraint(
                condition=Q(tsat_percent__isnull=True)
                | Q(tsat_percent__gte=0, tsat_percent__lte=100),
                name="lab_tsat_range",
            ),
        ]

    def __str__(self) -> str:
        return f"lab {self.taken_on.isoformat()}"


class Trial(models.Model):
    """The user's personal trial: a baseline phase, then a magnesium phase (inclusive dates)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trial"
    )
    baseline_start = models.DateField(_("baseline from"))
    baseline_end = models.DateField(_("baseline to"))
    magnesium_start = models.DateField(_("magnesium from"))
    magnesium_end = models.DateField(_("magnesium to"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_end__gte=models.F("baseline_start")),
                name="trial_baseline_order",
            ),
            models.CheckConstraint(
                condition=Q(magnesium_start__gt=models.F("baseline_end")),
                name="trial_phases_do_not_overlap",
            ),
            models.CheckConstraint(
                condition=Q(magnesium_end__isnull=True)
                | Q(magnesium_end__gte=models.F("magnesium_start")),
                name="trial_magnesium_order",
            ),
        ]

    def __str__(self) -> str:
        return "trial"
