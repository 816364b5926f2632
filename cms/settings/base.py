"""Settings shared by every environment. Configuration comes from the environment (see README)."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
NETWORK_SITE_URL = SITE_URL  # the network app's absolute links (it reads no setting of the site's own)
VISITS_SITE_URL = SITE_URL
VISITS_PAGE_TYPES = ["cms.ExemplarPage"]  # hosts offer visits to exemplars
# invites: calendars send replies to the organiser, so a mailbox someone reads; UIDs end with the site's host
VISITS_ORGANIZER_EMAIL = env("VISITS_ORGANIZER_EMAIL", default="visits@coproduce.localhost")
VISITS_CALENDAR_DOMAIN = urlsplit(SITE_URL).hostname or "localhost"
WAGTAIL_SITE_NAME = "Coproduce"

INSTALLED_APPS = [
    "cms",
    "visits",
    "network",
    "network.blog",
    "network.forum",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
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
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "cms.middleware.CacheMemoMiddleware",  # first: everything below reads each cache key once per request
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "cms.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # right after authentication, so every response below it (the admin gates' own pages too) is covered
    "network.middleware.PrivateWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "network.middleware.SessionActivityMiddleware",  # allauth's session tracking, without a write per request
    "network.middleware.MembershipAdminGateMiddleware",
    "cms.middleware.StaffMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.middleware.CachedSiteMiddleware",
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
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'coproduce.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout let the worker and the web process share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://coproduce")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # one client per pool, and one read per key per request (cms/cache.py)
    CACHES["default"]["BACKEND"] = "cms.cache.MemoRedisCache"

# Every message goes into the outbox (network.mail.OutboxBackend); the outbox delivers it through the
# backend EMAIL_URL names, from a background task, with retries.
_email = env.email("EMAIL_URL", default="consolemail://")
NETWORK_OUTBOX_DELIVERY_BACKEND = _email.pop("EMAIL_BACKEND")
globals().update(_email)
EMAIL_BACKEND = "network.mail.OutboxBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Coproduce <no-reply@coproduce.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}
if TASKS["default"]["BACKEND"].endswith(
    "RQBackend"
):  # workers: `rqworker default --with-scheduler --job-class django_tasks_rq.backend.Job`
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": env("RQ_URL", default="redis://127.0.0.1:6379/2")}}

# allauth's backend (a ModelBackend too), reading the profile with the person and permissions from the cache.
AUTHENTICATION_BACKENDS = ["network.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: the email address is the login; it must be verified; no route tells whether an address has an
# account (PREVENT_ENUMERATION); allauth's default rate limits stay on.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_ADAPTER = "network.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "network.adapters.SignupForm"}  # a taken address costs the same time as a new one
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Coproduce] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE_URL.split("://", 1)[0]
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Everyone who can enter the Wagtail admin must have a second factor (off in dev and tests: see their files).
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
USERSESSIONS_TRACK_ACTIVITY = False  # network.middleware.SessionActivityMiddleware records it, less often
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"  # restricted pages send visitors to allauth, never /_util/login/
# Addresses change only through allauth's flow, which verifies the new one and keeps them unique.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False

# seed_demo's random passwords for the demo accounts (make run prints them).
DEMO_PASSWORDS_FILE = env("DEMO_PASSWORDS_FILE", default=str(VAR_DIR / "demo-passwords.json"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "cms" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Members' uploads that only members may see (avatars): outside MEDIA_ROOT, served by a checked view.
    "network_private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))},
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

WAGTAILIMAGES_IMAGE_MODEL = "cms.SiteImage"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search_backend"}}  # the database one, cleaning queries
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # documents go through Wagtail's view, which checks privacy
WAGTAILEMBEDS_FINDERS = []  # no third-party oEmbed calls: the site loads nothing from the internet
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp; Django 6 has its own). The site loads nothing from elsewhere and runs
# no inline script. Wagtail 8's admin still writes a few inline initialisers: cms.middleware gives exactly
# those a nonce (ContentSecurityPolicyMiddleware), so script-src never needs 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],  # the nonce only where a response uses one (Wagtail's admin)
        # Wagtail's admin needs inline styles: its vendor.js inserts <style> elements in the page editor, and
        # its markup has style="" attributes. Styles cannot run code, so this costs little.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],  # blob: previews an image before it is uploaded
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        # As X_FRAME_OPTIONS = "DENY"; views Django marks SAMEORIGIN (Wagtail's previews) get 'self'.
        "frame-ancestors": ["'none'"],
    },
}
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # staff avatars from gravatar.com would break img-src 'self' (and leak)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {name: {"level": "WARNING"} for name in ["django.db.backends", "wagtail", "django_tasks"]},
}
