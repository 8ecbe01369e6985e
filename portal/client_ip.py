from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied


def client_ip(request) -> str:
    """The client's IP as allauth's rate limits see it (honours TRUSTED_PROXY_COUNT)."""
    if request is None:
        return "-"
    try:
        return get_adapter(request).get_client_ip(request) or "-"
    except (ImproperlyConfigured, PermissionDenied):  # too few X-Forwarded-For hops: spoofed
        return request.META.get("REMOTE_ADDR", "-")
