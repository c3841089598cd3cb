"""Settings: one module, every deployment-specific value read from the environment (see .env.example).

A `.env` file beside manage.py is read if present; variables already in the environment win. With DEBUG off
(the default) the site refuses to start without a real SECRET_KEY and ALLOWED_HOSTS, and every security
setting defaults to its production value.
"""

import copy
import re
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

# --- Core -----------------------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-development-only-key-never-use-this-in-production"  # noqa: S105
elif len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or too weak. Set SECRET_KEY to a random string of at least 50 characters "
        "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), or set DEBUG=1 "
        "for local development."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is empty. Set ALLOWED_HOSTS to the comma-separated host names the site is served "
        "under (for example: ALLOWED_HOSTS=flasky.example.com), or set DEBUG=1 for local development."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The site's public address, for absolute links built outside a request (emails sent by workers, commands).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
SITE_NAME = "Flasky"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "flasky_project",
    "accounts",
    "social",
    "blog",
    "talks",
    "schedule",
    "moderation",
    "api",
]

# The layers named flasky_project.lanes.X are X (Django's sessions, authentication and messages, the
# accounts', moderation's, the read-ahead's, the inputs'), passed by for an API request that brings its own
# credentials: see flasky_project/lanes.py.
MIDDLEWARE = [
    "flasky_project.observability.RequestLogMiddleware",
    "flasky_project.proxy.TrustedProxyMiddleware",
    "flasky_project.db_router.ReplicaRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "flasky_project.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session is read: its trip to the cache carries its user's copy (accounts.backends).
    "flasky_project.readahead.ScopeMiddleware",
    "flasky_project.lanes.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF's check: a method the site's pages never take (PUT, DELETE, TRACE outside the API) is a 405
    # with Allow, not a 403 for a missing token.
    "flasky_project.lanes.SiteMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "flasky_project.lanes.AuthenticationMiddleware",
    "flasky_project.lanes.UserPreferencesMiddleware",
    # Before any process_view that reads the cache (moderation's notice): see flasky_project/readahead.py.
    "flasky_project.lanes.ReadAheadMiddleware",
    "flasky_project.lanes.MessageMiddleware",
    # Before any view: form text that is not valid UTF-8 is a 400; control characters are stripped.
    "flasky_project.inputs.TextInputMiddleware",
    "flasky_project.inputs.InvalidFormStatusMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "flasky_project.lanes.LoginMessageMiddleware",
    "flasky_project.lanes.LastSeenMiddleware",
    "flasky_project.lanes.UnconfirmedGateMiddleware",
    "flasky_project.lanes.SanctionMiddleware",
    "flasky_project.lanes.StaffTwoFactorMiddleware",
    "flasky_project.errors.ErrorPagesMiddleware",
]

ROOT_URLCONF = "flasky_project.urls"
WSGI_APPLICATION = "flasky_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "flasky_project.context_processors.site",
                "accounts.context_processors.unread_notifications",
                "talks.context_processors.pending_comments",
                "talks.context_processors.upcoming",
                "moderation.context_processors.open_reports",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the task worker work while a request writes; IMMEDIATE transactions take the
    # write lock up front instead of failing with "database is locked" half-way through.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Short web queries gain nothing from JIT compilation, which costs tens of milliseconds each time the
    # planner's estimate for a LIMITed query looks big.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Parameters sent apart from the SQL, and each statement a connection runs twice prepared: PostgreSQL then
    # plans a page's queries once per connection instead of on every request (the session's user's query
    # took 0.14 ms to plan and 0.05 ms to run). Off behind a pooler that hands a connection's statements to
    # other clients (PgBouncer in transaction mode before 1.21, without max_prepared_statements).
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)
# Read replicas (comma-separated URLs, e.g. streaming replicas of the primary): page and API reads go to one
# of them, everything else to the primary; a user who has just written reads from the primary for
# FLASKY_READ_YOUR_WRITES_SECONDS (see flasky_project/db_router.py). A replica that is down is skipped for
# FLASKY_REPLICA_RETRY_SECONDS. In tests each replica is a mirror of the test database.
DATABASE_REPLICAS = []
for _index, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[])):
    _replica = env.db_url_config(_url)
    if _replica["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS must name databases of the same kind as DATABASE_URL."
        )
    for _key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS"):
        if _key in DATABASES["default"]:
            _replica[_key] = copy.deepcopy(DATABASES["default"][_key])
    if _replica["ENGINE"] != "django.db.backends.sqlite3":
        # A replica that does not answer is given up on quickly: its reads go to the primary instead.
        _replica.setdefault("OPTIONS", {})["connect_timeout"] = 2
        _replica["CONN_HEALTH_CHECKS"] = True
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{_index}"] = _replica
    DATABASE_REPLICAS.append(f"replica_{_index}")
