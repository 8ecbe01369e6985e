"""The diary: nights, doses, the saved product and deliberately skipped evenings."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracker.choices import (
    AWAKENINGS_MAX,
    LATENCY_MAX,
    SEVERITY_MAX,
    WASO_MAX,
    Form,
    Quality,
    Stomach,
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
    # The augmentation watch (tracker/augmentation.py), asked of everyone, emphasised for
    # users who take a dopaminergic medicine.
    symptoms_in_arms = models.BooleanField(_("symptoms spread to my arms"), default=False)
    symptoms_earlier = models.BooleanField(
        _("symptoms started earlier in the day than usual"), default=False
    )
    # The first sign of too much magnesium (blank: not answered that morning).
    stomach = models.CharField(
        _("stomach upset or loose stools"), max_length=8, choices=Stomach, blank=True
    )
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
        "symptoms_in_arms",
        "symptoms_earlier",
        "stomach",
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
            models.CheckConstraint(
                condition=Q(stomach="") | Q(stomach__in=Stomach.values), name="night_stomach"
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
    evening = models.DateField(_("evening"))  # tracker.evening.evening_of, set by services
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
