"""PropDesk settings, read from the environment.

Embedded default: SQLite (WAL) in ./var, in-process work, DEBUG off. The local demo (`./dev demo`) runs with DEBUG=1
and a key generated into var/secret_key. Production: set SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL=postgres://… and
TRUSTED_PROXY — no code change.
"""

import hashlib
import json
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from config.keys import demo_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PROPDESK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for. DEBUG=1 is the local demo's (./dev demo sets it; `propdesk serve` binds it to the loopback
# only): debug pages show code, SQL and settings.
DEBUG = env_bool("DEBUG", False)
# Production reads SECRET_KEY from the environment (`propdesk serve` refuses to start without a fit one: propdesk.E001);
# the local demo generates a random key once into var/secret_key. Never a constant in the code. Left empty, nothing can
# sign (Django refuses), but build steps that sign nothing (collectstatic, migrate) still run without the secret.
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or (demo_secret_key(VAR_DIR) if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "propdesk.core",
    "propdesk.org",
    "propdesk.staff",
    "propdesk.customers",
    "propdesk.notify",
    "propdesk.notices",
    "propdesk.duty",
    "propdesk.servicedesk",
    "propdesk.followups",
    "propdesk.fees",
    "propdesk.stewardship",
    "propdesk.renovation",  # issue 14: renovation permits, inspections, acceptance
    "propdesk.movein",  # issue 14: handover slots, checklist, defects to the developer
    "propdesk.violations",  # issue 14: violations, notices, follow-up, referral
    "propdesk.triage",  # issue 16: triage of free-text messages
    "propdesk.wording",  # issue 16: service-language check 服务禁用语
    "propdesk.knowledge",  # issue 16: case library 案例库, standard answers 标准答复
    "propdesk.reports",
    "propdesk.portal",
    "propdesk.console",
    "propdesk.accounts",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "propdesk.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "propdesk.core.middleware.OverflowAs404Middleware",
    "propdesk.core.middleware.ApiNoStoreMiddleware",
    "propdesk.core.middleware.ApiJsonErrorsMiddleware",
    "propdesk.core.middleware.ForbiddenCharactersMiddleware",
    "propdesk.core.signin.SerializedSignInMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "propdesk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "propdesk.console.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'propdesk.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so two writers
    # queue on busy_timeout instead of failing with "database is locked" half-way through a transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME", "")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "propdesk" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "propdesk" / "static"]
STATIC_ROOT = VAR_DIR / "static"
# Uploaded photos and imports in progress. Never served raw: photos go out through a view that checks the
# viewer's scope (servicedesk:attachment), so MEDIA_URL is not routed. STORAGE_BACKEND=s3 keeps them in an
# S3-compatible bucket instead (pip install 'propdesk[s3]'; AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL,
# AWS_S3_REGION_NAME, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY are read by django-storages from the environment).
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "filesystem").strip().lower()
if STORAGE_BACKEND == "s3":
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "default_acl": "private",  # the bucket is never read directly: PropDesk streams each photo
        "querystring_auth": True,
        "file_overwrite": False,
    }}
elif STORAGE_BACKEND == "filesystem":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"STORAGE_BACKEND must be 'filesystem' or 's3', not {STORAGE_BACKEND!r}")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development whitenoise serves straight from the apps' static folders: no collectstatic step for the demo.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10  # a form takes at most 6 photos or one workbook; more is refused with a 400

