"""Read-only links to a user's report for a clinician, and when each was opened.

Only a SHA-256 digest of a link's token is stored (the token itself is shown once, at
creation); the optional passcode is stored with Django's password hashers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ShareLink(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    label = models.CharField(_("label"), max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 hex of the token
    start = models.DateField(_("first evening"))
    end = models.DateField(_("last evening"))
    include_experiment = models.BooleanField(_("include my experiment's result"), default=False)
    passcode_hash = models.CharField(max_length=128, blank=True)  # "" when no passcode is set
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="share_range"),
        ]

    def __str__(self) -> str:
        return f"share link {self.pk}"

    @property
    def has_passcode(self) -> bool:
        return bool(self.passcode_hash)

    def is_active(self, now) -> bool:
        return self.revoked_at is None and now < self.expires_at


class ShareView(models.Model):
    """One opening of a link: the time only (no IP address, no browser)."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(_("opened at"))

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["link", "viewed_at"])]

    def __str__(self) -> str:
        return f"view of share link {self.link_id}"