# Without replicas, no router: not even the cost of asking one.
DATABASE_ROUTERS = ["flasky_project.db_router.ReplicaRouter"] if DATABASE_REPLICAS else []
FLASKY_READ_YOUR_WRITES_SECONDS = env.int("FLASKY_READ_YOUR_WRITES_SECONDS", default=5)
FLASKY_REPLICA_RETRY_SECONDS = env.int("FLASKY_REPLICA_RETRY_SECONDS", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails soft: with Redis down the site serves on (see flasky_project/cache.py).
            "BACKEND": "flasky_project.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry_on_timeout": False},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "flasky_project.cache.LocalCache"}}

# Sessions live in the database and are read through the cache: fast, and nobody is logged out when the
# cache is flushed or restarted.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Background tasks -----------------------------------------------------------------------------------

TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# --- Accounts ---------------------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.RoleBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# What the login page says to a visitor sent there from a page that needs an account, by the URL namespace
# of that page ("" for any other): Flasky's words, and the scheduler's for its pages.
LOGIN_REQUIRED_MESSAGES = {
    "": _("Please log in to access this page."),
    "schedule": _("Please log in to see your appointments."),
}
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Addresses that become Administrators whenever an account is created with them.
FLASKY_ADMIN = [
    address.strip().lower() for address in env.list("FLASKY_ADMIN", default=[]) if address.strip()
]

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_USERNAME_VALIDATORS = "accounts.validators.username_validators"
ACCOUNT_USERNAME_MIN_LENGTH = 1
# Unconfirmed users may log in; UnconfirmedGateMiddleware keeps them on the account pages until they confirm.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirmation and email-change links are good for this many seconds (Flasky's tokens: one hour).
CONFIRMATION_LINK_MAX_AGE = env.int("CONFIRMATION_LINK_MAX_AGE", default=3600)
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = CONFIRMATION_LINK_MAX_AGE / (24 * 60 * 60)
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Flasky] "
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "add_email": "accounts.forms.AddEmailForm",
}
ACCOUNT_RATE_LIMITS = {
    # Failed logins: per address, and per account *and* address together (accounts.adapters); per account
    # alone under a higher ceiling, which a correct password from a device the owner used before passes.
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "30/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}

# Two-factor login (allauth.mfa): an authenticator app (TOTP) and recovery codes. Security keys (WebAuthn)
# are left off: see docs/api.md and the README.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Moderators and administrators must turn on two-factor login before they may use the moderation pages or
# the Django admin (they are sent to the Security page).
FLASKY_REQUIRE_2FA_FOR_STAFF = env.bool("FLASKY_REQUIRE_2FA_FOR_STAFF", default=not DEBUG)
# Signed-in sessions (allauth.usersessions). Its own activity tracking writes on every request; instead
# accounts.middleware.LastSeenMiddleware refreshes a session's address and time with the user's last_seen
# (at most once a minute).
USERSESSIONS_TRACK_ACTIVITY = False

# Downloading your data: the link in the email works once, for this many hours.
FLASKY_DATA_EXPORT_HOURS = env.int("FLASKY_DATA_EXPORT_HOURS", default=24)

AVATAR_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Decoding costs memory by the pixel (4 bytes each for a PNG): 16 megapixels take a phone photo.
AVATAR_MAX_PIXELS = 16_000_000
AVATAR_SIZE = 256
# Without an upload, a member's avatar is a letter avatar drawn here (accounts/letter_avatars.py). 1: ask
# Gravatar instead, which sends a hash of each email address to a third party and needs the internet.
FLASKY_GRAVATAR = env.bool("FLASKY_GRAVATAR", default=False)

# --- Email ------------------------------------------------------------------------------------------------

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Flasky Admin <flasky@example.com>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[Flasky] "
ADMINS = [("Flasky administrator", address) for address in FLASKY_ADMIN]

# --- Language and time ------------------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files and uploads -----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Let Django serve uploads itself: for development and tests. In production the web server serves MEDIA_ROOT.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
# Fingerprinted, compressed files need `collectstatic`; development and the tests serve the sources.
STATICFILES_MANIFEST = env.bool("STATICFILES_MANIFEST", default=not DEBUG)
# Uploads (avatars) go through default_storage only: a local folder (MEDIA_ROOT, one machine), or
# S3-compatible object storage shared by every web machine (MEDIA_STORAGE=s3, django-storages with its own
# variable names). With S3, pages link to the objects themselves (public or signed URLs): no web worker
# streams media.
MEDIA_STORAGE = (env.str("MEDIA_STORAGE", default="") or "local").lower()
if MEDIA_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")
if MEDIA_STORAGE == "s3":
    _S3_OPTIONS = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        # Empty: boto3 finds credentials itself (instance role, ~/.aws, its own environment variables).
        "access_key": env.str("AWS_ACCESS_KEY_ID", default=""),
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=""),
        # On (django-storages' default): signed URLs that expire, for a private bucket. Off: plain URLs to a
        # public-read bucket or a CDN (AWS_S3_CUSTOM_DOMAIN), which can then cache them.
        "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=True),
        "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
        # Names are random already; never let a new upload silently replace an object.
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=604800"},
    }
    _MEDIA_BACKEND = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _S3_OPTIONS}
    # Where pages load uploaded pictures from, for the Content-Security-Policy's img-src.
    if _S3_OPTIONS["custom_domain"]:
        MEDIA_ORIGINS = [f"https://{_S3_OPTIONS['custom_domain']}"]
    elif _S3_OPTIONS["endpoint_url"]:
        MEDIA_ORIGINS = [re.match(r"^\w+://[^/]+", _S3_OPTIONS["endpoint_url"]).group(0)]
    else:
        MEDIA_ORIGINS = [f"https://{_S3_OPTIONS['bucket_name']}.s3.amazonaws.com"]
        if _S3_OPTIONS["region_name"]:
            MEDIA_ORIGINS.append(
                f"https://{_S3_OPTIONS['bucket_name']}.s3.{_S3_OPTIONS['region_name']}.amazonaws.com"
            )
