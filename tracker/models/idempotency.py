"""The replay store behind idempotency keys, shared by the web forms and the JSON API."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class IdempotencyKey(models.Model):
    """The first answer to a write sent with an idempotency key, replayed for 24 hours.

    A key belongs to one user: another user's identical key is another row. `status_code`
    is null while the first request is still being handled. The API stores its JSON answer
    in `body`; a web form stores where it redirected (`{"location": ...}`).
    The table keeps the name it had when only the API used it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # Encoded as the API encodes its answers (ninja's encoder is Django's), so a replay is
    # byte for byte the first answer.
    body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "api_idempotencykey"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return f"idempotency key {self.pk}"
