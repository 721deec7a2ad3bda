"""Settings for the newsroom CMS, read from the environment in this one module.

Development needs nothing set: SQLite and uploads live under ``var/``. With ``DEBUG`` off (the
default) the process refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``, and the
security settings are those ``manage.py check --deploy`` asks for.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local `.env` file (made by `make setup`, never committed) holds a developer machine's
# settings, so `manage.py` works there without exporting anything. Real environment variables
# win over it; production has no such file and sets everything in the environment.
ENV_FILE = Path(env.str("ENV_FILE", default=str(BASE_DIR / ".env")))
if ENV_FILE.is_file():
    environ.Env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: python -c "
            "'from django.core.management.utils import get_random_secret_key as k; print(k())'"
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public site that renders our content; admin "view on site" links and the API's `url`
# fields point there.
FRONTEND_URL = env.str("FRONTEND_URL", default="http://localhost:3000").rstrip("/")
# Paths on the frontend, shared by the API (`path`, `url`), the admin and later feeds/webhooks.
FRONTEND_PATHS = {
    "article": "/articles/{slug}/",
    "author": "/authors/{slug}/",
    "section": "/sections/{slug}/",
    "tag": "/tags/{slug}/",
}
# The frontend's preview page, opened by the admin's Preview button: `{slug}`, `{path}` and
# `{token}` (a signed token for that one article) are filled in. Tokens expire after
# PREVIEW_TOKEN_MAX_AGE seconds.
PREVIEW_URL = env.str(
    "PREVIEW_URL", default=FRONTEND_URL + "/api/preview?slug={slug}&token={token}"
)
try:
    PREVIEW_URL.format(slug="", path="", token="")
except (KeyError, IndexError, ValueError):
    raise ImproperlyConfigured(
        "PREVIEW_URL may contain {slug}, {path} and {token} and no other {placeholder}."
    ) from None
PREVIEW_TOKEN_MAX_AGE = env.int("PREVIEW_TOKEN_MAX_AGE", default=60 * 60)
# The publisher named in articles' structured data (schema.org NewsArticle `publisher`).
PUBLISHER_NAME = env.str("PUBLISHER_NAME", default="Newsroom")
PUBLISHER_URL = env.str("PUBLISHER_URL", default=FRONTEND_URL + "/")
PUBLISHER_LOGO_URL = env.str("PUBLISHER_LOGO_URL", default="")
# RSS/Atom feeds: how many of the latest articles they list; feeds and sitemaps may be cached
# by browsers and CDNs for FEED_CACHE_MAX_AGE seconds.
FEED_ITEMS = env.int("FEED_ITEMS", default=30)
FEED_CACHE_MAX_AGE = env.int("FEED_CACHE_MAX_AGE", default=300)
# Search ranks and counts only the newest SEARCH_MAX_MATCHES public matches, so a word found in
# much of the archive costs what a rare one costs (`totalCount` stops there: "1,000+ results").
SEARCH_MAX_MATCHES = env.int("SEARCH_MAX_MATCHES", default=1000)
if SEARCH_MAX_MATCHES < 1:
    raise ImproperlyConfigured("SEARCH_MAX_MATCHES must be at least 1.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "corsheaders",
    "axes",
    "strawberry_django",
    "django_prose_editor",
    "media",
    "authors",
    "articles",
    "cms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: locks out repeated failed admin logins.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves the admin's static files from the app servers, compressed and cached
    # for ever (development's runserver serves them itself).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing on the admin login: after AXES_FAILURE_LIMIT failures for one user name from
# one address, that pair is locked out for AXES_COOLOFF_MINUTES. Kept in the database, so every
# app server sees the same count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a load balancer the client's address is in X-Forwarded-For; count proxies in front.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en-gb")
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
MEDIA_URL = env.str("MEDIA_URL", default="/uploads/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
if Path(MEDIA_ROOT).resolve() == (BASE_DIR / "media").resolve():
    raise ImproperlyConfigured("MEDIA_ROOT must not be the `media` package; use var/media.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Development serves static files as they are; production serves hashed, compressed
        # copies made by collectstatic, which browsers may cache for ever.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Object storage for originals and renditions (S3 or any S3-compatible service), so that any
# number of app servers share one set of files. The bucket stays private: originals are never
# public, and renditions reach readers through the serving view (and a CDN in front of it).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Uploads: the largest file an editor may upload, and the pixel cap that stops decompression
# bombs before Pillow decodes them.
IMAGE_MAX_UPLOAD_BYTES = env.int("IMAGE_MAX_UPLOAD_BYTES", default=30 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=50_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Renditions: the widths and heights a frontend may ask for are snapped up to this ladder and
# capped at the largest edge, so one photo can only ever produce a bounded number of files.
IMAGE_RENDITION_SIZES = env.list(
    "IMAGE_RENDITION_SIZES",
    cast=int,
    default=[64, 96, 160, 240, 320, 480, 640, 800, 960, 1200, 1600, 2000, 2400],
)
IMAGE_RENDITION_MAX_EDGE = max(IMAGE_RENDITION_SIZES)
# Renditions made at once per process (each may decode a large original), and how long a
# first request waits for a free slot before it is told to retry (503).
IMAGE_MAX_CONCURRENT_RENDERS = env.int("IMAGE_MAX_CONCURRENT_RENDERS", default=2)
IMAGE_RENDER_WAIT_SECONDS = env.float("IMAGE_RENDER_WAIT_SECONDS", default=10.0)
# Publishing needs alt text and a credit on the lead photo.
IMAGE_CREDIT_REQUIRED = env.bool("IMAGE_CREDIT_REQUIRED", default=True)
# The admin lists published articles whose photos' rights end within this many days.
IMAGE_RIGHTS_WARNING_DAYS = env.int("IMAGE_RIGHTS_WARNING_DAYS", default=30)

# Frontends calling the API from a browser.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/graphql/?$"
CORS_ALLOW_METHODS = ["GET", "POST", "OPTIONS"]

# The cache: local memory for one process in development; Redis (CACHE_URL, or REDIS_URL as an
# alias) when several processes or machines must share API responses and their invalidation.
CACHES = {
    "default": env.cache_url(
        "CACHE_URL", default=env.str("REDIS_URL", default="") or "locmemcache://"
    )
}

# GraphQL API limits: page sizes of connections, and query shape limits.
GRAPHQL_DEFAULT_PAGE_SIZE = 20
GRAPHQL_MAX_PAGE_SIZE = 100
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=12)
GRAPHQL_MAX_ALIASES = env.int("GRAPHQL_MAX_ALIASES", default=30)
GRAPHQL_MAX_TOKENS = env.int("GRAPHQL_MAX_TOKENS", default=5000)
# The most objects one query may ask for through connections, counting nested pages as their
# parent's page size times their own; a plain list counts as GRAPHQL_LIST_ESTIMATE items.
GRAPHQL_MAX_COST = env.int("GRAPHQL_MAX_COST", default=1000)
GRAPHQL_LIST_ESTIMATE = 10
# Introspection serves GraphiQL and code generators; production frontends use schema.graphql.
GRAPHQL_INTROSPECTION = env.bool("GRAPHQL_INTROSPECTION", default=DEBUG)
# GraphQL over HTTP: the largest request body, and persisted queries: "apq" (automatic
# persisted queries, any document may run), "allowlist" (only documents registered with
# `manage.py register_queries` run) or "off". APQ documents stay in the cache this long.
GRAPHQL_MAX_BODY_BYTES = env.int("GRAPHQL_MAX_BODY_BYTES", default=100 * 1024)
GRAPHQL_PERSISTED_QUERIES = env.str("GRAPHQL_PERSISTED_QUERIES", default="apq")
if GRAPHQL_PERSISTED_QUERIES not in ("apq", "allowlist", "off"):
    raise ImproperlyConfigured('GRAPHQL_PERSISTED_QUERIES must be "apq", "allowlist" or "off".')
GRAPHQL_APQ_TIMEOUT = env.int("GRAPHQL_APQ_TIMEOUT", default=7 * 24 * 60 * 60)
# Anonymous GET responses: how long browsers and CDNs may keep them, and serve them stale
# while fetching a fresh copy (seconds).
GRAPHQL_CACHE_MAX_AGE = env.int("GRAPHQL_CACHE_MAX_AGE", default=60)
GRAPHQL_CACHE_SWR = env.int("GRAPHQL_CACHE_SWR", default=300)
# Whole anonymous responses kept in the cache above, until content changes (or this timeout).
GRAPHQL_RESPONSE_CACHE = env.bool("GRAPHQL_RESPONSE_CACHE", default=True)
GRAPHQL_RESPONSE_CACHE_TIMEOUT = env.int("GRAPHQL_RESPONSE_CACHE_TIMEOUT", default=600)
# A list's `totalCount` kept in the same cache under the same content version (for as long),
# so an uncached front page does not count the whole archive again.
GRAPHQL_COUNT_CACHE = env.bool("GRAPHQL_COUNT_CACHE", default=True)

# Change webhooks, sent by `manage.py deliver_webhooks`: seconds per request, attempts before a
# delivery is marked failed, the first retry's delay (doubled each time, up to the maximum), how
# long a claimed delivery stays reserved for the worker that claimed it (after that, another
# worker may retry it), and how often the worker looks for due work.
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_RETRY_DELAY = env.float("WEBHOOK_RETRY_DELAY", default=30.0)
WEBHOOK_RETRY_MAX_DELAY = env.float("WEBHOOK_RETRY_MAX_DELAY", default=6 * 60 * 60.0)
WEBHOOK_CLAIM_SECONDS = env.float("WEBHOOK_CLAIM_SECONDS", default=120.0)
WEBHOOK_POLL_INTERVAL = env.float("WEBHOOK_POLL_INTERVAL", default=5.0)
# Days the record of sent events, deliveries and attempts is kept (the worker prunes hourly).
WEBHOOK_RETENTION_DAYS = env.int("WEBHOOK_RETENTION_DAYS", default=30)

STRAWBERRY_DJANGO = {
    "FIELD_DESCRIPTION_FROM_HELP_TEXT": True,
    "TYPE_DESCRIPTION_FROM_MODEL_DOCSTRING": False,
    "PAGINATION_DEFAULT_LIMIT": GRAPHQL_DEFAULT_PAGE_SIZE,
    "PAGINATION_MAX_LIMIT": GRAPHQL_MAX_PAGE_SIZE,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe the health check over plain HTTP inside the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # Sends the preload directive; a domain only joins browsers' preload lists when its owner
    # submits it, so this is consent, not enrolment.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
    SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
    SESSION_COOKIE_HTTPONLY = True