else:
    MEDIA_ORIGINS = []
    _MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATICFILES_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collected files (development, tests), WhiteNoise serves the sources and notices edits.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = not STATICFILES_MANIFEST
# How long a post card's or a comment's rendered HTML stays in the cache (blog.cards). Keys are digests of
# what a card shows, so nothing goes stale by waiting; this only bounds how long unused cards take room.
# Signed S3 addresses of pictures expire (django-storages: after an hour), so cards holding them must not
# outlive them.
FLASKY_CARD_CACHE_SECONDS = env.int("FLASKY_CARD_CACHE_SECONDS", default=24 * 60 * 60)
if MEDIA_STORAGE == "s3" and _S3_OPTIONS["querystring_auth"]:
    FLASKY_CARD_CACHE_SECONDS = min(FLASKY_CARD_CACHE_SECONDS, 30 * 60)
# The layout's per-reader fragments (flasky_project.fragments), keyed by what they show like the cards: this
# only bounds how long unused ones take room (and, like the cards, how long a signed avatar address lives).
FLASKY_FRAGMENT_CACHE_SECONDS = env.int("FLASKY_FRAGMENT_CACHE_SECONDS", default=60 * 60)
FLASKY_FRAGMENT_CACHE_SECONDS = min(FLASKY_FRAGMENT_CACHE_SECONDS, FLASKY_CARD_CACHE_SECONDS)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Security ---------------------------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the health check over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# The language switch's cookie: sent only over HTTPS when the session's is, and never read by scripts.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Behind a proxy (nginx, a load balancer) that sets X-Forwarded-Proto, trust it to say the request was HTTPS.
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)
# How many proxies (nginx, a load balancer) stand before the site and append to X-Forwarded-For: the
# client's address (for rate limits and logs) is taken that many hops from the right, and becomes
# REMOTE_ADDR for everything downstream. 0: the connection's own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "flasky_project.errors.csrf_failure"
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": [
        "'self'",
        "data:",
        *(["https://secure.gravatar.com"] if FLASKY_GRAVATAR else []),
        *MEDIA_ORIGINS,
    ],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": env.list(
        "CSP_FRAME_SOURCES",
        default=[
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://speakerdeck.com",
            "https://www.slideshare.net",
        ],
    ),
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# --- Forms and pages --------------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_TAGS = {40: "danger"}

