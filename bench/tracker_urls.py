"""Bench-only URLconf: the whole site plus a bare "hello" view, the floor to compare with."""

import time

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as site_urlpatterns


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - start) * 1000:.3f}"
        return response


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *site_urlpatterns]
