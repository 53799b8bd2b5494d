"""Settings for news57, read from the environment in this one place.

The defaults run one machine (`make run`): SQLite under var/, Celery on kombu's
filesystem transport, local-memory cache. Production sets DATABASE_URL,
CELERY_BROKER_URL, CACHE_URL, SECRET_KEY, ALLOWED_HOSTS and NEWS57_HTTPS;
`manage.py check --deploy` reports whatever of those is missing.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWS57_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false)")


def env_list(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default, minimum=None):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer") from error
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} must be at least {minimum}")
    return number


DEBUG = env_bool("DEBUG", False)


def _local_secret_key():
    # One machine without SECRET_KEY gets a random key kept under var/; the
    # deploy check news57.E001 refuses it, so production must set the variable.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("SECRET_KEY"))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [".localhost", "localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "news57",
    "news57.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Caching decisions last: it sees the response every other middleware made.
    "news57.middleware.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: the site has one language (LANGUAGE_CODE), and it would make every
    # public page Vary on Accept-Language, one cached copy per browser language. Wagtail's admin
    # activates each user's own language itself.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "news57.middleware.NormalizeUnicodeMiddleware",
    "news57.middleware.CachedSiteMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "news57.context_processors.agency",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
SQLITE_PATH = VAR_DIR / "news57.sqlite3"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
            conn_health_checks=True,
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(
        # The scheme only: the rest of the URL may hold a password.
        f"DATABASE_URL with scheme {os.environ['DATABASE_URL'].partition(':')[0]!r}: use postgres://user@host:port/name "
        "or sqlite:////absolute/path, or leave it unset"
    ) from error
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL lets readers run beside the
    # writer, IMMEDIATE takes the write lock up front (no upgrade deadlock),
    # and the timeout waits for it instead of failing "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # A file, not memory, so a worker started by a test sees the test data.
    # Per process, so two test runs in one checkout never share (and break) a file.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "news57.redis_cache.Cache", "LOCATION": CACHE_URL}}
elif CACHE_URL in ("", "locmem://"):
    # Django's default of 300 entries would drop fragments and site lookups once a few dozen sites are read.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20000}}
    }
elif CACHE_URL == "dummy://":
    # Nothing cached at all: how the benchmarks and query-count tests see the pages' own cost.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r}: use redis://host:port/db, dummy:// or leave it unset")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
# Ours first; then what completes and corrects Wagtail, Django, django-filter and taggit (docs/glossary.md):
# kept apart so that makemessages on ours never marks their msgids obsolete.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt")]
WAGTAIL_USER_TIME_ZONES = ["Asia/Ho_Chi_Minh"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# The admin's own scripts live beside its screens.
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "news57" / "admin" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve static files straight from the apps, so no collectstatic is needed to start.
WHITENOISE_USE_FINDERS = True
# Media through our own view (HTTP Range for video) unless a web server or
# object storage in front serves MEDIA_URL.
NEWS57_SERVE_MEDIA = env_bool("NEWS57_SERVE_MEDIA", True)

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_PERMISSIONS = 0o644

# HTTPS: production sets NEWS57_HTTPS=1 (behind a proxy, also SECURE_PROXY_SSL_HEADER).
NEWS57_HTTPS = env_bool("NEWS57_HTTPS", False)
if NEWS57_HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("NEWS57_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Wagtail's preview panel and our media view allow same-origin frames themselves.
X_FRAME_OPTIONS = "DENY"

# Celery: kombu's filesystem transport when no broker is named. It deletes a
# message on receipt, so our durability comes from the database, not from it.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "filesystem://"
if CELERY_BROKER_URL.partition("://")[0] not in {"filesystem", "redis", "rediss", "amqp", "amqps", "pyamqp"}:
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL with scheme {CELERY_BROKER_URL.partition(':')[0]!r}: "
        "use redis://host:port/db or amqp://user:password@host:port/vhost, "
        "or leave it unset for the embedded broker"
    )
# Web and worker must share this folder when they run as separate processes.
BROKER_DIR = Path(os.environ.get("NEWS57_BROKER_DIR") or VAR_DIR / "broker")
if CELERY_BROKER_URL == "filesystem://":
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    # kombu's, but a worker never takes a message half-written (cms/broker.py).
    CELERY_BROKER_TRANSPORT = "cms.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_TIMEZONE = "UTC"
# One queue per installation sharing a broker (a test worker uses its own).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("NEWS57_CELERY_QUEUE") or "celery"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Seconds between runs of Wagtail's scheduled publishing (tests shorten it).
NEWS57_PUBLISH_SCHEDULED_SECONDS = env_int("NEWS57_PUBLISH_SCHEDULED_SECONDS", 60, minimum=1)

# Syndication: beat looks for due sources every tick; a source may not be polled
# more often than the minimum; a failing one backs off up to the cap and is
# turned off after that many failures in a row.
NEWS57_SYNDICATION_TICK_SECONDS = env_int("NEWS57_SYNDICATION_TICK_SECONDS", 30, minimum=1)
# How often beat looks for queued documents nearly due or overdue, to e-mail their agencies.
NEWS57_DEADLINE_WARNING_SECONDS = env_int("NEWS57_DEADLINE_WARNING_SECONDS", 300, minimum=1)
NEWS57_SOURCE_MIN_INTERVAL_SECONDS = env_int("NEWS57_SOURCE_MIN_INTERVAL_SECONDS", 60, minimum=1)
NEWS57_SOURCE_MAX_BACKOFF_SECONDS = env_int("NEWS57_SOURCE_MAX_BACKOFF_SECONDS", 6 * 3600, minimum=1)
NEWS57_SOURCE_DISABLE_AFTER_FAILURES = env_int("NEWS57_SOURCE_DISABLE_AFTER_FAILURES", 50, minimum=1)
NEWS57_FETCH_CONNECT_TIMEOUT_SECONDS = env_int("NEWS57_FETCH_CONNECT_TIMEOUT_SECONDS", 5, minimum=1)
NEWS57_FETCH_TIMEOUT_SECONDS = env_int("NEWS57_FETCH_TIMEOUT_SECONDS", 30, minimum=1)
NEWS57_FETCH_MAX_BYTES = env_int("NEWS57_FETCH_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
NEWS57_ATTACHMENT_MAX_BYTES = env_int("NEWS57_ATTACHMENT_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)

WAGTAIL_SITE_NAME = "news57"
# The frontend cache (Varnish, deploy/varnish/news57.vcl) in front of the web server, comma-separated when
# there are several: every change is purged there by the worker. With one set, public pages may stay
# there a day (NEWS57_SHARED_MAX_AGE), since purges keep them fresh; without, a minute.
NEWS57_FRONTEND_CACHE = [url.strip() for url in os.environ.get("NEWS57_FRONTEND_CACHE", "").split(",") if url.strip()]
NEWS57_SHARED_MAX_AGE = env_int("NEWS57_SHARED_MAX_AGE", 24 * 3600, minimum=1)
# A page whose render began before a change committed can reach the cache after its purge: purged again then.
NEWS57_PURGE_REPEAT_SECONDS = env_int("NEWS57_PURGE_REPEAT_SECONDS", 5, minimum=1)

WAGTAILADMIN_BASE_URL = os.environ.get("NEWS57_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_I18N_ENABLED = False
# "simple": PostgreSQL's default English configuration drops "so", "do", "no", "to" as stop words
# and stems the folded Vietnamese fields ("chuyen doi so" would find nothing). SQLite ignores it.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "zip", "mp4", "webm", "txt", "csv"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024
# Public documents and videos are linked directly so media answers Range requests.
WAGTAILDOCS_SERVE_METHOD = "direct"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 60_000_000
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True
# No editor's e-mail hash goes to Gravatar: avatars are their initials, drawn here (news57.admin.avatars).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_USER_LOGIN_FORM = "news57.admin.login.LoginForm"

LOGIN_URL = "wagtailadmin_login"

# The console by default; SMTP once EMAIL_HOST names a server, unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other: STARTTLS on 587, or TLS on 465")
# Seconds an SMTP connection may hang before the send fails (and the next run retries).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "news57@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}