# --- security (production defaults; `manage.py check --deploy` passes with DEBUG=0) ----------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind a reverse proxy: `propdesk serve` lets waitress take the scheme, the client's address and the host from the
# X-Forwarded-* headers of these peers only (addresses or networks, comma-separated, or "*"), and strips those headers
# from everyone else. Django then sees the https scheme and the client's REMOTE_ADDR as they are: no
# SECURE_PROXY_SSL_HEADER, which would believe X-Forwarded-Proto from any peer.
TRUSTED_PROXY = [item for item in re.split(r"[,\s]+", os.environ.get("TRUSTED_PROXY", "")) if item]
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
TRUSTED_PROXY_HEADERS = os.environ.get("TRUSTED_PROXY_HEADERS",
                                       "x-forwarded-proto x-forwarded-for x-forwarded-host").replace(",", " ").split()
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Content-Security-Policy, enforced (Django's middleware): scripts and <style> blocks only from our origin or carrying
# the response's nonce (`nonce="{{ csp_nonce }}"`); no inline handlers (onclick=…), no javascript: links, no eval, no
# plugins, no framing, forms post only to us. Style *attributes* (style="width:auto") stay allowed through
# style-src-attr: they cannot load anything (img-src and default-src still apply), and moving the ~80 of them into
# classes would touch every template for no gain in what an injected attribute could do.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "django.middleware.csp.ContentSecurityPolicyMiddleware")
TEMPLATES[0]["OPTIONS"]["context_processors"].append("django.template.context_processors.csp")
# The installable apps (住这儿, 助这儿): which manifest and service worker a page links; a sign-out clears the phone.
TEMPLATES[0]["OPTIONS"]["context_processors"].append("propdesk.portal.context_processors.installable")
MIDDLEWARE.append("propdesk.core.pwa.ClearSiteDataOnSignOut")

# --- brute force: django-axes on the sign-in form and the admin's ---------------------------------------------
# 5 failed sign-ins for one user name from one address lock that pair out for 15 minutes (the lock is counted in
# the database, so every web process sees it; sign-ins of one pair are taken one at a time so that two processes
# cannot both slip past the count). The address is REMOTE_ADDR only: the trusted-proxy setting puts the client's
# address there, and axes parses no X-Forwarded-For of its own. A locked-out sign-in gets a page in the user's
# language with status 429 (propdesk/core/signin.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "propdesk.core.views_utils.client_ip"
AXES_LOCKOUT_CALLABLE = "propdesk.core.signin.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock ends 15 minutes after the 5th failure
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False  # no "AXES: BEGIN" line at every start of every command

# --- email ----------------------------------------------------------------------------------------
# Development prints mail to the console; production sends through SMTP (EMAIL_HOST, EMAIL_PORT … as usual).
MAILERS = {"default": {"BACKEND": os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "propdesk@localhost")

# --- logging: readable lines in development, one JSON object a line in production -----------------
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "propdesk.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"client_errors_without_traceback": {"()": "propdesk.core.logging.ClientErrorWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["client_errors_without_traceback"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's default config gives "django" and "django.server" console handlers of their own; with ours on the root
    # every line was printed twice. Everything goes through the root's one handler.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- background work: Django's tasks API; the database backend's worker runs on SQLite and PostgreSQL -------
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
PROPDESK_SWEEP_SECONDS = int(os.environ.get("PROPDESK_SWEEP_SECONDS", "60"))
# Channels other than the defaults (email through Django's mailer, the rest to the log), as a JSON object of dotted
# class paths, e.g. PROPDESK_CHANNELS='{"sms": "propdesk.notify.channels.AliyunSms"}'.
PROPDESK_CHANNELS = json.loads(os.environ.get("PROPDESK_CHANNELS") or "{}")
# Text messages go out as approved templates (propdesk/notify/sms.py). With a gateway channel (propdesk.notify.gateways.
# AliyunSms or TencentSms) set the signature, the provider's id for each of our template codes
# (PROPDESK_SMS_TEMPLATE_IDS='{"request_recorded": "SMS_123456789", …}') and the account's keys.
PROPDESK_SMS = {
    "sign_name": os.environ.get("PROPDESK_SMS_SIGN_NAME", "PropDesk物业"),
    "template_ids": json.loads(os.environ.get("PROPDESK_SMS_TEMPLATE_IDS") or "{}"),
    "aliyun": {"access_key_id": os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", ""),
               "access_key_secret": os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", ""),
               "endpoint": os.environ.get("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/")},
    "tencent": {"secret_id": os.environ.get("TENCENT_SMS_SECRET_ID", ""),
                "secret_key": os.environ.get("TENCENT_SMS_SECRET_KEY", ""),
                "sdk_app_id": os.environ.get("TENCENT_SMS_SDK_APP_ID", ""),
                "region": os.environ.get("TENCENT_SMS_REGION", "ap-guangzhou"),
                "endpoint": os.environ.get("TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com/")},
}
# Outbox delivery: a worker holds a message it is sending for lease_seconds (another worker takes it over after
# that, if the first died); one delivery run takes new messages for at most run_seconds.
PROPDESK_OUTBOX = {"lease_seconds": int(os.environ.get("PROPDESK_OUTBOX_LEASE_SECONDS", "120")),
                   "run_seconds": int(os.environ.get("PROPDESK_OUTBOX_RUN_SECONDS", "60"))}
# A task row left RUNNING this long (its worker was killed) is put back to run again, up to PROPDESK_TASK_ATTEMPTS
# runs in all; then it is marked failed. Every periodic task is safe to run twice.
PROPDESK_TASK_TIMEOUT_SECONDS = int(os.environ.get("PROPDESK_TASK_TIMEOUT_SECONDS", "600"))
PROPDESK_TASK_ATTEMPTS = int(os.environ.get("PROPDESK_TASK_ATTEMPTS", "3"))

# --- API ------------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 100

# --- PropDesk ---
# The address residents open links at (rating links in text messages); set it in production.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
PROPDESK_PAGE_SIZE = 50
# The payment gateway residents pay through in the app (propdesk/fees/services/gateway.py): "simulated" for the
# demo and the tests. Its callbacks are signed with HMAC-SHA256 under FEES_GATEWAY_SECRET; unset, a secret derived
# from SECRET_KEY (never a constant; with no SECRET_KEY nothing can be signed or verified).
FEES_GATEWAY = os.environ.get("FEES_GATEWAY", "simulated").strip().lower()
FEES_GATEWAY_SECRET = os.environ.get("FEES_GATEWAY_SECRET", "").strip() or (
    hashlib.sha256(f"propdesk-fees-gateway:{SECRET_KEY}".encode()).hexdigest() if SECRET_KEY else "")
# Demo data is deterministic from this seed.
PROPDESK_DEMO_SEED = int(os.environ.get("PROPDESK_DEMO_SEED", "20260214"))

# --- operations: probes, metrics, the scaled topology ----------------------------------------------
# /metrics answers scrapers from these addresses (or networks, e.g. 10.0.0.0/8), or with
# "Authorization: Bearer <METRICS_TOKEN>"; anyone else gets a 404.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# X-PropDesk-Process: host:pid on every answer, to tell the web processes behind one address apart (`propdesk scaled`
# turns it on in development). Off by default: production does not publish its process ids.
PROPDESK_EXPOSE_PROCESS = env_bool("PROPDESK_EXPOSE_PROCESS", False)
if PROPDESK_EXPOSE_PROCESS:
    MIDDLEWARE = ["propdesk.core.middleware.ProcessHeaderMiddleware", *MIDDLEWARE]

# --- the demo's message log -------------------------------------------------------------------------
# /demo/messages/ shows the latest text messages with their codes in clear, so that a demo visitor can sign in by phone
# without a phone. Only the local demo turns it on (`./dev demo` and `propdesk demo` set DEMO_MESSAGE_LOG=1), and
# only with DEBUG (the loopback-only demo); everywhere else the page is a 404 and no code is kept in clear.
DEMO_MESSAGE_LOG = DEBUG and env_bool("DEMO_MESSAGE_LOG", False)
if DEMO_MESSAGE_LOG:
    PROPDESK_CHANNELS.setdefault("sms", "propdesk.accounts.channels.DemoSmsChannel")
