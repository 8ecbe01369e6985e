from anymail import urls as anymail_urls
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, include, path

from api import urls as api_urls
from articles import discovery
from flows import urls as flows_urls
from flows import views as flows_views
from portal import views
from reminders import urls as reminders_urls

handler403 = "portal.views.permission_denied"


def anymail_tracking_urls(email_backend: str) -> list[URLPattern]:
    """The tracking webhook of the provider EMAIL_BACKEND names, and no other.

    anymail.urls would mount every provider's webhooks, and one without its settings answers
    an anonymous POST with a 500 and an ERROR traceback. A provider is configured as
    `anymail.backends.<esp>.EmailBackend`, its webhook anymail's `<esp>_tracking_webhook`
    (at `<esp>/tracking/`); SMTP, files or an unknown provider mount none.
    """
    module = email_backend.rpartition(".")[0]
    if not module.startswith("anymail.backends."):
        return []
    name = module.removeprefix("anymail.backends.") + "_tracking_webhook"
    return [pattern for pattern in anymail_urls.urlpatterns if pattern.name == name]


urlpatterns = [
    path("", flows_views.home, name="home"),  # the landing page shows what there is to read
    path("privacy/", views.privacy, name="privacy"),
    path("healthz/", views.healthz, name="healthz"),
    # The proxy's check: this host and its database, not the Redis every host shares.
    path("healthz/ready/", views.healthz_ready, name="healthz_ready"),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    path("favicon.ico", views.favicon),
    # The installable web app: both at the root, so the worker's scope is the whole site.
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include((api_urls.account_urlpatterns, "api"))),
    path("accounts/", include("allauth.urls")),
    path("articles/", include("articles.urls")),
    path("tracker/", include("tracker.urls")),
    # Share links: /accounts/shares/ and /accounts/fhir.json for the patient, /share/<token>/
    # for the clinician they give the link to.
    path("", include("sharing.urls")),
    # The JSON API (personal access tokens; OpenAPI 3 schema at /api/v1/schema/).
    path("api/v1/", api_urls.api_urls),
    # One namespace where users and emails know it: reminders' own pages plus the pages that
    # act across apps (settings, onboarding, the taken/skip links), which flows serves.
    path(
        "reminders/",
        include((reminders_urls.urlpatterns + flows_urls.urlpatterns, "reminders")),
    ),
    # The private iCalendar feed of a user's reminders (a secret link, no session).
    path("calendar/", include((reminders_urls.calendar_urlpatterns, "calendar"))),
    # The devices that get reminder notifications (Web Push subscriptions).
    path("accounts/", include((reminders_urls.devices_urlpatterns, "devices"))),
    # The email provider's tracking webhook: a bounce or a complaint turns reminders off.
    path("anymail/", include((anymail_tracking_urls(settings.EMAIL_BACKEND), "anymail"))),
    path("admin/", admin.site.urls),
    path("sitemap.xml", discovery.sitemap, name="sitemap"),
    path("robots.txt", discovery.robots_txt, name="robots_txt"),
]

if settings.DEBUG:  # pragma: no cover - local development only
    from django.conf.urls.static import static as media_static

    urlpatterns += media_static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
