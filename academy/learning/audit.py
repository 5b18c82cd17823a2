"""The watch audit log (watch_events): everything a session did, refused requests too.

A request's events are collected and appended in one INSERT in the request's own transaction,
so they are written with what they describe or not at all (a crash loses both).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, insert, select

from academy import clock
from academy.errors import Refusal
from academy.extensions import db
from academy.learning.models import Popup, WatchEvent, WatchSession
from academy.learning.progress import find_progress

#: the columns an event may set besides its session, learner, lesson, time and kind
_DEFAULTS = {
    "seq": None,
    "position_ms": None,
    "verified_ms": None,
    "rate_centi": None,
    "hidden": None,
    "detail": "",
}


class EventLog:
    """The events of one request, appended together by write() (one executemany INSERT)."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def record(
        self, session_id: int | None, user_id: int, lesson_id: int, kind: str, **fields
    ) -> None:
        """Record an event at the clock's time now; it is written by write()."""
        unknown = set(fields) - set(_DEFAULTS)
        if unknown:
            raise TypeError(f"not an event field: {sorted(unknown)}")
        self.rows.append(
            {
                **_DEFAULTS,
                **fields,
                "session_id": session_id,
                "user_id": user_id,
                "lesson_id": lesson_id,
                "at": clock.now(),
                "kind": kind,
            }
        )

    def write(self) -> None:
        """Append the recorded events in the caller's transaction, in the order recorded."""
        if self.rows:
            # Core, not the ORM's bulk insert (which splits rows by the keys they leave None):
            # every row has every key, so this is one statement however many rows there are
            db.session.execute(insert(WatchEvent.__table__), self.rows)
            self.rows = []


def log_refusal(user_id: int, token: str, refusal: Refusal, **fields) -> None:
    """Record a refused request in the audit log, in its own transaction.

    A flood must not become rows: too_many_beats is never recorded, and other refusals only
    up to BEATS_PER_SECOND_MAX a second per session (the first of a burst tells the story).
    """
    if refusal.code == "too_many_beats":
        return
    db.session.rollback()
    now = clock.now()
    recent = (
        select(func.count(WatchEvent.id))
        .where(
            WatchEvent.session_id == WatchSession.id,
            WatchEvent.kind == "refused",
            WatchEvent.at > now - timedelta(seconds=1),
        )
        .correlate(WatchSession)
        .scalar_subquery()
    )
    found = db.session.execute(
        select(WatchSession.id, WatchSession.lesson_id, recent).where(WatchSession.token == token)
    ).first()
    if found is None:
        return  # nothing to attach it to: an unknown session id
    session_id, lesson_id, count = found
    limit = current_app.config["BEATS_PER_SECOND_MAX"]
    if limit > 0 and count >= limit:
        return
    events = EventLog()
    events.record(session_id, user_id, lesson_id, "refused", detail=refusal.code, **fields)
    events.write()
    db.session.commit()


def viewing_log(user_id: int, lesson_id: int) -> dict:
    """Everything recorded of one learner on one lesson, for the admin's audit page."""
    return {
        "progress": find_progress(user_id, lesson_id),
        "sessions": list(
            db.session.scalars(
                select(WatchSession)
                .where(WatchSession.user_id == user_id, WatchSession.lesson_id == lesson_id)
                .order_by(WatchSession.id)
            )
        ),
        "popups": list(
            db.session.scalars(
                select(Popup)
                .where(Popup.user_id == user_id, Popup.lesson_id == lesson_id)
                .order_by(Popup.at_ms)
            )
        ),
        "events": list(
            db.session.scalars(
                select(WatchEvent)
                .where(WatchEvent.user_id == user_id, WatchEvent.lesson_id == lesson_id)
                .order_by(WatchEvent.id)
            )
        ),
    }
