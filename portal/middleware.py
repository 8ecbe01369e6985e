import logging
import re
import uuid
import zoneinfo

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from portal import fallback_cache, pwa
from portal.logging import request_id_var

logger = logging.getLogger(__name__)

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Tag every log line of a request with an id (the proxy's X-Request-ID when sane)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class PrivateCacheMiddleware:
    """A page rendered for a signed-in user carries their data (and CSRF token): no-store.

    It also names its viewer (an opaque tag) for the service worker, which keeps offline
    copies for one viewer only (portal/pwa.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            response[pwa.VIEWER_HEADER] = pwa.viewer_tag(user)
        return response


class UserTimeZoneMiddleware:
    """Render every date in the signed-in user's own zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class CacheOutageMiddleware:
    """Redis unreachable: fallback_cache warns once per request; allauth's actions wait (503).

    allauth keeps its rate limits (sign-in, sign-up, password reset, codes) in the cache. If
    Redis is down, running those actions would mean running them unthrottled, so the visitor
    is asked to come back in a minute. Every other error, and every other page, is untouched.
    """

    RETRY_AFTER_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with fallback_cache.request_scope():
            return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, fallback_cache.UNREACHABLE):
            return None
        if not request.resolver_match.func.__module__.startswith("allauth."):
            return None
        logger.warning("Redis unreachable: %s waits for its rate limit (503)", request.path)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response
