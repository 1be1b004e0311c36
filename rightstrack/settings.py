"""Django settings, all from environment variables (see docs/configuration.md)."""

from __future__ import annotations

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
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("UPLOAD_MAX_MB", "50") * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

RIGHTSTRACK_PAGE_SIZE = envint("PAGE_SIZE", "25")

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

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
