"""Configuration: the embedded default, production from the environment, and tests."""

import os
import secrets
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# Where the embedded default keeps its SQLite file and secret key; tests point it elsewhere.
INSTANCE = Path(os.environ.get("FORUM_INSTANCE_PATH", ROOT / "instance"))


def _count(name, default):
    """A whole number from the environment; `default` when unset or malformed (production_problem says)."""
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else default


class Config:
    """Embedded default: SQLite file, Socket.IO in one process, in-memory rate limits."""

    ENV_NAME = "embedded"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE / 'forum.db'}"
    SQLALCHEMY_ENGINE_OPTIONS = {}
    # How many server processes the deployment runs on all its machines together, each with a pool of
    # DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW connections: checked against PostgreSQL's max_connections
    # at start (forum.connections); DATABASE_CONNECTIONS_CHECK=warn only warns (PgBouncer in front).
    FORUM_PROCESSES = _count("FORUM_PROCESSES", 1)
    DATABASE_CONNECTIONS_CHECK = os.environ.get("DATABASE_CONNECTIONS_CHECK", "error")
    # A pooled connection idle this long is checked before use (forum.database.ping_when_idle).
    DATABASE_PING_AFTER_IDLE_S = 1.0
    REDIS_URL = None
    RATELIMIT_STORAGE_URI = "memory://"
    # The prefix of this deployment's Redis keys and Socket.IO channel (forum.deployment); required in
    # production, derived from the database elsewhere. Two deployments sharing a Redis need two names.
    DEPLOYMENT_NAME = os.environ.get("FORUM_DEPLOYMENT") or None
    # How often a server process renews its deployment's claim on its name in Redis (0: never).
    DEPLOYMENT_HEARTBEAT_SECONDS = 10
    SOCKETIO_ASYNC_MODE = "gevent"
    # Stored events are rendered and sent by the process's publisher after the request has answered
    # (forum.realtime.publisher); inline, the request sends them before it answers.
    REALTIME_PUBLISH_INLINE = False

    # The Dialogue's dates, in Geneva time (docs/design.md section 1).
    TIMEZONE = "Europe/Zurich"
    DIALOGUE_START = "2026-07-06"
    DIALOGUE_END = "2026-07-07"
    REGISTRATION_DEADLINE = os.environ.get("REGISTRATION_DEADLINE", "2026-06-25T23:59:59")
    HUB_DEADLINE = os.environ.get("HUB_DEADLINE", "2026-06-19T23:59:59")

    # The look (forum.branding): a square logo and the 1200×630 picture that shared links show, files
    # under static/, and the colours of the header band and of links and buttons, #rrggbb, dark enough
    # for white text (4.5:1): the app refuses to start with a missing file or an unreadable colour.
    SITE_LOGO = os.environ.get("SITE_LOGO", "img/logo.svg")
    SITE_SHARE_IMAGE = os.environ.get("SITE_SHARE_IMAGE", "img/share.png")
    SITE_HEADER_COLOUR = os.environ.get("SITE_HEADER_COLOUR", "#0b3a66")
    SITE_ACCENT_COLOUR = os.environ.get("SITE_ACCENT_COLOUR", "#005a9c")

    LANGUAGES = ("en", "fr", "ar", "zh", "ru", "es")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/Zurich"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "forum" / "translations")
    # The language switcher's choice, in a cookie of its own rather than the session (forum.i18n).
    LANGUAGE_COOKIE_NAME = "language"
    LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600
    # Anonymous pages may be kept this long by a shared cache (forum.http_cache, docs/deploy.md).
    ANONYMOUS_CACHE_SECONDS = int(os.environ.get("ANONYMOUS_CACHE_SECONDS", "10"))

    # The Dialogue is public: anonymous visitors read. PUBLIC_READ=0 makes the site members-only.
    PUBLIC_READ = os.environ.get("PUBLIC_READ", "1") != "0"
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted, and the
    # addresses (or networks) those headers are believed from: a request from anywhere else is taken at
    # its own address, whatever it claims (forum.proxies). The same variable tells gunicorn.
    TRUSTED_PROXIES = os.environ.get("TRUSTED_PROXIES", "0")
    # Logging (forum.logging_setup): readable lines, or one JSON object per line (production's default).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    FORWARDED_ALLOW_IPS = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    MIGRATIONS_DIR = ROOT / "migrations"
    # Static files, and the manifest of their content-hashed names that `make release` writes (forum.assets).
    STATIC_FOLDER = ROOT / "static"
    ASSET_MANIFEST = ROOT / "assets.json"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    HSTS = False
    WTF_CSRF_TIME_LIMIT = None

    PASSWORD_MIN_LENGTH = 8
    PASSWORD_MAX_LENGTH = 128
    # Failed sign-ins allowed before the form is throttled (forum.accounts.devices): per account from
    # browsers it does not recognise, per recognised browser (device cookie), and per address.
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_LIMIT_PER_DEVICE = "5 per 15 minutes"
    LOGIN_LIMIT_PER_IP = "30 per 15 minutes"
    # A browser that signed in is recognised this long (OWASP device cookies).
    DEVICE_COOKIE_NAME = "forum_device"
    DEVICE_COOKIE_DAYS = 365
    # The privacy notice: its version (a new one asks every user to accept it again) and, optionally, a
    # folder of Markdown files named by language (en.md, fr.md…) that replace the default text.
    PRIVACY_NOTICE_VERSION = os.environ.get("PRIVACY_NOTICE_VERSION", "2026-06-01")
    PRIVACY_NOTICE_DIR = os.environ.get("PRIVACY_NOTICE_DIR") or None
    # Retention (`flask forum purge`): sent or failed mail, and session records with their addresses and
    # browsers, are deleted this many days after they were sent or last used.
    RETENTION_MAIL_DAYS = int(os.environ.get("RETENTION_MAIL_DAYS", "30"))
    RETENTION_SESSION_DAYS = int(os.environ.get("RETENTION_SESSION_DAYS", "90"))
    # DB-IP's IP-to-country data as `make assets` compacts it (forum.ip_country); without it sessions show
    # no place of sign-in.
    IP_COUNTRY_FILE = os.environ.get("IP_COUNTRY_FILE") or str(ROOT / "forum" / "data" / "ip_country.bin")
    # Two-factor sign-in (forum.accounts.twofactor): the roles that need it before their staff rights work,
    # wrong codes allowed per account, how long the code page waits after the password, how long a
    # browser is remembered, and how recent a code must be before a sensitive staff action.
    TWO_FACTOR_ROLES = ("chair", "moderator", "admin")
    TWO_FACTOR_LIMIT = "5 per 5 minutes"
    TWO_FACTOR_PENDING_SECONDS = 300
    TWO_FACTOR_REMEMBER_DAYS = 30
    TWO_FACTOR_COOKIE_NAME = "forum_2fa"
    TWO_FACTOR_FRESH_MINUTES = 10
    # Security keys (forum.accounts.passkeys): how long a challenge waits for its answer, and whether the
    # relying party is the address the browser used (the embedded default, on any host and port) rather
    # than SERVER_NAME or MAIL_BASE_URL (production).
    WEBAUTHN_CHALLENGE_SECONDS = 300
    WEBAUTHN_ORIGIN_FROM_REQUEST = True
    REGISTER_LIMIT_PER_IP = "10 per hour"
    # Mails telling an address's owner that someone tried to register with it.
    REGISTER_NOTICE_LIMIT_PER_ADDRESS = "3 per day"
    # A session ends after this long without a request, and this long after its sign-in whatever happens.
    # A conference day: any daytime gap (a long plenary, lunch, a reception) stays within 8 hours, while a
    # night away ends the session, and so does a kiosk or borrowed laptop left signed in; the 24-hour cap
    # bounds a stolen session kept alive by requests, at the cost of one sign-in a day for the busiest.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "480"))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "24"))
    SOCKET_EVENT_LIMIT = "120 per minute"
    # API requests per token (or, without one, per address): reads, and writes (replies, questions, votes,
    # flags), on top of the rules the services apply (slow mode, silences).
    API_READ_LIMIT = "300 per minute"
    API_WRITE_LIMIT = "30 per minute"
    # Each process renews its sockets' presence in Redis this often; a socket not renewed for
    # PRESENCE_STALE_SECONDS (its process died) no longer counts as reading (forum.realtime.presence).
    PRESENCE_HEARTBEAT_SECONDS = 30
    PRESENCE_STALE_SECONDS = 90

    # Defaults of the moderation settings the secretariat can change at /admin/settings.
    MODERATION_FLAG_THRESHOLD = 3
    MODERATION_HOLD_FIRST_POSTS = 0
    MODERATION_NEW_USER_POSTS = 3
    MODERATION_NEW_USER_MAX_LINKS = 2
    # How often participants may change their own name or handle (forum.accounts.profile).
    NAME_CHANGE_LIMIT = os.environ.get("NAME_CHANGE_LIMIT", "2 per 30 days")

    # Mail: SMTP from the environment; with no MAIL_SERVER, messages are written to MAIL_OUTBOX_DIR as .eml
    # (mode 0600), and on the embedded default their links are printed on the console for the developer.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0").lower() in ("1", "true", "yes")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    # Unset: "Dialogue Forum <no-reply@HOST>", HOST from SERVER_NAME, else MAIL_BASE_URL (forum.mail.compose).
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER") or None
    MAIL_OUTBOX_DIR = Path(os.environ.get("MAIL_OUTBOX_DIR") or INSTANCE / "outbox")
    MAIL_PRINT_LINKS = True
    MAIL_TIMEOUT = 10
    # Links in mails written outside a request (digests from the CLI) when SERVER_NAME is not set.
    MAIL_BASE_URL = os.environ.get("MAIL_BASE_URL", "http://127.0.0.1:5000")
    # A failed send is retried after 1, 2, 4, 8… minutes, MAIL_MAX_ATTEMPTS times in all.
    MAIL_MAX_ATTEMPTS = 6
    MAIL_RETRY_SECONDS = 60
    # Mails about followed activity wait this long so that a burst of posts makes one mail.
    MAIL_COALESCE_SECONDS = 300
    # Each server process sends mail in the background (and the daily digests on the embedded default).
    MAIL_WORKER = True
    MAIL_WORKER_DIGESTS = True
    MAIL_POLL_SECONDS = 30
    # Webhooks (docs/webhooks.md): a failed delivery is retried after 30 s, 1, 2, 4… minutes, 10 times in all.
    WEBHOOK_MAX_ATTEMPTS = 10
    WEBHOOK_RETRY_SECONDS = 30
    WEBHOOK_TIMEOUT = 10
    WEBHOOK_BATCH = 20
    # `flask forum worker` (docs/deploy.md): its pause when nothing was due, and its schedules.
    WORKER_POLL_SECONDS = float(os.environ.get("WORKER_POLL_SECONDS", "5"))
    WORKER_DIGEST_MINUTES = 10
    WORKER_PURGE_HOURS = 24
    # The worker deletes live-update events (room_event) this old every WORKER_EVENT_PRUNE_MINUTES; a page
    # open longer than that reloads when it reconnects (the server answers `resync`).
    ROOM_EVENT_KEEP_HOURS = float(os.environ.get("ROOM_EVENT_KEEP_HOURS", "48"))
    WORKER_EVENT_PRUNE_MINUTES = 60
    # The dashboard's tally counts the days that became past and the changed ones (forum.insights).
    WORKER_INSIGHTS_MINUTES = 10
    # The report's PDF (forum.report): made in a child process killed past this time; a reader may have
    # this many made (kept ones cost nothing and are not counted).
    REPORT_PDF_SECONDS = 120
    REPORT_PDF_LIMIT = "5 per 10 minutes"
    # Each server process checks this often that the Q&A's vote counts equal the votes (0: never).
    VOTE_RECONCILE_SECONDS = int(os.environ.get("VOTE_RECONCILE_SECONDS", "60"))
    RESET_LIMIT_PER_ADDRESS = "3 per hour"
    RESET_LIMIT_PER_IP = "10 per hour"
    # A reset request is answered no sooner than this, whether or not the address has an account.
    RESET_ANSWER_SECONDS = 0.25
    CONFIRM_LIMIT_PER_USER = "3 per hour"

    # Socket.IO refuses messages above this size: a post's 20,000 characters, up to 4 bytes each.
    SOCKETIO_MAX_BUFFER = 100_000
    MAX_CONTENT_LENGTH = 1024 * 1024

    @classmethod
    def prepare(cls, app):
        """Create the instance folder and a persistent development secret key."""
        INSTANCE.mkdir(exist_ok=True)
        if not app.config.get("SECRET_KEY"):
            key_file = INSTANCE / "secret_key"
            if not key_file.exists():
                key_file.write_text(secrets.token_hex(32))
                key_file.chmod(0o600)
            app.config["SECRET_KEY"] = key_file.read_text().strip()


