"""Bearer-token authentication: only a personal access token opens the API, never a session.

A session cookie is ignored here (so the API needs no CSRF token and cannot be driven by a
cross-site form). The token's scope must allow the operation; then the per-token rate limit
is counted.
"""

from django.utils import timezone
from ninja.security.http import HttpBearer

from api import errors, ratelimit, selectors, services
from api.models import PersonalAccessToken, Scope


class TokenAuth(HttpBearer):
    """`kind` is "read" or "write": which scope the operation needs and which limit counts."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def __call__(self, request) -> PersonalAccessToken:
        # Unlike ninja's own, never logs the header it refuses (it may hold a token).
        scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise errors.unauthorized(errors.NO_TOKEN)
        return self.authenticate(request, secret.strip())

    def authenticate(self, request, token: str) -> PersonalAccessToken:
        found = selectors.token_for_secret(secret=token)
        now = timezone.now()
        if found is None or not found.user.is_active:  # a deactivated account has no API
            raise errors.unauthorized(errors.UNKNOWN_TOKEN)
        if found.revoked_at is not None:
            raise errors.unauthorized(errors.REVOKED_TOKEN)
        if found.expires_at <= now:
            raise errors.unauthorized(errors.EXPIRED_TOKEN)
        if self.kind == "write" and found.scope != Scope.WRITE:
            raise errors.ApiError(403, errors.READ_ONLY_TOKEN)
        ratelimit.rate_limit_check(token_id=found.pk, kind=self.kind)
        services.token_used_mark(token=found, now=now)
        return found


READ = TokenAuth("read")
WRITE = TokenAuth("write")
