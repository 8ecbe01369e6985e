from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import health, pwa
from portal.security_log import log_permission_denied


@require_GET
def privacy(request):
    return render(request, "portal/privacy.html")


@never_cache
@require_GET
def healthz(request):
    report = health.report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


@never_cache
@require_GET
def healthz_ready(request):
    """The proxy's health check (docs/deploy.md): 200 while this host can serve pages."""
    report = health.ready()
    return JsonResponse(report, status=200 if report["ok"] else 503)


def permission_denied(request, exception=None):
    log_permission_denied(request)
    return render(request, "403.html", status=403)


@require_GET
def favicon(request):
    # Resolved per request: the hashed static name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_GET
def manifest(request):
    response = JsonResponse(pwa.manifest(), content_type="application/manifest+json")
    # Icons are named by their content hash: a deploy changes the manifest.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def service_worker(request):
    response = HttpResponse(pwa.worker_script(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    # Revalidated on every check: a new version reaches every browser with the next visit.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request):
    """What the service worker shows for a page it has not kept (it fetches this signed out)."""
    return render(request, "portal/offline.html")