class ProductionConfig(Config):
    """PostgreSQL, Redis message queue and rate limits, secure cookies; all from the environment."""

    ENV_NAME = "production"
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # Connections beyond pool_size are closed when returned: at 10, the bursts of a vote storm opened and
    # closed PostgreSQL connections all the time (bench/vote_storm.py).
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_size": _count("DATABASE_POOL_SIZE", 20),
        "max_overflow": _count("DATABASE_MAX_OVERFLOW", 20),
    }
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    SERVER_NAME = os.environ.get("SERVER_NAME")
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")
    # Security keys belong to the site's configured name, never to whatever Host header a request carries.
    WEBAUTHN_ORIGIN_FROM_REQUEST = False
    SESSION_COOKIE_SECURE = True
    HSTS = True
    # No default outbox: without MAIL_SERVER, production refuses to start unless files are chosen.
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR") or None
    # A reset link in a log is a password for whoever reads the log.
    MAIL_PRINT_LINKS = False
    # Production sends the digests from a timer (`forum send-digests`, docs/deploy.md) unless told otherwise.
    MAIL_WORKER_DIGESTS = os.environ.get("MAIL_WORKER_DIGESTS", "0") == "1"

    @classmethod
    def prepare(cls, app):
        """Refuse to start without the secrets production needs."""
        config = app.config
        given = {name: config.get(key) for name, key in REQUIRED.items()}
        given.update({name: config.get(name) for name in ("MAIL_SERVER", "MAIL_OUTBOX_DIR")})
        given.update({name: os.environ.get(name) for name in COUNTS})
        problem = production_problem(given)
        if problem:
            raise RuntimeError(problem)


