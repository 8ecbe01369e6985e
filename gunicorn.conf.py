"""gunicorn for production: `gunicorn -c gunicorn.conf.py portal.wsgi`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then: bounded memory
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Only the proxies in front of us may set X-Forwarded-* (comma list of IPs).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Query strings can carry report dates; the access log keeps the path only.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%({x-request-id}o)s"'
