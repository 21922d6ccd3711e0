"""Clinicbot settings: one file, everything from the environment (django-environ).

Nothing set gives the embedded default: SQLite, in-memory channel layer, tasks run
immediately in-process, and the WhatsApp sandbox transport. See README.md for every variable.
"""

import datetime as dt
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
SECRET_KEY_FROM_ENV = bool(SECRET_KEY)
if not SECRET_KEY:
    # Never a key from the repository: a random one kept beside the checkout (gitignored),
    # so demo sessions survive a restart. Production sets SECRET_KEY.
    _key_file = BASE_DIR / ".secret_key"
    if not _key_file.exists():
        from django.core.management.utils import get_random_secret_key

        _key_file.write_text(get_random_secret_key())
    SECRET_KEY = _key_file.read_text().strip()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "patients",
    "booking",
    "chat",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clinicbot.security.SessionActivityMiddleware",
    "clinicbot.security.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it turns a lockout found while authenticating into the "try again in N minutes" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinicbot.urls"

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
                "chat.context_processors.demo_mode",
            ],
        },
    },
]

WSGI_APPLICATION = "clinicbot.wsgi.application"
ASGI_APPLICATION = "clinicbot.asgi.application"

# --- Database -----------------------------------------------------------------------------
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"].setdefault("CONN_MAX_AGE", 0)
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A PostgreSQL that never answers must not hang a webhook past Meta's deadline, nor a
        # worker for ever: give up connecting after 5 s and on any statement after 30 s
        # (the slowest real statement, a day's slots for a busy doctor, takes milliseconds).
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
        DATABASES["default"]["OPTIONS"].setdefault("options", "-c statement_timeout=30000")
        # A pool per process (psycopg_pool): opening a PostgreSQL connection costs ~10 ms here and
        # under ASGI Django opens one per request; a pooled one is handed back when the request
        # ends. Connections open only on demand (min 1), so the cap costs nothing idle: a server
        # runs its sync code on one thread, but every thread holds its own connection (the
        # booking races in the tests run 30 at once), and a thread waits up to 10 s for one.
        # DB_POOL_MAX_SIZE=0 turns pooling off. A WSGI server (one thread per gunicorn worker)
        # keeps one connection open across requests instead: clinicbot/wsgi.py sets
        # DB_CONN_MAX_AGE, and the pool's hand-off per request cost ~0.3 ms of a ~1 ms webhook
        # there (bench/ack.py: 1,440 acks/s pooled, 1,860/s persistent).
        conn_max_age = env.int("DB_CONN_MAX_AGE", default=0)
        if conn_max_age:
            DATABASES["default"]["CONN_MAX_AGE"] = conn_max_age
            DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # a connection the server dropped is reopened
        pool_size = env.int("DB_POOL_MAX_SIZE", default=40)
        if pool_size > 0 and not DATABASES["default"]["CONN_MAX_AGE"]:
            DATABASES["default"]["OPTIONS"].setdefault("pool", {"min_size": 1, "max_size": pool_size, "timeout": 10})
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3")),
            # IMMEDIATE takes the write lock at BEGIN, so two bookings for one slot serialise
            # instead of both reading "free" and both inserting.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            "TEST": {"NAME": env("SQLITE_TEST_PATH", default=str(BASE_DIR / "test-db.sqlite3"))},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channels -----------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Live events carry patients' messages: encrypted in Redis with a key derived from SECRET_KEY.
            # Socket timeouts: a Redis that accepts and never answers fails a call instead of
            # hanging it (receive blocks up to channels_redis's 5 s brpop, so 10 s here).
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_connect_timeout": 2, "socket_timeout": 10}],
                "symmetric_encryption_keys": [SECRET_KEY],
                # Deployments (or parallel test workers) sharing one Redis keep apart by prefix.
                "prefix": env("CHANNEL_LAYER_PREFIX", default="asgi"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Tasks (django-tasks) -----------------------------------------------------------------
TASK_BACKEND = env("TASK_BACKEND", default="immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASK_BACKEND]
    }
}
# The webhook only verifies and queues each body (one insert) and `manage.py ingest_webhooks`
# stores what it holds, in batches (chat/webhook_queue.py): for more than ~30 messages a second.
# Off, the webhook stores each message before it answers (the demo, small clinics).
WEBHOOK_QUEUE = env.bool("WEBHOOK_QUEUE", default=False)
# Worker threads of one `manage.py db_worker_threads`: tasks in flight at once, each send waiting
# ~100-300 ms on the Graph API (issue 15); keep under DB_POOL_MAX_SIZE.
WORKER_THREADS = env.int("WORKER_THREADS", default=4)
# Every web process sends the reminders that are due this often (chat/sweep.py); 0 = off.
REMINDER_SWEEP_SECONDS = env.float("REMINDER_SWEEP_SECONDS", default=30.0)