class TestConfig(Config):
    """In-memory SQLite, threading Socket.IO, CSRF checked only where a test turns it on."""

    ENV_NAME = "test"
    # Python's default: tests count the log lines they provoke (tests/core/test_logging.py asks for INFO).
    LOG_LEVEL = "WARNING"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS = {}
    SOCKETIO_ASYNC_MODE = "threading"
    # A test sees a change's live events as soon as its request returns; tests/realtime/test_publisher.py
    # checks the publisher that answers first.
    REALTIME_PUBLISH_INLINE = True
    WTF_CSRF_ENABLED = False
    REGISTRATION_DEADLINE = "2099-06-25T23:59:59"
    HUB_DEADLINE = "2099-06-19T23:59:59"
    # Still argon2id, with a cost that keeps hundreds of test sign-ins fast.
    ARGON2_COSTS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
    # Tests drain the outbox themselves; the file fallback writes under the temporary directory.
    MAIL_SERVER = None
    MAIL_OUTBOX_DIR = Path(tempfile.gettempdir()) / "dialogue-forum-tests" / "outbox"
    MAIL_WORKER = False
    MAIL_COALESCE_SECONDS = 0
    DEPLOYMENT_HEARTBEAT_SECONDS = 0
    # Tests renew presence themselves, on a clock of their own (tests/realtime/test_presence_expiry.py).
    PRESENCE_HEARTBEAT_SECONDS = 0
    # Tests of the reset form need no padded answer; tests/mail/test_reset.py checks the padding.
    RESET_ANSWER_SECONDS = 0
    # Tests check the vote counts themselves (forum.qa.reconcile).
    VOTE_RECONCILE_SECONDS = 0

    @classmethod
    def prepare(cls, app):
        """Nothing to create: tests keep their data in memory."""


