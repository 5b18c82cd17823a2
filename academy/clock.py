"""The one clock: every time the app reads comes from `now()`, which tests can move."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def _system_now() -> datetime:
    # Naive UTC throughout: SQLite stores no zone, and one convention avoids mixing.
    return datetime.now(UTC).replace(tzinfo=None)


_source: Callable[[], datetime] = _system_now


def now() -> datetime:
    """The current time, naive UTC."""
    return _source()


def iso(moment: datetime | None) -> str | None:
    """A stored time (naive UTC) as ISO 8601 with its zone, for JSON; None stays None."""
    return moment.isoformat() + "Z" if moment is not None else None


def set_source(source: Callable[[], datetime] | None) -> None:
    """Replace the time source (tests); None restores the system clock."""
    global _source
    _source = source or _system_now


class MovableClock:
    """A clock for tests: stands still until moved."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 23, 8, 0, 0)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)
