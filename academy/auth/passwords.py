"""Password hashing (argon2id, with old hashes upgraded at login) and the strength rule."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash
from zxcvbn import zxcvbn

from academy.errors import Refusal

#: ASVS 5.0 V6.2.1: at least 8 characters; 128 bounds the work a single hash may cost
MIN_LENGTH = 8
MAX_LENGTH = 128
#: zxcvbn's scale: 3 = "safely unguessable: moderate protection from an offline slow-hash
#: attack" (~10^8 guesses). 2 still lets through woaini1314 and Zhang1990-style passwords.
MIN_STRENGTH = 3
#: words that make a password easy to guess on this site in particular
SITE_WORDS = ("academy", "xuetang", "xueyuan", "jijin", "licai", "afp", "cfp", "ctp")


@cache
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def hasher() -> PasswordHasher:
    """The argon2id hasher with this app's parameters."""
    return _hasher(**current_app.config["ARGON2_PARAMETERS"])


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify(stored_hash: str, password: str) -> bool:
    """Whether the password matches; understands argon2 and the older werkzeug hashes."""
    if stored_hash.startswith("$argon2"):
        try:
            return hasher().verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False
    return check_password_hash(stored_hash, password)


def needs_rehash(stored_hash: str) -> bool:
    """An old scheme or weaker argon2 parameters: rehash while the password is at hand."""
    return not stored_hash.startswith("$argon2id$") or hasher().check_needs_rehash(stored_hash)


@cache
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return _hasher(time_cost, memory_cost, parallelism).hash("no account has this password")


def spend_a_verification(password: str) -> None:
    """Cost the same as checking a real password, so unknown names cannot be told by timing."""
    verify(_dummy_hash(**current_app.config["ARGON2_PARAMETERS"]), password)


def check_strength(password: str, *personal: str) -> None:
    """Refuse short, overlong and guessable passwords (zxcvbn's dictionaries and patterns)."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise Refusal("weak_password", _("密码至少需要 %(n)d 个字符。", n=MIN_LENGTH), 422)
    if len(password) > MAX_LENGTH:
        raise Refusal("weak_password", _("密码最多 %(n)d 个字符。", n=MAX_LENGTH), 422)
    inputs = [word for word in (*personal, *SITE_WORDS) if word]
    # zxcvbn reads at most 72 characters; a longer password is at least as strong as its start
    if zxcvbn(password[:72], user_inputs=inputs)["score"] < MIN_STRENGTH:
        raise Refusal(
            "weak_password",
            _(
                "密码太常见或太容易被猜到（如 12345678、password、姓名加生日），"
                "请换一个更长、更少见的密码。"
            ),
            422,
        )