FLASKY_POSTS_PER_PAGE = env.int("FLASKY_POSTS_PER_PAGE", default=20)
FLASKY_FOLLOWERS_PER_PAGE = env.int("FLASKY_FOLLOWERS_PER_PAGE", default=50)
FLASKY_COMMENTS_PER_PAGE = env.int("FLASKY_COMMENTS_PER_PAGE", default=30)
FLASKY_SLOW_DB_QUERY_TIME = env.float("FLASKY_SLOW_DB_QUERY_TIME", default=0.5)
# Search ranks the matches among the newest this-many posts when they hold ten pages of results, so a
# common word costs the same at a million posts as at a hundred thousand (see blog/search.py).
FLASKY_SEARCH_WINDOW = env.int("FLASKY_SEARCH_WINDOW", default=100_000)
FLASKY_TALKS_PER_PAGE = env.int("FLASKY_TALKS_PER_PAGE", default=50)
# Pages for visitors (home, a post, a profile, a tag, search, talks) are rendered once and served from the
# cache until anything they show changes (see flasky_project/pagecache.py), for at most this many seconds:
# the longest a page can lag the clock (a talk that has started still listed as upcoming) or a change made
# outside the site. 0 turns the page cache off. It needs a cache that every process shares (a write in one
# worker must make every worker's pages stale), so without REDIS_URL it is off unless set.
FLASKY_PAGE_CACHE_SECONDS = env.int("FLASKY_PAGE_CACHE_SECONDS", default=60 if REDIS_URL else 0)
# A logged-in reader's account is read from a copy kept in the cache (no query) while nothing it was read
# from has changed (see accounts/backends.py), for at most this many seconds: also the longest a change
# could go unseen if its notice to the cache were lost (Redis failing over). 0 turns the copies off. Like
# the page cache it needs a cache every process shares, so without REDIS_URL it is off unless set.
FLASKY_SESSION_USER_SECONDS = env.int("FLASKY_SESSION_USER_SECONDS", default=10 if REDIS_URL else 0)
# Comments from visitors without an account, per client address per hour (beyond: a 429 and a message).
FLASKY_GUEST_COMMENTS_PER_HOUR = env.int("FLASKY_GUEST_COMMENTS_PER_HOUR", default=10)
# Saves of the profile editors per user per hour (each may decode an avatar; beyond: a 429 and a message).
FLASKY_PROFILE_EDITS_PER_HOUR = env.int("FLASKY_PROFILE_EDITS_PER_HOUR", default=30)
# Live previews of a post per user per minute (each renders Markdown; beyond: a 429).
FLASKY_PREVIEWS_PER_MINUTE = env.int("FLASKY_PREVIEWS_PER_MINUTE", default=60)
# New comments on a post are announced in rounds: the first comment queues a round this many seconds
# ahead, and everything posted until it runs goes into one email per person. (With the in-process task
# backend rounds run at once.)
FLASKY_NOTIFICATION_ROUND_SECONDS = env.int("FLASKY_NOTIFICATION_ROUND_SECONDS", default=300)
# Trust and safety (see moderation/): a post or comment reported by this many different people is held
# for review (seen only by its author and moderators) until a moderator resolves the reports.
FLASKY_REPORTS_TO_HOLD = env.int("FLASKY_REPORTS_TO_HOLD", default=3)
# An account younger than this many hours, with nothing published before that, is new (see
# blog.services.new_account_refusal): it may put at most FLASKY_NEW_ACCOUNT_MAX_LINKS links in a post or
# comment, and publish at most so many posts and comments per hour.
FLASKY_NEW_ACCOUNT_HOURS = env.int("FLASKY_NEW_ACCOUNT_HOURS", default=24)
FLASKY_NEW_ACCOUNT_MAX_LINKS = env.int("FLASKY_NEW_ACCOUNT_MAX_LINKS", default=2)
FLASKY_NEW_ACCOUNT_POSTS_PER_HOUR = env.int("FLASKY_NEW_ACCOUNT_POSTS_PER_HOUR", default=3)
FLASKY_NEW_ACCOUNT_COMMENTS_PER_HOUR = env.int("FLASKY_NEW_ACCOUNT_COMMENTS_PER_HOUR", default=10)
# Seconds to wait before each new attempt at delivering an email the mail server refused.
FLASKY_EMAIL_RETRY_DELAYS = [
    int(s)
    for s in env.list("FLASKY_EMAIL_RETRY_DELAYS", default=["30", "120", "600", "1800", "7200", "21600"])
]

