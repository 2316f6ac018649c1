"""Settings for the archive, read from the environment (see README, "Configuration").

Every variable goes through the helpers in ``archive.env``, which refuse a value they
cannot use. Nothing secret is committed: ``SECRET_KEY`` must be set unless ``DEBUG`` is on.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from archive.env import envbool, envint, envlist, envpath, envstr, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", False)

# Without DEBUG an unset key stays empty: Django refuses any use of an empty key (signing
# a session or a form), archive.wsgi refuses to start a server without one, while
# tooling that signs nothing (makemigrations --check, compilemessages) still runs.
SECRET_KEY = envstr("SECRET_KEY") or ""
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-used-only-with-DEBUG"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# Which version of the archive produced a page or a dossier; set by the deployment.
ARCHIVE_VERSION = envstr("ARCHIVE_VERSION", "0.1.0")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_filters",
    "import_export",
    "simple_history",
    # The kernel (app label "archive"), the apps on it, then the top floor that ties
    # them together (docs/architecture.md).
    "archive.core",
    "sources",
    "perpetrators",
    "victims",
    "archive",
]

MIDDLEWARE = [
    # The header middleware come before whitenoise so that static files get the same
    # security headers as pages.
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "archive.routers.PublicReadsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # gzip for public pages only, never for one holding a CSRF token or a session's data
    # (BREACH); outside the page cache, which keeps pages plain.
    "archive.middleware.PublicGZipMiddleware",
    # The API's JSON errors, CORS and Cache-Control, then 304s for a client that holds
    # the current answer (the API's ETag, or a digest of the page): both outside the page
    # cache, so that a page it serves gets them too.
    "archive.middleware.ApiMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "archive.middleware.AdminLanguageMiddleware",
    "archive.pagecache.PublicPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

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
                "archive.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        envstr("DATABASE_URL") or "sqlite:///db.sqlite3", base_dir=BASE_DIR
    )
}
# A PostgreSQL read replica for the public pages (see archive/routers.py, docs/deploy.md).
if envstr("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = parse_database_url(envstr("DATABASE_REPLICA_URL"), base_dir=BASE_DIR)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["archive.routers.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # The database cache is shared by every worker, so that counters (rate limits) and
    # computed statistics hold across processes without another server.
    # A failing call is a miss, logged: a cache is never a condition of a request
    # (archive/caching.py).
    "default": {
        "BACKEND": "archive.core.caching.FailSoftDatabaseCache",
        "LOCATION": "archive_cache",
        "TIMEOUT": 3600,
        # Whole pages share it (PAGE_CACHE_SHARED): room for a few thousand.
        "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 3000)},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fa", _("Persian"))]
# The project's catalogue, then its Persian for the libraries' strings their catalogues leave
# empty (locale/libraries: makemessages does not write it).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "libraries"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = envpath("STATIC_ROOT", BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves hashed, compressed files (collectstatic); development and the test
# suite serve the source files through whitenoise's finders.
STATIC_MANIFEST = envbool("STATIC_MANIFEST", not DEBUG)
# Public media on S3-compatible storage when a bucket is configured (django-storages);
# families' attachments never go there (see PRIVATE_MEDIA_ROOT).
AWS_STORAGE_BUCKET_NAME = envstr("MEDIA_S3_BUCKET")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                "endpoint_url": envstr("MEDIA_S3_ENDPOINT_URL"),
                "region_name": envstr("MEDIA_S3_REGION"),
                "access_key": envstr("MEDIA_S3_ACCESS_KEY_ID"),
                "secret_key": envstr("MEDIA_S3_SECRET_ACCESS_KEY"),
                "custom_domain": envstr("MEDIA_S3_CUSTOM_DOMAIN"),
                "querystring_auth": False,
                "file_overwrite": False,
                "default_acl": None,
            },
        }
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
WHITENOISE_MAX_AGE = 31536000 if STATIC_MANIFEST else 0
# Public media (published victims' photos).
MEDIA_URL = "/media/"
MEDIA_ROOT = envpath("MEDIA_ROOT", BASE_DIR / "media")
# Families' attachments: outside MEDIA_ROOT, never served by URL, only through a staff view.
PRIVATE_MEDIA_ROOT = envpath("PRIVATE_MEDIA_ROOT", BASE_DIR / "private")
# Sources' documents: originals kept byte for byte under their SHA-256, and the files
# derived from them; no URL maps to it (views serve what the public may see).
EVIDENCE_ROOT = envpath("EVIDENCE_ROOT", BASE_DIR / "evidence")
# The largest document kept: a PDF, image or text file; audio or video; a PDF's pages;
# an image's pixels (the error on a refused file names the setting).
DOCUMENT_MAX_BYTES = envint("DOCUMENT_MAX_BYTES", 200 * 1024 * 1024)
DOCUMENT_MAX_MEDIA_BYTES = envint("DOCUMENT_MAX_MEDIA_BYTES", 1024 * 1024 * 1024)
DOCUMENT_MAX_PAGES = envint("DOCUMENT_MAX_PAGES", 2000)
DOCUMENT_MAX_PIXELS = envint("DOCUMENT_MAX_PIXELS", 100_000_000)

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
BACKUP_DIR = envpath("BACKUP_DIR", BASE_DIR / "backups")
# age keys (archive/backups.py, docs/security.md): the public key (age1...) on the server
# encrypts backups; the secret key (AGE-SECRET-KEY-1...) restores them and stays off it.
BACKUP_KEYS = envlist("BACKUP_KEY", [])

LOGIN_URL = "admin:login"

# --- Security (docs/security.md) ---------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, so a locked account is refused early
    "django.contrib.auth.backends.ModelBackend",
]
# Staff sessions end after 8 hours or when the browser closes; every request renews it.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Served over HTTPS in production: HSTS, secure cookies, redirect from http.
HTTPS = envbool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
# Same-site requests keep their Origin (Django's CSRF check refuses a form post whose
# Origin is "null", which "no-referrer" makes browsers send); a cited site learns nothing
# of where its reader came from (no referrer leaves the site; outbound links also carry
# rel="noreferrer").
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No page uses the camera, microphone, position or any device, and none takes part in
# interest-based advertising (FLoC's interest-cohort, the Topics API): every such feature is
# off for the site and anything it could ever embed (django-permissions-policy).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics",
        "camera", "display-capture", "encrypted-media", "geolocation", "gyroscope", "hid",
        "idle-detection", "interest-cohort", "local-fonts", "magnetometer", "microphone",
        "midi", "payment", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip
# The CSRF cookie is a trace, on a family's phone, that it opened the form: Django's default
# keeps it a year. It lives 8 hours from the last page that showed a form (each such page
# renews it): longer than anyone takes to write a testimony, as long as a staff session,
# and gone by the next day whatever the browser does. A session cookie (None) would go
# when the browser closes, which phones seldom do (they restore "session" cookies for
# weeks). A form sent after it expired loses nothing: the CSRF failure page shows what
# was typed again, with a fresh token.
CSRF_COOKIE_AGE = envint("CSRF_COOKIE_AGE", 8 * 3600)

# Nothing but our own origin: no inline script, no third-party font, script or frame.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Sign-in lockout (archive/staff_signin.py, docs/security.md "Staff accounts"): ten
# failures from one client lock the account for that client for an hour; failures from many
# clients (each adding at most ten a day) lock the account itself for a day. Counted in the
# shared cache (atomic increments) under keyed hashes, which expire with their window: no
# address or username is stored in clear, no row outlives the window.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
STAFF_ACCOUNT_FAILURE_LIMIT = envint("STAFF_ACCOUNT_FAILURE_LIMIT", 100)
STAFF_ACCOUNT_COOLOFF_HOURS = envint("STAFF_ACCOUNT_COOLOFF_HOURS", 24)
AXES_HANDLER = "archive.staff_signin.StaffLockoutHandler"
AXES_CACHE = "ratelimit"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_CLIENT_IP_CALLABLE = "archive.staff_signin.client_hash"
# A try refused because of a lock is not a guess: it neither counts nor prolongs the lock.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_LOCKOUT_CALLABLE = "archive.staff_signin.lockout_response"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "1988 Massacre Archive"
# Where the site is served, e.g. https://archive.example.org: create_staff_user prints its
# sign-in address from it (`make admin-user` passes HOST and PORT when it is not set).
SITE_URL = envstr("SITE_URL", "")
# Paging of public lists and the API.
PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 100

IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_USE_TRANSACTIONS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"scrub": {"()": "archive.security.ScrubPersonalData"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["scrub"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # django.server logs every request line with the client's address: silenced, since
        # the archive never records who asked for what.
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Models whose people search index (archive.core.search) is kept on ``name_keys``.
SEARCHABLE_MODELS = ["victims.Victim", "perpetrators.Perpetrator"]

# --- Submissions (families' form, victims.submission_*) ------------------------------------
# Contact details are encrypted with SUBMISSION_KEY: one or more Fernet keys, comma-separated,
# the first encrypting and the others still decrypting (rotation). Make one with
#   python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
# Without it (development, the test suite) a key is derived from SECRET_KEY, and
# ``manage.py check --deploy`` fails (victims.E001) so that production cannot run so.
SUBMISSION_KEYS = envlist("SUBMISSION_KEY", [])
for _key in SUBMISSION_KEYS:
    try:
        from cryptography.fernet import Fernet

        Fernet(_key.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise ImproperlyConfigured(
            "SUBMISSION_KEY must be Fernet keys (44 characters of URL-safe base64), "
            "comma-separated; one of them is not."
        ) from None
# Attachments: photos and scans only (PDFs are refused), re-encoded without metadata.
SUBMISSION_MAX_FILES = envint("SUBMISSION_MAX_FILES", 5)
SUBMISSION_MAX_FILE_BYTES = envint("SUBMISSION_MAX_FILE_BYTES", 10 * 1024 * 1024)
SUBMISSION_MAX_IMAGE_PIXELS = envint("SUBMISSION_MAX_IMAGE_PIXELS", 40_000_000)
SUBMISSION_MAX_TEXT = envint("SUBMISSION_MAX_TEXT", 20_000)
# Per client, counted in the shared cache under an HMAC of the address (never stored in a
# table or a log): submissions stored, every POST of the form, receipt look-ups.
SUBMISSION_RATE = envstr("SUBMISSION_RATE", "10/h")
SUBMISSION_POST_RATE = envstr("SUBMISSION_POST_RATE", "30/h")
SUBMISSION_LOOKUP_RATE = envstr("SUBMISSION_LOOKUP_RATE", "30/h")
# The same table as the default cache, through a backend whose increment is atomic
# (django-ratelimit counts with incr(), which Django's database cache does as get + set).
# Whole public pages (archive.pagecache), keyed on the data's version: a cache local to
# each worker is never stale, only cold; PAGE_CACHE_SECONDS=0 turns it off. Off by default
# when DEBUG: a developer's template edit does not change the data's version.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 0 if DEBUG else 600)
PAGE_CACHE_EXCLUDE = ("/admin/",)
# The second level, shared by every worker and machine ("" for none): a page is rendered
# once per data version, not once per worker.
PAGE_CACHE_SHARED = envstr("PAGE_CACHE_SHARED", "default")
# ... for the pages whose rendering took at least this much CPU (ms): a page of one record
# or one search costs less to render than to store there, and is seldom asked for twice.
PAGE_CACHE_SHARE_MS = envint("PAGE_CACHE_SHARE_MS", 10)
# The people search and the data's version read prepare their statements once per
# PostgreSQL connection (planning cost more than running them: archive.core.prepared).
# Off behind a pooler that hands a worker's statements to different server connections
# (pgbouncer in transaction mode, any version: it tracks protocol-level prepared
# statements, not SQL PREPARE): SEARCH_PREPARED=0.
SEARCH_PREPARED = envbool("SEARCH_PREPARED", True)
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "archive-pages",
    "TIMEOUT": PAGE_CACHE_SECONDS,
    "OPTIONS": {"MAX_ENTRIES": envint("PAGE_CACHE_ENTRIES", 1000)},
}
# The site's header and footer ({% cache %} in base.html): the same for every page of a
# language, so each worker renders them once (0.4 ms of every page not in the page
# cache). Nothing to keep when DEBUG, so that an edited template shows at once.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends."
    + ("dummy.DummyCache" if DEBUG else "locmem.LocMemCache"),
    "LOCATION": "archive-fragments",
    "TIMEOUT": None,
}
CACHES["ratelimit"] = {
    "BACKEND": "victims.submission_ratelimit.AtomicDatabaseCache",
    "LOCATION": CACHES["default"]["LOCATION"],
    "TIMEOUT": 3600,
}
RATELIMIT_USE_CACHE = "ratelimit"
# A counter that cannot be read or written (the cache's table missing, its server down)
# lets the request through, logged (archive.core.caching): a family's submission is never lost
# to a cache; the honeypot and the form's checks still hold.
RATELIMIT_FAIL_OPEN = True
# Behind a reverse proxy, the header that carries the client's address (e.g.
# HTTP_X_REAL_IP); over a Tor onion service every visitor shares one address, and one limit.
RATELIMIT_IP_META_KEY = envstr("RATELIMIT_IP_META_KEY") or None
CSRF_FAILURE_VIEW = "victims.submission_views.csrf_failure"
