"""Django settings for Jämlik, built from :mod:`jamlik.config` (the environment)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from jamlik.config import load_config

CONFIG = load_config()
BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = CONFIG.data_dir

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts) + (["testserver"] if CONFIG.debug else [])
CSRF_TRUSTED_ORIGINS = list(CONFIG.csrf_trusted_origins)
# Reverse proxies whose X-Forwarded-Proto/-For are believed (jamlik.core.proxies).
JAMLIK_TRUSTED_PROXIES = list(CONFIG.trusted_proxies)
# Where `jamlik fetch kolada|pxweb` sends its requests (jamlik.cli.fetch).
JAMLIK_KOLADA_URL = CONFIG.kolada_url
JAMLIK_PXWEB_URL = CONFIG.pxweb_url

# Reminders go out by SMTP when a server is configured; otherwise they are printed.
DEFAULT_FROM_EMAIL = CONFIG.email_from
if CONFIG.email is None:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = CONFIG.email.host
    EMAIL_PORT = CONFIG.email.port
    EMAIL_HOST_USER = CONFIG.email.user
    EMAIL_HOST_PASSWORD = CONFIG.email.password
    EMAIL_USE_TLS = CONFIG.email.use_tls
    EMAIL_USE_SSL = CONFIG.email.use_ssl
    EMAIL_TIMEOUT = 20

JAMLIK_APPS = [
    "jamlik.core",
    "jamlik.geo",
    "jamlik.accounts",
    "jamlik.indicators",
    "jamlik.actors",
    "jamlik.prerequisites",
    "jamlik.support",
    "jamlik.prevention",
    "jamlik.economics",
    "jamlik.reports",
    "jamlik.surveys",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from our own static files, not a CDN
    *JAMLIK_APPS,
]

MIDDLEWARE = [
    "jamlik.core.proxies.TrustedProxyMiddleware",  # first: before anything reads the scheme
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jamlik.core.middleware.ContentSecurityPolicyMiddleware",
    "jamlik.core.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jamlik.core.middleware.SwedishByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jamlik.core.middleware.ApiTokenMiddleware",
    "jamlik.core.middleware.SessionTimeoutMiddleware",
    "jamlik.core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "jamlik.urls"
WSGI_APPLICATION = "jamlik.wsgi.application"

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
                "jamlik.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(CONFIG.database_url, conn_max_age=60, conn_health_checks=True)
}
# SQLite serves a county's editors at once when: readers never wait for the writer (WAL);
# a transaction takes the write lock when it begins (IMMEDIATE), so two writers queue
# instead of both reading and then failing to upgrade their lock, which SQLite answers at
# once with "database is locked" whatever the timeout; a writer waits its turn (busy
# timeout) rather than failing; and commits do not wait for the disk twice
# (synchronous=NORMAL: safe in WAL mode, a power cut may lose the last commits, never
# corrupt the file). Every new connection runs the PRAGMAs.
SQLITE_BUSY_TIMEOUT = 20  # seconds
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "timeout": SQLITE_BUSY_TIMEOUT,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA cache_size=-32000;"  # 32 MB of pages, grown as used: large loads' indexes
            f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT * 1000}"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords are checked by the throttled backend only (it stops the chain on failure);
# the plain ModelBackend stays listed so sessions it made (and tests' force_login) load.
AUTHENTICATION_BACKENDS = [
    "jamlik.accounts.backends.ThrottledModelBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Login throttle (jamlik.accounts.throttle): per user name, never per address.
LOGIN_FREE_FAILURES = 5  # failures before the first delay
LOGIN_DELAY_SECONDS = 30  # the first delay; doubles with each further failure
LOGIN_MAX_DELAY_SECONDS = 15 * 60
LOGIN_MAX_CONCURRENT_HASHES = 2  # Argon2 checks at once per process (~100 MiB each)
LOGIN_HASH_WAIT_SECONDS = 5  # then "busy, try again" (429)

# Sessions end after SESSION_IDLE_TIMEOUT without a request, and SESSION_ABSOLUTE_TIMEOUT
# after login however active (jamlik.accounts.sessions).
SESSION_IDLE_TIMEOUT = int(float(os.environ.get("JAMLIK_SESSION_IDLE_HOURS") or 8) * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT = 14 * 24 * 3600

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it; finders serve the files
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# What one imported table may hold (jamlik.sources.limits): checked before a file is parsed,
# and for XLSX from the zip's directory before it is unpacked (zip bombs).
JAMLIK_IMPORT_MAX_BYTES = int(CONFIG.import_max_mb * 1024**2)
JAMLIK_IMPORT_MAX_ROWS = CONFIG.import_max_rows
JAMLIK_IMPORT_MAX_XLSX_BYTES = int(CONFIG.import_max_xlsx_mb * 1024**2)
JAMLIK_IMPORT_MAX_RATIO = CONFIG.import_max_ratio
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Security headers. Cookies are secure outside demo/dev (which serve plain http locally).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if CONFIG.production:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Believed only from JAMLIK_TRUSTED_PROXIES: TrustedProxyMiddleware drops the header
    # from any other peer before SecurityMiddleware reads it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],  # vega-embed sets style attributes on SVG
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
