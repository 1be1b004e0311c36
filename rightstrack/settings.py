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
    "rightstrack.accounts",
    "rightstrack.recommendations",
    "rightstrack.front",
    "rightstrack.analysis",
    "rightstrack.tracking",
    "rightstrack.api",
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

DATABASE_URL = envstr("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": envstr("DB_NAME", str(DATA_DIR / "rightstrack.sqlite")),
            # WAL lets the web app read while an import writes.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
# The largest upload (web page and API), enforced on the file itself (rightstrack.lib.uploads).
UPLOAD_MAX_MB = envint("UPLOAD_MAX_MB", "50")
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Where uploads are kept while they are imported (each in a folder of its own, removed after).
FILE_UPLOAD_TEMP_DIR = envstr("FILE_UPLOAD_TEMP_DIR", "") or None

RIGHTSTRACK_PAGE_SIZE = envint("PAGE_SIZE", "25")

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
