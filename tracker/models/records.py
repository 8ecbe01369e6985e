"""Records beside the diary: other medicines, blood tests, the before/after trial phases."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracker import reference
from tracker.choices import IronFrequency, MedicineKind


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
    # AASM 2024: a morning sample with no iron taken for 24 h. None: not recorded.
    morning_no_iron = models.BooleanField(
        _("morning sample, no iron in the 24 hours before"), null=True, blank=True
    )
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


class IronProduct(models.Model):
    """'My iron': the iron product a user takes (for the report and the spacing note)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="iron_product"
    )
    name = models.CharField(_("product"), max_length=80)
    elemental_mg = models.DecimalField(
        _("elemental iron per dose (mg)"), max_digits=5, decimal_places=1
    )
    frequency = models.CharField(_("how often"), max_length=16, choices=IronFrequency)
    usual_time = models.TimeField(_("usual time you take it"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    elemental_mg__gt=0,
                    elemental_mg__lte=reference.IRON_DOSE_TYPO_LIMIT_MG.value,
                ),
                name="iron_product_amount_range",
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=IronFrequency.values), name="iron_product_frequency"
            ),
        ]

    def __str__(self) -> str:
        return "iron product"


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
