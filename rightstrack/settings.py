"""Django settings, all from environment variables (see docs/configuration.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from rightstrack.lib.env import envbool, envint, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(envstr("RIGHTSTRACK_DATA_DIR", str(Path.cwd() / "var")))

DEBUG = envbool("DEBUG", "True")
# A fixed development key is fine while DEBUG is on; production must set SECRET_KEY.
SECRET_KEY = envsecret("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
ALLOWED_HOSTS = [
    h for h in envstr("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in envstr("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "rightstrack.accounts",
    "rightstrack.recommendations",
    "rightstrack.front",
    "rightstrack.analysis",
    "rightstrack.tracking",
    "rightstrack.deadlines",
    "rightstrack.plans",
    "rightstrack.api",
    # django-ninja's own static files: the API documentation page works offline (no CDN).
    "ninja",
    "rightstrack.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rightstrack.lib.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a throttled login into the "too many" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rightstrack.urls"
WSGI_APPLICATION = "rightstrack.wsgi.application"

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
            ],
        },
    }
]

#: The SQLite settings every SQLite database gets, whether named by DATABASE_URL or DB_NAME:
#: WAL lets readers carry on while an import writes; IMMEDIATE transactions take the write lock
#: at BEGIN, so two writers queue (for up to `timeout` seconds) instead of failing with
#: "database is locked" when one upgrades a read lock (issue 16 §4).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}

DATABASE_URL = envstr("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": envstr("DB_NAME", str(DATA_DIR / "rightstrack.sqlite")),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
# The job queue's tables live in the `jobs` alias (rightstrack/jobs/routers.py, docs/jobs.md):
# on PostgreSQL a second connection to the same database, so progress commits while a job's own
# work is inside one transaction; on SQLite a second file, which has a write lock of its own.
JOBS_SEPARATE_DATABASE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
if JOBS_SEPARATE_DATABASE:
    _main = Path(DATABASES["default"]["NAME"])
    DATABASES["jobs"] = {
        **DATABASES["default"],
        "NAME": envstr("JOBS_DB_NAME", str(_main.with_name(f"{_main.stem}-jobs.sqlite"))),
    }
else:
    DATABASES["jobs"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["rightstrack.jobs.routers.JobsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Durable job queue: django-tasks with its database backend (docs/decisions/0140-job-queue.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOBS_HEARTBEAT_SECONDS = float(envstr("JOBS_HEARTBEAT_SECONDS", "5"))
#: A running job whose heartbeat is older than this is run again by another worker.
JOBS_LEASE_SECONDS = float(envstr("JOBS_LEASE_SECONDS", "60"))
JOBS_MAX_ATTEMPTS = envint("JOBS_MAX_ATTEMPTS", "3")
#: What the workers' built-in scheduler starts (rightstrack.jobs.worker.Schedule).
JOBS_SCHEDULE = [
    {
        "kind": "send-reminders",
        "at": envstr("REMINDERS_AT", "06:00"),
        "requires": "rightstrack.deadlines.reminders",
    },
    {"kind": "compact-search-version", "every": 3600},
    {"kind": "purge-exports", "at": envstr("PURGE_EXPORTS_AT", "03:00")},
]
if not envbool("JOBS_SCHEDULER", "True"):
    JOBS_SCHEDULE = []

# Shared cache (facet counts): Redis when REDIS_URL is set, else a table in the database, so
# every server process on every host sees the same entries. Sessions are in the database.
REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": envstr("CACHE_PREFIX", "rightstrack"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "rightstrack_cache",
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", "5000")},
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Login throttling (django-axes, rightstrack/lib/throttle.py, docs/security.md): failures are
# counted in the database, so every process and server sharing it counts the same.
AUTHENTICATION_BACKENDS = [
    "rightstrack.lib.throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", "15"))
# One user name from one address: guessing is stopped without letting anyone lock a person out
# from everywhere by typing their user name.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "rightstrack.lib.throttle.client_ip"
AXES_VERBOSE = False
#: Trusted reverse proxies in front of the app (X-Forwarded-For entries to skip for the address).
RIGHTSTRACK_PROXY_COUNT = envint("PROXY_COUNT", "1" if not DEBUG else "0")

# Password reset is offered only when a mail server is configured (EMAIL_HOST, below).

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "front-search"
LOGOUT_REDIRECT_URL = "front-search"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Only needed for `collectstatic` behind a separate web server; whitenoise serves from the package.
STATIC_ROOT = envstr("STATIC_ROOT", "") or None
# Serve static files straight from the package, so a small deployment needs no collectstatic.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
# Uploaded UN documents can be tens of MB.
# The largest upload (web page and API), enforced on the file itself (rightstrack.lib.uploads).
UPLOAD_MAX_MB = envint("UPLOAD_MAX_MB", "50")
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Where uploads are kept while they are imported (each in a folder of its own, removed after).
FILE_UPLOAD_TEMP_DIR = envstr("FILE_UPLOAD_TEMP_DIR", "") or None

RIGHTSTRACK_PAGE_SIZE = envint("PAGE_SIZE", "25")
# A web export of more recommendations than this (and any PDF) runs as a job (docs/reports.md).
EXPORT_INLINE_MAX_ROWS = envint("EXPORT_INLINE_MAX_ROWS", "5000")
# How long the files of export jobs are kept (the purge-exports job deletes older ones).
EXPORT_KEEP_DAYS = envint("EXPORT_KEEP_DAYS", "7")

# E-mail (reminders): SMTP when EMAIL_HOST is set, else printed on the console (`make demo`).
EMAIL_HOST = envstr("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", "587")
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True")
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "rightstrack <noreply@localhost>")
# The address people reach the site at, for links in e-mails and feeds made without a request.
SITE_URL = envstr("SITE_URL", "")

# HTTPS (docs/deployment.md "HTTPS and security"): in production the app runs behind a proxy
# that terminates HTTPS and sets X-Forwarded-Proto; plain HTTP is redirected to HTTPS, and
# browsers are told to use HTTPS only (HSTS). Each is a setting, on by default when DEBUG is off.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", str(not DEBUG))
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "False")
if envbool("BEHIND_HTTPS_PROXY", str(not DEBUG)):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Preloading is a decision to submit the host to the browsers' list, not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind a proxy that terminates HTTPS and sets X-Forwarded-Proto (docs/deployment.md).
if envbool("BEHIND_HTTPS_PROXY", "False"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
