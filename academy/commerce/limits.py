"""One per-account rate limit shared by every learner write of commerce (cart, orders, claims)."""

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


#: decorator for the views: COMMERCE_WRITE_LIMIT (config.py), counted across all of them
commerce_writes = limiter.shared_limit(
    lambda: current_app.config["COMMERCE_WRITE_LIMIT"],
    scope="commerce-writes",
    key_func=account_key,
)
