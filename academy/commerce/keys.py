"""RSA key pairs for the Alipay protocol, generated once into the instance folder."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from Cryptodome.PublicKey import RSA
from flask import current_app

#: Alipay's RSA2 is SHA256withRSA; Alipay issues and expects 2048-bit keys
KEY_BITS = 2048


def _write_new(path: Path, data: bytes, mode: int) -> bool:
    """Create `path` with `data` unless it exists; True if this call created it.

    Written to a temporary name and linked into place, so that two processes starting at once
    never leave one's private key beside the other's public key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    temporary.write_bytes(data)
    temporary.chmod(mode)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink()
    return True


def ensure_key_pair(private_path: Path, public_path: Path) -> None:
    """Generate a private key at `private_path` if there is none; write its public half.

    The public file is always derived from the private one, so it can be rewritten safely.
    """
    if not private_path.exists():
        key = RSA.generate(KEY_BITS)
        _write_new(private_path, key.export_key("PEM", pkcs=8), 0o600)
    if not public_path.exists():
        key = RSA.import_key(private_path.read_bytes())
        public = key.public_key().export_key("PEM")
        _write_new(public_path, public, 0o644)


def public_half(private_path: Path) -> str:
    """The PEM public key of a private key file."""
    return RSA.import_key(private_path.read_bytes()).public_key().export_key("PEM").decode()


def app_key_paths() -> tuple[Path, Path]:
    """The app's own key pair: ALIPAY_APP_PRIVATE_KEY_PATH and app_public_key.pem beside it.

    The public half is what one uploads to Alipay's console (or what the sandbox reads).
    """
    private = Path(current_app.config["ALIPAY_APP_PRIVATE_KEY_PATH"])
    return private, private.with_name("app_public_key.pem")


def sandbox_key_paths() -> tuple[Path, Path]:
    """The sandbox gateway's pair; its public half is the app's "Alipay public key"."""
    public = Path(current_app.config["ALIPAY_PUBLIC_KEY_PATH"])
    return Path(current_app.config["INSTANCE_PATH"]) / "alipay" / "sandbox_private_key.pem", public
