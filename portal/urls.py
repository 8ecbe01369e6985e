from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles import discovery
from flows import urls as flows_urls
from portal import views
from reminders import urls as reminders_urls

handler403 = "portal.views.permission_denied"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz/", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    path("favicon.ico", views.favicon),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("articles/", include("articles.urls")),
    path("tracker/", include("tracker.urls")),
    # One namespace where users and emails know it: reminders' own pages plus the pages that
    # act across apps (settings, onboarding, the taken/skip links), which flows serves.
    path(
        "reminders/",
        include((reminders_urls.urlpatterns + flows_urls.urlpatterns, "reminders")),
    ),
    # Email provider tracking webhooks (bounces, complaints): reminders turn themselves off.
    path("anymail/", include("anymail.urls")),
    path("admin/", admin.site.urls),
    path("sitemap.xml", discovery.sitemap, name="sitemap"),
    path("robots.txt", discovery.robots_txt, name="robots_txt"),
]

if settings.DEBUG:  # pragma: no cover - local development only
    from django.conf.urls.static import static as media_static

    urlpatterns += media_static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
