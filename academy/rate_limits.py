"""Rate limits on writes, shared by the domains: one key rule, limits from config.py."""

from __future__ import annotations

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from academy.extensions import limiter


def account_key() -> str:
    """The account when logged in (a script rotating addresses stays one account), else IP."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return f"address:{get_remote_address()}"


def per_account(setting: str, scope: str, methods: list[str] | None = None):
    """A view decorator: at most `config[setting]` calls per account, across the scope's views
    (only calls with one of `methods`, when given: a view answering reads and writes)."""
    return limiter.shared_limit(
        lambda: current_app.config[setting], scope=scope, key_func=account_key, methods=methods
    )
