"""Restwell settings: one module, every knob from the environment (.env read if present).

Order: read the environment → configure Django and the integrations → derive the rest.
`.env.example` documents every variable; the defaults are the public contract.
"""

import secrets
import sys
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from portal import embedded_redis, vapid

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def env_or(name: str, default: str) -> str:
    """A variable's value, where an empty value (`NAME=` in .env) means "use the default"."""
    return env.str(name, default="") or default


# --- Core -------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # One line, no traceback: this is an operator's mistake, not a bug.
        sys.exit("Restwell: SECRET_KEY must be set when DEBUG is false (see .env.example).")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 - DEBUG only; production refuses to start without its own  # nosec B105

ALLOWED_HOSTS = env_or("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
# Unset: the address `make run` serves on, so every process (web, worker, beat, a management
# command) builds the same links as the pages the browser is on.
SITE_URL = env_or("SITE_URL", f"http://127.0.0.1:{env_or('PORT', '8000')}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_or("CSRF_TRUSTED_ORIGINS", SITE_URL).split(",")
ARTICLES_PUBLIC = env.bool("ARTICLES_PUBLIC", default=False)
ADMIN_REQUIRE_MFA = env.bool("ADMIN_REQUIRE_MFA", default=True)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
SITE_ID = 1

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "portal.apps.RestwellAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "anymail",
    "simple_history",
    "portal",
    "accounts",
    "articles",
    "tracker",
    "reminders",
    "sharing",
    "flows",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RequestIdMiddleware",
    "portal.middleware.CacheOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # Names the signed-in user on each article version saved during a request (history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.PrivateCacheMiddleware",
    "portal.middleware.UserTimeZoneMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url_config(env_or("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _name = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["NAME"] = str(_name if _name.is_absolute() else BASE_DIR / _name)
    # Serve real traffic: WAL lets readers run beside one writer; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue on the busy timeout instead of failing with
    # "database is locked" half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- Redis: broker, results and cache each on their own database number ----------------
REDIS_URL = env_or("REDIS_URL", embedded_redis.url(BASE_DIR))
REDIS_DB_BROKER = env.int("REDIS_DB_BROKER", default=0)
REDIS_DB_RESULTS = env.int("REDIS_DB_RESULTS", default=1)
REDIS_DB_CACHE = env.int("REDIS_DB_CACHE", default=2)

CACHES = {
    "default": {
        # Django's backend with its redis-py client reused (portal/redis_cache.py).
        "BACKEND": "portal.redis_cache.RedisCache",
        "LOCATION": embedded_redis.db_url(REDIS_URL, REDIS_DB_CACHE),
        "KEY_PREFIX": env_or("CACHE_KEY_PREFIX", "restwell"),
        "TIMEOUT": 300,
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = embedded_redis.celery_url(REDIS_URL, REDIS_DB_BROKER)
CELERY_RESULT_BACKEND = embedded_redis.celery_url(REDIS_URL, REDIS_DB_RESULTS)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True  # tasks return nothing; nothing personal in the result store
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Database connections in workers follow CONN_MAX_AGE and health checks as in the web
# (portal/celery.py closes old ones around every task); Celery's own rule would close every
# connection after every task, and starts over only after this many tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = env_or("CELERY_QUEUE", "restwell")
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Days a reminder delivery row is kept after its due instant (the admin's delivery log);
# never less than the life of the links in its message (see reminders/dispatch/purge.py).
REMINDER_DELIVERY_RETENTION_DAYS = env.int("REMINDER_DELIVERY_RETENTION_DAYS", default=90)
CELERY_BEAT_SCHEDULE = {
    # Every 30 s: proves beat is alive (beat stamps it on publish) and a worker answers
    # (the worker stamps it on run); /healthz/ reports both ages.
    "heartbeat": {"task": "portal.tasks.heartbeat", "schedule": timedelta(seconds=30)},
}
CELERY_BEAT_SCHEDULE |= {
    # At the start of every minute (reminder times are whole minutes): claim every reminder
    # that came due and enqueue its sending in chunks. One selection for all users, never a
    # periodic task per user. A tick not started within 55 s is dropped: the next one covers it.
    "reminders-tick": {
        "task": "reminders.tasks.reminders_tick",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # Every 30 s: re-enqueue deliveries a killed worker left behind (expired sending leases,
    # pending rows no task took) long before Redis's 1 h visibility timeout would. With the
    # senders' 75 s lease, a dead sender's unsent rows go out again within about 2 minutes.
    "reminders-sweep": {
        "task": "reminders.tasks.deliveries_sweep",
        "schedule": timedelta(seconds=30),
        "options": {"expires": 25},
    },
}
CELERY_BEAT_SCHEDULE |= {
    # Hourly at :41 (off the busy top of the hour): delete the stored answers to idempotency
    # keys (API writes and the web forms the offline queue resends) once they are 24 hours
    # old. They are ignored after 24 h anyway; deleting them keeps health data from lingering
    # in the replay store for more than a day and an hour.
    "idempotency-keys-purge": {
        "task": "tracker.tasks.idempotency_keys_purge",
        "schedule": crontab(minute=41),
        "options": {"expires": 3000},
    },
}
CELERY_BEAT_SCHEDULE |= {
    # Daily at 03:17 UTC (a quiet hour, off the busy top of the hour): delete expired
    # sessions, which Django never removes by itself; each keeps a user id and any unread
    # flash message (which can name a dose) until then.
    "sessions-clear-expired": {
        "task": "accounts.tasks.expired_sessions_clear",
        "schedule": crontab(hour=3, minute=17),
        "options": {"expires": 3600},
    },
}
CELERY_BEAT_SCHEDULE |= {
    # Daily at 03:29 UTC (quiet, off the top of the hour): delete sleep-import suggestions a
    # week old, so an imported night's times do not linger unconfirmed.
    "tracker-sleep-imports-purge": {
        "task": "tracker.tasks.sleep_imports_purge",
        "schedule": crontab(hour=3, minute=29),
        "options": {"expires": 3600},
    },
    # Daily at 03:41 UTC (quiet, off the top of the hour and the other purges): delete
    # reminder deliveries due more than REMINDER_DELIVERY_RETENTION_DAYS ago, in batches.
    # Kept forever they were the largest table within months (~400 B each, 100 a year per
    # user); nothing needs one that old (every link in its message has expired by then).
    "reminders-deliveries-purge": {
        "task": "reminders.tasks.deliveries_purge",
        "schedule": crontab(hour=3, minute=41),
        "options": {"expires": 3600},
    },
    # Weekly, Monday 07:23 UTC (the start of a working week in Europe, off the top of the
    # hour): email each medical reviewer the articles due within four weeks or overdue for
    # their clinical review. At most one such email per reviewer per ISO week.
    "articles-review-digests": {
        "task": "articles.tasks.review_digests_send",
        "schedule": crontab(day_of_week="mon", hour=7, minute=23),
        "options": {"expires": 6 * 3600},
    },
}

# --- Email ------------------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = _email.get("EMAIL_PORT", 25)
    EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
    EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env_or("DEFAULT_FROM_EMAIL", "Restwell <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A provider through django-anymail: EMAIL_BACKEND=anymail.backends.<esp>.EmailBackend plus
# its ANYMAIL_* settings (e.g. ANYMAIL_POSTMARK_SERVER_TOKEN) go into the ANYMAIL dict.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="") or EMAIL_BACKEND
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in env.ENVIRON.items()
    if key.startswith("ANYMAIL_") and key != "ANYMAIL_WEBHOOK_SECRET"
}
# The tracking webhook (/anymail/<esp>/tracking/) checks HTTP basic auth "user:password".
# Unset, a random per-process secret: nobody can post to the webhook.
ANYMAIL["WEBHOOK_SECRET"] = env.str("ANYMAIL_WEBHOOK_SECRET", default="") or secrets.token_hex(32)
EMAIL_TIMEOUT = 30

# --- Web Push (VAPID, RFC 8292) ---------------------------------------------------------
# Unset in development (DEBUG): the pair `make run` generated in var/vapid.json. Unset
# otherwise: no push (the device button is not offered; push deliveries are skipped).
_vapid_dev = vapid.keys_file_read(VAR_DIR / "vapid.json") if DEBUG else {}
VAPID_PRIVATE_KEY = env_or("VAPID_PRIVATE_KEY", _vapid_dev.get("private", ""))
VAPID_PUBLIC_KEY = env_or("VAPID_PUBLIC_KEY", "")
if VAPID_PRIVATE_KEY and not VAPID_PUBLIC_KEY:
    # The public key follows from the private one; an unreadable key stops the start.
    try:
        VAPID_PUBLIC_KEY = vapid.public_key_text(vapid.private_key_load(VAPID_PRIVATE_KEY))
    except ValueError as error:
        sys.exit(f"Restwell: {error} (see .env.example).")
# Push endpoints are URLs browsers give and the worker POSTs to: https to public hosts only.
# The test settings let a local push endpoint (http on a loopback address) in.
PUSH_ALLOW_LOOPBACK_ENDPOINTS = False
VAPID_SUBJECT = env_or("VAPID_SUBJECT", "mailto:" + parseaddr(DEFAULT_FROM_EMAIL)[1])

# --- Accounts (django-allauth) ----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/tracker/"
ACCOUNT_LOGIN_METHODS = {"email"}
# The password once, with a "Show" button (static/js/restwell.js) instead of typing it twice.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"  # onboarding after the first sign-in
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # keep this session; the others end (session hash)
# Following the link in the browser that signed up signs you in (allauth checks it is the
# same session); from another device the link verifies and asks to sign in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Restwell] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Restwell"
# Off: tracking writes an UPDATE on every signed-in request (a serialised write on SQLite);
# the sessions page still lists each session with its IP, browser and start time.
USERSESSIONS_TRACK_ACTIVITY = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation and time -------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files (vendored; WhiteNoise serves them) -------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Django's database sessions, their per-request read written out once (portal/sessions.py).
SESSION_ENGINE = "portal.sessions"

# Flash messages can name a dose or a medicine: keep them server-side, not in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Forms ------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Widgets through Django's Jinja2 copies of its own templates: a third of the time (see there).
FORM_RENDERER = "portal.form_renderer.FastRenderer"

# --- Security -----------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        # The service worker (/sw.js) and the web app manifest, named even though
        # default-src allows them, so tightening default-src cannot break installing.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
DEFAULT_EXCEPTION_REPORTER_FILTER = "portal.errors.HealthDataExceptionReporterFilter"

# --- Logging: stdout, UTC timestamps, request ids; never health data or passwords ---------
LOG_LEVEL = env_or("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "portal.logging.RequestIdFilter"},
        "redact_links": {"()": "portal.logging.RedactLinkTokensFilter"},
        "no_traceback_for_refusals": {
            "()": "portal.logging.ExpectedRefusalsWithoutTracebackFilter"
        },
    },
    "formatters": {
        "utc": {
            "()": "portal.logging.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id", "redact_links", "no_traceback_for_refusals"],
            "formatter": "utc",
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers (its console one when DEBUG, runserver's django.server) print
        # email-link tokens unredacted, and a request's warning a second time: without them,
        # every Django record goes up to the one stdout handler.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.db.backends": {"level": "INFO"},
        # At DEBUG, Django's template engine logs every missing variable with the whole
        # template context (the nights, notes and medicines on the page): never below WARNING.
        "django.template": {"level": "WARNING"},
        "celery": {"level": LOG_LEVEL},
        # WeasyPrint (the PDF worker) logs each render's steps and CSS it ignores, and a
        # failed image with its URL, which for a chart is the chart itself (a data: URL):
        # the job's own line (tracker/pdf_jobs.py) says a render failed, by job id only.
        "weasyprint": {"level": "CRITICAL"},
    },
}
