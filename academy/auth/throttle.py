"""Login throttling: failed attempts per account and per client address, on the limiter's storage.

Only failures are counted, so a training room behind one address logging in by the hundred is
never slowed; each limit string is a set of tiers (a minute, 15 minutes, an hour, a day), so a
guesser's waits grow. The counts live where Flask-Limiter keeps its own (memory or Redis).

While Redis does not answer, each process counts in its own memory: neither open (no limit
while Redis is down is exactly when a guesser would try) nor closed (nobody could log in).
A guesser spread over N processes gets N times the tries for as long as the outage lasts.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from flask_babel import gettext as _
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import STRATEGIES, RateLimiter

from academy.errors import Refusal
from academy.extensions import limiter

SCOPE = "login-failures"
#: where this app keeps its own counts while the shared storage does not answer
LOCAL_COUNTS = "academy.login_throttle_local"
T = TypeVar("T")


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


def _counting(work: Callable[[RateLimiter], T]) -> T:
    """`work` on the limiter's storage, or, when that does not answer, on this process's."""
    storage = limiter.storage
    strategy = STRATEGIES[current_app.config["RATELIMIT_STRATEGY"]]
    try:
        return work(strategy(storage))
    except storage.base_exceptions as error:
        current_app.logger.warning("login throttle counts in memory, storage down: %s", error)
    local = current_app.extensions.get(LOCAL_COUNTS)
    if local is None:
        local = current_app.extensions[LOCAL_COUNTS] = strategy(MemoryStorage())
    return work(local)


def check_allowed(username: str, address: str) -> None:
    """Refuse before any password is hashed when the account or the address must wait."""

    def latest_reset(strategy: RateLimiter) -> float:
        at = 0.0
        for item, identifiers in _tiers(username, address):
            if not strategy.test(item, *identifiers):
                at = max(at, strategy.get_window_stats(item, *identifiers).reset_time)
        return at

    retry_at = _counting(latest_reset)
    if retry_at:
        # the limiter's storage keeps real time (tests move it and this module's together)
        raise TooManyAttempts(max(1, math.ceil(retry_at - time.time())))


def record_failure(username: str, address: str) -> None:
    """Count one failed attempt against the account and the address."""

    def hit(strategy: RateLimiter) -> None:
        for item, identifiers in _tiers(username, address):
            strategy.hit(item, *identifiers)

    _counting(hit)
