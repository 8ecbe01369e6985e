"""API reads: a user's tokens, and the token a secret belongs to."""

from django.db.models import QuerySet

from api.models import PersonalAccessToken
from api.services import TOKEN_PREFIX, token_hash


def token_list(*, user) -> QuerySet[PersonalAccessToken]:
    """The user's tokens, newest first, revoked and expired ones included (marked so)."""
    return PersonalAccessToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_for_secret(*, secret: str) -> PersonalAccessToken | None:
    """The token (active or not) whose secret this is, with its user; None if there is none."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return (
        PersonalAccessToken.objects.select_related("user")
        .filter(token_hash=token_hash(secret))
        .first()
    )
