"""gunicorn for production: `gunicorn -c gunicorn.conf.py portal.wsgi`.

gunicorn reads these variables from the real environment only (not from .env).
"""

import multiprocessing
import os

from gunicorn.glogging import Logger

from portal.logging import RedactLinkTokensFilter, redact_link_tokens

bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT') or '8000'}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or "1")
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then: bounded memory. Not often: a new worker imports Django again
# (about 1 s of CPU) and renders each page cold once; recycled every 2,000 requests, that
# added at least 0.5 ms of CPU to every request, a tenth of that at 20,000. (Not preload_app:
# `systemctl reload` would then keep serving the old code, docs/deploy.md.)
max_requests = 20000
max_requests_jitter = 2000
accesslog = "-"
errorlog = "-"
# Only the proxies in front of us may set X-Forwarded-* (comma list of IPs).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"
# The path only: query strings can carry report dates.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%({x-request-id}o)s"'


class RedactingLogger(Logger):
    """Access-log and error-log lines never carry the signed tokens of email links."""

    redact = RedactLinkTokensFilter()

    def setup(self, cfg):
        super().setup(cfg)
        # gunicorn's error log names the URI of a request that failed inside the worker.
        self.error_log.addFilter(self.redact)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("U", "r", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact_link_tokens(atoms[key])
        return atoms


logger_class = RedactingLogger