# --- Auth, i18n, static -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
# Login throttling (django-axes, docs/architecture.md): LOGIN_FAILURE_LIMIT wrong passwords for one
# username lock that username for LOGIN_LOCKOUT_MINUTES; an IP address gets LOGIN_IP_FAILURE_LIMIT
# (higher: a clinic's front desk shares one address). Every login door (the staff login, admin)
# goes through authenticate(), so the first backend refuses a locked-out user before any password check.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=30)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
AXES_HANDLER = "clinicbot.security.LoginThrottle"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success does not wipe earlier failures (axes would wipe every row of that address too, so one
# valid account would reset the count for guesses at another); they expire after the cool-off.
AXES_RESET_ON_SUCCESS = False
# Tries while locked out are refused without being counted: the lock ends on time, and the page
# can say when.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "clinicbot.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "clinicbot.security.client_ip"
AXES_SENSITIVE_PARAMETERS = ["username", "password"]
AXES_VERBOSE = False
# With N proxies in front (a TLS terminator, a load balancer), the client is the Nth address from
# the right of X-Forwarded-For; 0 = the socket's peer address. Login throttling and the access log use it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# A working day of inactivity ends a session: activity moves the expiry forward (at most one
# session write per SESSION_REFRESH_SECONDS, clinicbot.security.SessionActivityMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_HOURS", default=10) * 3600
SESSION_REFRESH_SECONDS = 300

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/chat/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "en-us"
FORMAT_MODULE_PATH = ["clinicbot.formats"]  # day-first dates in forms and pages (clinicbot/formats/en)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    # Patients' photos and reports, and the documents staff send (chat.models.MediaFile). Local
    # files by default; MEDIA_STORAGE_BACKEND names any django-storages backend (e.g.
    # "storages.backends.s3.S3Storage", configured by its own settings). Never a public URL.
    "media": {
        "BACKEND": env("MEDIA_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {} if env("MEDIA_STORAGE_BACKEND", default="") else {"location": str(MEDIA_ROOT)},
    },
}
# Under daphne there is no runserver static handler: WhiteNoise serves static files in every
# mode, straight from the apps' folders, so nothing breaks when collectstatic was not run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Production hardening (DEBUG off) -----------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
    SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
    SECURE_CONTENT_TYPE_NOSNIFF = True

# --- WhatsApp Cloud API -------------------------------------------------------------------
WHATSAPP_APP_SECRET = env("WHATSAPP_APP_SECRET", default="")
WHATSAPP_VERIFY_TOKEN = env("WHATSAPP_VERIFY_TOKEN", default="")
WHATSAPP_ACCESS_TOKEN = env("WHATSAPP_ACCESS_TOKEN", default="")
WHATSAPP_API_BASE = env("WHATSAPP_API_BASE", default="https://graph.facebook.com")
WHATSAPP_API_VERSION = env("WHATSAPP_API_VERSION", default="v23.0")
WHATSAPP_TIMEOUT = env.float("WHATSAPP_TIMEOUT", default=10.0)
WHATSAPP_SEND_ATTEMPTS = env.int("WHATSAPP_SEND_ATTEMPTS", default=4)
WHATSAPP_RETRY_BASE_DELAY = env.float("WHATSAPP_RETRY_BASE_DELAY", default=0.5)

# --- Optional LLM responder (off when LLM_API_KEY is unset) -------------------------------
LLM_API_BASE = env("LLM_API_BASE", default="https://api.openai.com/v1")
LLM_API_KEY = env("LLM_API_KEY", default="")
LLM_MODEL = env("LLM_MODEL", default="gpt-4o-mini")
LLM_TIMEOUT = env.float("LLM_TIMEOUT", default=8.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Phone numbers are masked in every line (clinicbot/logmask.py).
    "formatters": {
        "plain": {
            "()": "clinicbot.logmask.MaskingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
