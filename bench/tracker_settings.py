"""Bench-only settings for bench/bench_tracker.py: production settings plus a timing header.

Not a bench itself (bench/run.py runs bench_*.py only). The outermost middleware stamps
`Server-Timing: app;dur=<ms>` on every response, so the figures are the server's own time.
"""

import os

from portal.settings.base import *  # noqa: F403
from portal.settings.base import MIDDLEWARE

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]  # collectstatic runs into a temporary folder
ROOT_URLCONF = "tracker_urls"
MIDDLEWARE = ["tracker_urls.ServerTimingMiddleware", *MIDDLEWARE]
LOGGING = {"version": 1, "disable_existing_loggers": True}
