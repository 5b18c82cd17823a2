"""Login throttling: failed attempts per account and per client address, on the limiter's storage.

Only failures are counted, so a training room behind one address logging in by the hundred is
never slowed; each limit string is a set of tiers (a minute, 15 minutes, an hour, a day), so a
guesser's waits grow. The counts live where Flask-Limiter keeps its own (memory or Redis).
"""

from __future__ import annotations

import math
import time

from flask import current_app
from flask_babel import gettext as _
from limits import parse_many

from academy.errors import Refusal
from academy.extensions import limiter

SCOPE = "login-failures"


def _tiers(username: str, address: str):
    """(limit, identifiers) pairs for one attempt: the account's tiers and the address's."""
    config = current_app.config
    account = (username or "").strip().lower()[:80]
    for item in parse_many(config["LOGIN_THROTTLE_ACCOUNT"]):
        yield item, (SCOPE, "account", account)
    for item in parse_many(config["LOGIN_THROTTLE_ADDRESS"]):
        yield item, (SCOPE, "address", address or "-")


class TooManyAttempts(Refusal):
    """A refusal that says when to try again."""

    def __init__(self, retry_after: int) -> None:
        minutes, seconds = divmod(retry_after, 60)
        wait = _("%(m)d 分 %(s)d 秒", m=minutes, s=seconds) if minutes else _("%(s)d 秒", s=seconds)
        super().__init__(
            "too_many_attempts",
            _("登录失败次数过多，请在 %(wait)s后再试。", wait=wait),
            429,
        )
        self.retry_after = retry_after


def check_allowed(username: str, address: str) -> None:
    """Refuse before any password is hashed when the account or the address must wait."""
    strategy = limiter.limiter
    retry_at = 0.0
    for item, identifiers in _tiers(username, address):
        if not strategy.test(item, *identifiers):
            retry_at = max(retry_at, strategy.get_window_stats(item, *identifiers).reset_time)
    if retry_at:
        # the limiter's storage keeps real time (tests move it and this module's together)
        raise TooManyAttempts(max(1, math.ceil(retry_at - time.time())))


def record_failure(username: str, address: str) -> None:
    """Count one failed attempt against the account and the address."""
    strategy = limiter.limiter
    for item, identifiers in _tiers(username, address):
        strategy.hit(item, *identifiers)