# --- API ------------------------------------------------------------------------------------------------

# Django REST framework, set up for Flasky's wire format (see api/ and docs/api.md).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The first one names the 401 challenge: WWW-Authenticate: Basic realm="Authentication Required".
        "api.authentication.BasicAuthentication",
        "api.authentication.BearerAuthentication",
        # The site's own JavaScript; CSRF is enforced on unsafe methods.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsConfirmedUser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.UserThrottle", "api.throttling.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_THROTTLE_USER", default="300/minute"),
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        # Wrong passwords in Basic auth: per account and IP together, and higher ceilings per IP (many
        # accounts tried from one address) and per account (one account tried from many addresses).
        "login": env.str("API_THROTTLE_LOGIN", default="10/minute"),
        "login_address": env.str("API_THROTTLE_LOGIN_ADDRESS", default="30/minute"),
        "login_account": env.str("API_THROTTLE_LOGIN_ACCOUNT", default="30/minute"),
    },
    # REMOTE_ADDR already holds the client's address (flasky_project.proxy.TrustedProxyMiddleware reads
    # X-Forwarded-For by TRUSTED_PROXY_COUNT), so DRF must not read the header again.
    "NUM_PROXIES": 0,
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.JSONFallbackNegotiation",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Flasky API",
    "DESCRIPTION": "Flasky's REST API, wire-compatible with the book's `/api/v1`, and more. "
    "See docs/api.md in the repository for a guide with examples.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The documentation page's files come from the drf-spectacular-sidecar package, served by the site.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "displayOperationId": False},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}
# An API token is good for this many seconds (Flasky: one hour).
API_TOKEN_MAX_AGE = 3600
# A right password sent with Basic auth is remembered this many seconds (0: never), so a client that sends it
# with every request runs the password hasher once in that time (api.checked_passwords, docs/api.md).
API_PASSWORD_CHECK_SECONDS = env.int("API_PASSWORD_CHECK_SECONDS", default=300)
# A token's account is kept in the cache this many seconds (0: read on every request), voided at once by any
# change to the account (api.tokens). Voiding needs a cache every process shares (a password changed in one
# worker must void the copy of every other), so without REDIS_URL it is off unless set.
API_TOKEN_ACCOUNT_SECONDS = env.int("API_TOKEN_ACCOUNT_SECONDS", default=300 if REDIS_URL else 0)


# --- Translation of posts ---------------------------------------------------------------------------------

# "libretranslate" or "deepl" to offer a Translate link on posts in another language; empty for none.
TRANSLATION_SERVICE = env.str("TRANSLATION_SERVICE", default="").lower()
# The service's base address (defaults: http://localhost:5000 for LibreTranslate, DeepL's free API).
TRANSLATION_URL = env.str("TRANSLATION_URL", default="")
TRANSLATION_API_KEY = env.str("TRANSLATION_API_KEY", default="")
TRANSLATION_TIMEOUT = env.float("TRANSLATION_TIMEOUT", default=8.0)
TRANSLATION_CACHE_SECONDS = env.int("TRANSLATION_CACHE_SECONDS", default=30 * 24 * 60 * 60)
if TRANSLATION_SERVICE not in ("", "libretranslate", "deepl"):
    raise ImproperlyConfigured("TRANSLATION_SERVICE must be empty, 'libretranslate' or 'deepl'.")

# --- Logging and errors -----------------------------------------------------------------------------------

# One line per log record on standard output: JSON for log collectors (the default without DEBUG), or
# plain text. Every line carries the request id and the user id.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "flasky_project.observability.ContextFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s] %(message)s"
        },
        "json": {"()": "flasky_project.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]},
        "mail_admins": {
            # Django's, with a secret address (a calendar feed's) redacted as in the logs.
            "class": "flasky_project.observability.RedactingAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        # The request lines go to standard output only (the proxy keeps its own access log too).
        "flasky.request": {
            "handlers": ["console"],
            "level": env.str("REQUEST_LOG_LEVEL", default="INFO"),
            "propagate": False,
        },
    },
}

# Errors go to Sentry when SENTRY_DSN is set (else they are emailed to ADMINS, the FLASKY_ADMIN addresses).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    from flasky_project.observability import redact_sentry_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
        before_send=redact_sentry_event,  # a calendar feed's secret address never leaves as it is
    )
    LOGGING["loggers"]["django.request"]["handlers"] = ["console"]