# Production's required settings: environment variable -> config key.
REQUIRED = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "FORUM_DEPLOYMENT": "DEPLOYMENT_NAME",
}


# Counts production reads from the environment (the connection budget): a typo is named, not ignored.
COUNTS = ("FORUM_PROCESSES", "DATABASE_POOL_SIZE", "DATABASE_MAX_OVERFLOW")


def production_problem(given=None):
    """Why production cannot start with the settings `given` (else the environment's), or None."""
    if given is None:
        names = (*REQUIRED, "MAIL_SERVER", "MAIL_OUTBOX_DIR", *COUNTS)
        given = {name: os.environ.get(name) for name in names}
    problems = []
    missing = [name for name in REQUIRED if not given.get(name)]
    if missing:
        problems.append(f"Production configuration needs {', '.join(missing)} in the environment.")
    if given.get("FORUM_DEPLOYMENT"):
        from forum.deployment import name_problem

        problems.append(name_problem(given["FORUM_DEPLOYMENT"]))
    problems.append(_mail_problem(given.get("MAIL_SERVER"), given.get("MAIL_OUTBOX_DIR")))
    problems.extend(_count_problem(name, given.get(name)) for name in COUNTS)
    return " ".join(problem for problem in problems if problem) or None


def _count_problem(name, value):
    """Why the setting `name` is not a usable count (None when unset or fine)."""
    written = str(value or "").strip()
    if not written:
        return None
    if name == "FORUM_PROCESSES" and (not written.isdigit() or int(written) == 0):
        return f"FORUM_PROCESSES={value!r} should be the number of server processes (1 or more)."
    if not written.isdigit():
        return f"{name}={value!r} should be a whole number."
    return None


def _mail_problem(server, outbox):
    """Why production's mail settings cannot work: no relay and no outbox chosen, or one in the code."""
    if server:
        return None
    if not outbox:
        return (
            "Production needs MAIL_SERVER (the SMTP relay) to send mail; or set MAIL_OUTBOX_DIR to a folder "
            "outside the code to have mail written there as files instead of sent (nothing reaches users)."
        )
    folder = Path(outbox).resolve()
    if folder == ROOT or ROOT in folder.parents:
        return f"MAIL_OUTBOX_DIR={outbox} is inside the code folder ({ROOT}): choose a folder outside it."
    return None


def config_from_env():
    """Production when FORUM_ENV=production or a DATABASE_URL is given, else the embedded default."""
    if os.environ.get("FORUM_ENV") == "production" or os.environ.get("DATABASE_URL"):
        return ProductionConfig
    return Config
