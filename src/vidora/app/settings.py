"""Django settings for the Vidora app, read from environment variables.

The embedded default needs no server: SQLite, local media and a Celery broker
on SQLite (SQLAlchemy transport), all under VIDORA_HOME (default ./var).
Production sets DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis) and
VIDORA_S3_BUCKET (S3-compatible storage through django-storages).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

APP_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("VIDORA_HOME", Path.cwd() / "var")).resolve()
HOME.mkdir(parents=True, exist_ok=True)


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated on first run and kept in VIDORA_HOME."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = HOME / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _flag("VIDORA_DEBUG")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # the API docs page's static files
    "vidora.app.accounts",
    "vidora.app.studio",
    "vidora.app.social",
    "vidora.app.feed",
    "vidora.app.api",
    "vidora.app.cameos",
    "vidora.app.moderation",
    "vidora.app.quotas",
    "vidora.app.parental",
    "vidora.app.messaging",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vidora.app.api.errors.JsonErrorsMiddleware",
    "vidora.app.middleware.RefuseNulCharacters",  # PostgreSQL stores no NUL: a 400 naming the field, not a 500
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "vidora.app.urls"
WSGI_APPLICATION = "vidora.app.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [APP_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vidora.app.social.context_processors.unread_notifications",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{HOME / 'vidora.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server and the worker write concurrently: WAL and a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "studio:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [APP_DIR / "static"]
STATIC_ROOT = HOME / "static"  # collectstatic fills it; whitenoise serves it
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = HOME / "media"
if bucket := os.environ.get("VIDORA_S3_BUCKET"):
    # Credentials and endpoint come from the usual AWS_* variables (AWS_S3_ENDPOINT_URL for MinIO and friends).
    # Never overwrite: two people's avatars named me.png stay two files (a taken name gets a suffix, as on disk).
    media_storage = {"BACKEND": "storages.backends.s3.S3Storage",
                     "OPTIONS": {"bucket_name": bucket, "file_overwrite": False}}
else:
    media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": media_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Inputs to generation (images, videos) are checked again by content; this caps what is read at all.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Shared by every web process (rate-limit counters): the database by default, Redis in production.
if cache_url := os.environ.get("VIDORA_CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": cache_url}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "vidora_cache"}}
RATELIMIT_VIEW = "vidora.app.ratelimits.too_many_requests"

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", f"sqla+sqlite:///{HOME / 'broker.sqlite3'}")
CELERY_TASK_ALWAYS_EAGER = _flag("VIDORA_EAGER_JOBS")
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-generation leaves the job queued, not lost
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # status lives on the Generation row

VIDORA = {
    "MODEL": os.environ.get("VIDORA_MODEL", "builtin"),
    # The moving "Vidora @handle" mark on every video; the invisible watermark and C2PA are always on.
    # (Where the CA and the fingerprint index live: VIDORA_C2PA_DIR, VIDORA_FINGERPRINT_INDEX; see vidora.provenance.)
    "VISIBLE_WATERMARK": _flag("VIDORA_VISIBLE_WATERMARK", True),
    "INVITES_PER_USER": int(os.environ.get("VIDORA_INVITES_PER_USER", "3")),
    "MIN_AGE": 13,
    "ADULT_AGE": 18,
    # Rate limits (count/period) per client address (login, signup, generate_ip) or account (login_account,
    # generate).
    "RATES": {
        "login": os.environ.get("VIDORA_RATE_LOGIN", "10/m"),
        "login_account": os.environ.get("VIDORA_RATE_LOGIN_ACCOUNT", "20/h"),
        "signup": os.environ.get("VIDORA_RATE_SIGNUP", "10/h"),
        "generate": os.environ.get("VIDORA_RATE_GENERATE", "30/h"),
        "generate_ip": os.environ.get("VIDORA_RATE_GENERATE_IP", "60/h"),
        "verify": os.environ.get("VIDORA_RATE_VERIFY", "60/h"),
        "cameo": os.environ.get("VIDORA_RATE_CAMEO", "10/h"),
    },
    "QUOTAS": {
        "FREE_DAILY": int(os.environ.get("VIDORA_FREE_DAILY_GENERATIONS", "20")),  # per account per UTC day
        # Queued generations from which on the studio says free ones wait behind credit-backed ones.
        "HIGH_DEMAND_QUEUE": int(os.environ.get("VIDORA_HIGH_DEMAND_QUEUE", "8")),
    },
    "MODERATION": {
        # Operators' own term lists (TOML in the format of vidora/safety/data/terms.toml), separated by ":".
        "TERMS": [p for p in os.environ.get("VIDORA_MODERATION_TERMS", "").split(os.pathsep) if p],
        # Sampled frames of every video are scored for nudity before its owner sees it; flagged ones are held.
        "OUTPUT": _flag("VIDORA_OUTPUT_MODERATION", True),
        "OUTPUT_FRAMES": int(os.environ.get("VIDORA_OUTPUT_FRAMES", "8")),
        "OUTPUT_THRESHOLD": float(os.environ.get("VIDORA_OUTPUT_THRESHOLD", "0.6")),
        "OUTPUT_THRESHOLD_TEEN": float(os.environ.get("VIDORA_OUTPUT_THRESHOLD_TEEN", "0.35")),
    },
    # Teen accounts' continuous-scroll cap: feed videos a day, unless a linked parent sets another.
    "TEENS": {"DAILY_SCROLL_LIMIT": int(os.environ.get("VIDORA_TEEN_DAILY_SCROLL_LIMIT", "100"))},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("VIDORA_LOG_LEVEL", "INFO")},
}
