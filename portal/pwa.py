"""The installable web app: manifest, service worker script, offline copies, logout clearing.

The service worker (static/js/sw.js) keeps two kinds of cache, both named with a version:

- the shell: our static files and the /offline/ page, which hold no one's data;
- pages: the dashboard, night form and dose form as last fetched, for one viewer only.

A page is copied for offline use only when its view says so (`offline_copy`, header
`X-Restwell-Offline`), and every signed-in response names its viewer with an opaque tag
(`X-Restwell-Viewer`, set by PrivateCacheMiddleware). Whenever the worker sees a page for
nobody or for someone else, it deletes the pages it kept, so a browser never shows one
person's log to another; signing out also sends `Clear-Site-Data` (`clear_site_data`).

The version is the static manifest's hash (collectstatic writes it) when there is one, else a
hash of the static files themselves, plus the worker's own source: a deploy that changes any
static file installs a new worker, which drops the old caches.
"""

import functools
import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

VIEWER_HEADER = "X-Restwell-Viewer"
OFFLINE_HEADER = "X-Restwell-Offline"
KEEP_HEADER = "X-Restwell-Keep"  # sent by the worker's background fetches of offline pages
WORKER_SOURCE = "js/sw.js"
# Served after it in the same script: the reminder notifications' push and click listeners.
WORKER_PUSH_SOURCE = "js/sw-push.js"

# From static/css/restwell.css: --bs-body-bg of the light and the dark theme.
THEME_COLORS = {"light": "#f7f6f2", "dark": "#15171c"}

# The pages a signed-in person can open without a connection (URL names; the views carry
# `offline_copy`). The worker fetches any it has not kept yet after a signed-in page loads.
OFFLINE_PAGES = ("tracker:dashboard", "tracker:night_new", "tracker:dose_new")

# Cached ahead (on install): what those pages and the offline page load.
SHELL_ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "css/restwell.css",
    "css/tracker.css",
    "js/theme.js",
    "js/restwell.js",
    "js/pwa.js",
    "js/offline-queue.js",
    "js/tracker.js",
    "favicon.svg",
    "icons/icon-192.png",
)


def viewer_tag(user) -> str:
    """An opaque, stable tag for one user: the worker compares tags, never sees an id."""
    return salted_hmac("restwell.pwa.viewer", str(user.pk)).hexdigest()[:20]


def offline_copy(view):
    """Mark a signed-in page's response as one the service worker may keep for offline use.

    Only a plain GET: not a form sent back with its errors, nor a page carrying a flash
    message ("Night saved"), which the copy would repeat later. The worker's own background
    fetch (KEEP_HEADER) leaves the CSRF cookie as it is: renewing it could put back an old one
    after the browser moved on (signed out, or someone else signing in).
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        flash_pending = len(messages.get_messages(request)) > 0
        response = view(request, *args, **kwargs)
        if (
            request.method == "GET"
            and response.status_code == 200
            and request.user.is_authenticated
            and not flash_pending
        ):
            response[OFFLINE_HEADER] = "copy"
        if request.headers.get(KEEP_HEADER) and settings.CSRF_COOKIE_NAME in request.COOKIES:
            # The page's token is made from the cookie the request sent: no Set-Cookie needed.
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        return response

    return wrapped


def clear_site_data(view):
    """On a successful POST (sign-out, deletion), tell the browser to drop caches and storage.

    Clears the service worker's caches and registration and localStorage: the next person
    on this device finds nothing of the last one.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "POST" and response.status_code in (301, 302, 303):
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    return wrapped


def manifest() -> dict:
    icon = functools.partial(dict, type="image/png")
    return {
        "id": "/tracker/",
        "name": "Restwell",
        "short_name": "Restwell",
        "description": _("A calm sleep, symptom and magnesium log for people with restless legs."),
        "lang": settings.LANGUAGE_CODE,
        "dir": "ltr",
        "start_url": "/tracker/",
        "scope": "/",
        "display": "standalone",
        "background_color": THEME_COLORS["light"],
        "theme_color": THEME_COLORS["light"],
        "icons": [
            icon(src=static("icons/icon-192.png"), sizes="192x192", purpose="any"),
            icon(src=static("icons/icon-512.png"), sizes="512x512", purpose="any"),
            icon(src=static("icons/icon-maskable-512.png"), sizes="512x512", purpose="maskable"),
        ],
        "shortcuts": [
            {"name": _("How was last night?"), "url": reverse("tracker:night_new")},
            {"name": _("Log a dose"), "url": reverse("tracker:dose_new")},
        ],
    }


def _worker_source() -> str:
    parts = []
    for name in (WORKER_SOURCE, WORKER_PUSH_SOURCE):
        with open(finders.find(name), encoding="utf-8") as source:
            parts.append(source.read())
    return "\n".join(parts)


def _static_fingerprint() -> str:
    """The collected manifest's hash, or (no manifest: development, tests) the files' own."""
    manifest_hash = getattr(staticfiles_storage, "manifest_hash", "")
    if manifest_hash:
        return manifest_hash
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list([]), key=lambda found: found[0]):
            digest.update(path.encode())
            with storage.open(path) as content:
                digest.update(content.read())
    return digest.hexdigest()


def _build_worker_script() -> str:
    source = _worker_source()
    version = hashlib.sha256((_static_fingerprint() + source).encode()).hexdigest()[:12]
    config = {
        "version": version,
        "shell": [reverse("offline"), *(static(name) for name in SHELL_ASSETS)],
        "offline": reverse("offline"),
        "pages": [reverse(name) for name in OFFLINE_PAGES],
        "viewerHeader": VIEWER_HEADER,
        "offlineHeader": OFFLINE_HEADER,
        "keepHeader": KEEP_HEADER,
    }
    return f"self.RESTWELL = {json.dumps(config)};\n{source}"


_cached_worker_script = functools.lru_cache(maxsize=1)(_build_worker_script)


def worker_script() -> str:
    """sw.js as served: its configuration, then static/js/sw.js (rebuilt each time if DEBUG)."""
    return _build_worker_script() if settings.DEBUG else _cached_worker_script()
