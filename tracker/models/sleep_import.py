"""Suggestions from an imported sleep export, kept until the user confirms them (or a week).

A `SleepImport` is one uploaded file's result; each `SleepSuggestion` is one night's suggested
diary times. Nothing here is the diary: applying copies times into a NightLog's empty fields
(tracker.services.sleep_import) and records which ones it filled.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportSource(models.TextChoices):
    HEALTH_AUTO_EXPORT = "health_auto_export", _("Health Auto Export (JSON)")
    APPLE_HEALTH = "apple_health", _("Apple Health export")


class SleepImport(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sleep_imports"
    )
    source = models.CharField(_("file"), max_length=32, choices=ImportSource)
    records = models.PositiveIntegerField(_("sleep records read"))
    left_out = models.PositiveIntegerField(_("sleeps not suggested"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("deleted after"))

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"sleep import {self.pk}"


class SleepSuggestion(models.Model):
    sleep_import = models.ForeignKey(
        SleepImport, on_delete=models.CASCADE, related_name="suggestions"
    )
    evening = models.DateField(_("night of"))
    device = models.CharField(_("recorded by"), max_length=100, blank=True)
    in_bed_at = models.DateTimeField(_("went to bed"), null=True, blank=True)
    asleep_at = models.DateTimeField(_("fell asleep"), null=True, blank=True)
    final_wake_at = models.DateTimeField(_("final wake-up"), null=True, blank=True)
    out_of_bed_at = models.DateTimeField(_("got out of bed"), null=True, blank=True)
    asleep_min = models.PositiveIntegerField(_("minutes asleep"), null=True, blank=True)
    waso_min = models.PositiveIntegerField(
        _("minutes awake during the night"), null=True, blank=True
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_fields = models.JSONField(default=list, blank=True)  # NightLog fields it filled

    class Meta:
        ordering = ["-evening"]
        constraints = [
            models.UniqueConstraint(
                fields=["sleep_import", "evening"], name="sleep_suggestion_one_per_night"
            )
        ]

    def __str__(self) -> str:
        return f"suggestion for {self.evening.isoformat()}"
