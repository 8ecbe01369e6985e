from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import views

handler403 = "portal.views.permission_denied"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz/", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("articles/", include("articles.urls")),
    path("tracker/", include("tracker.urls")),
    path("reminders/", include("reminders.urls")),
    # Email provider tracking webhooks (bounces, complaints): reminders turn themselves off.
    path("anymail/", include("anymail.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:  # pragma: no cover - local development only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
