"""Which records make statements, read from the audit log and the completions (read only).

Statements are made from the rows each time they are needed, never stored: the watch events
and course completions are the record, and the same row always makes the same statement.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased, joinedload

from academy.catalog.models import Course, Lesson
from academy.credits.models import CreditEntry, EntryKind
from academy.extensions import db
from academy.learning.models import CourseCompletion, Popup, WatchEvent
from academy.xapi import statements as xs

#: the audit log's kinds that can make a statement; refusals, issued popups and ended
#: sessions make none, and a beat makes one only when it moved verified progress
STATEMENT_KINDS = ("start", "beat", "popup_confirmed", "popup_wrong", "lesson_complete")
#: the kinds whose verified_ms is the learner's verified progress at that moment
PROGRESS_KINDS = ("start", "beat", "popup_wrong", "lesson_complete")
#: rows read at a time when a learner's whole record is exported
EXPORT_CHUNK = 500

_LATENCY = re.compile(r"\blatency_ms=(\d+)\b")


# -- the outbox's batches ---------------------------------------------------------------------


def _settled_prefix(rows: list, settled_before: datetime, at) -> list:
    """The rows up to the first that is too recent: the cursor must never pass a row that a
    slower transaction, holding a lower id, has not committed yet."""
    for index, row in enumerate(rows):
        if at(row) > settled_before:
            return rows[:index]
    return rows


def event_batch(after_id: int, limit: int, settled_before: datetime) -> list[WatchEvent]:
    """The next watch events that may make statements, oldest first."""
    rows = list(
        db.session.scalars(
            select(WatchEvent)
            .where(WatchEvent.id > after_id, WatchEvent.kind.in_(STATEMENT_KINDS))
            .order_by(WatchEvent.id)
            .limit(limit)
        )
    )
    return _settled_prefix(rows, settled_before, lambda row: row.at)


def completion_batch(after_id: int, limit: int, settled_before: datetime) -> list[CourseCompletion]:
    """The next course completions, oldest first."""
    rows = list(
        db.session.scalars(
            select(CourseCompletion)
            .where(CourseCompletion.id > after_id)
            .order_by(CourseCompletion.id)
            .limit(limit)
        )
    )
    return _settled_prefix(rows, settled_before, lambda row: row.completed_at)


# -- rows to statements -----------------------------------------------------------------------


def _course_ref(course: Course) -> xs.CourseRef:
    return xs.CourseRef(course.id, course.title)


def _lessons(ids: Iterable[int]) -> dict[int, xs.LessonRef]:
    ids = set(ids)
    if not ids:
        return {}
    lessons = db.session.scalars(
        select(Lesson).where(Lesson.id.in_(ids)).options(joinedload(Lesson.course))
    )
    return {
        lesson.id: xs.LessonRef(
            lesson.id, lesson.title, lesson.duration_ms, _course_ref(lesson.course)
        )
        for lesson in lessons
    }


def _popup_token(event: WatchEvent) -> str:
    # popup events' detail is "<popup token> latency_ms=..." or "<popup token> answer=..."
    return (event.detail or "").split(" ", 1)[0]


def _popups(tokens: Iterable[str]) -> dict[str, xs.PopupRef]:
    tokens = {token for token in tokens if token}
    if not tokens:
        return {}
    popups = db.session.scalars(select(Popup).where(Popup.token.in_(tokens)))
    return {popup.token: xs.PopupRef(popup.id, popup.kind, popup.prompt) for popup in popups}


def _progress_before(beat_ids: list[int]) -> dict[int, int | None]:
    """For each beat, the learner's verified progress as the session's previous record had it."""
    if not beat_ids:
        return {}
    earlier = aliased(WatchEvent)
    previous = (
        select(earlier.verified_ms)
        .where(
            earlier.session_id == WatchEvent.session_id,
            earlier.id < WatchEvent.id,
            earlier.kind.in_(PROGRESS_KINDS),
        )
        .order_by(earlier.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(WatchEvent.id, previous).where(WatchEvent.id.in_(beat_ids))
    ).all()
    return {row[0]: row[1] for row in rows}


def event_statements(site: xs.Site, events: list[WatchEvent]) -> list[tuple[int, dict]]:
    """(event id, statement) for each event that makes one, in the events' order."""
    lessons = _lessons(event.lesson_id for event in events)
    popups = _popups(
        _popup_token(event) for event in events if event.kind in ("popup_confirmed", "popup_wrong")
    )
    before = _progress_before([event.id for event in events if event.kind == "beat"])
    made = []
    for event in events:
        statement = _event_statement(site, event, lessons, popups, before)
        if statement is not None:
            made.append((event.id, statement))
    return made


def _event_statement(site, event: WatchEvent, lessons, popups, before) -> dict | None:
    lesson = lessons.get(event.lesson_id)
    if lesson is None or event.session_id is None:
        return None
    record = xs.WatchRecord(event.id, event.user_id, event.at, lesson, event.session_id)
    if event.kind == "start":
        return xs.initialized(site, record)
    if event.kind == "beat":
        verified = event.verified_ms or 0
        if verified <= (before.get(event.id) or 0):
            return None  # accepted, but nothing newly verified: no progress to state
        return xs.progressed(site, record, verified)
    if event.kind in ("popup_confirmed", "popup_wrong"):
        popup = popups.get(_popup_token(event))
        if popup is None:
            return None
        latency = _LATENCY.search(event.detail or "")
        return xs.answered(
            site,
            record,
            popup,
            success=event.kind == "popup_confirmed",
            latency_ms=int(latency.group(1)) if latency else None,
        )
    if event.kind == "lesson_complete":
        return xs.lesson_completed(site, record, event.verified_ms or 0)
    return None


def _awarded_hours(completions: list[CourseCompletion]) -> dict[tuple[int, int], dict]:
    """The hours each completion's award gave, {(user, course): {credit type code: hours}}."""
    if not completions:
        return {}
    pairs = {(c.user_id, c.course_id) for c in completions}
    entries = db.session.scalars(
        select(CreditEntry)
        .where(
            CreditEntry.kind == EntryKind.AWARD,
            CreditEntry.user_id.in_({user for user, _course in pairs}),
            CreditEntry.course_id.in_({course for _user, course in pairs}),
        )
        .options(joinedload(CreditEntry.credit_type))
        .order_by(CreditEntry.id)
    )
    hours: dict[tuple[int, int], dict] = defaultdict(dict)
    for entry in entries:
        if (entry.user_id, entry.course_id) in pairs:
            hours[entry.user_id, entry.course_id][entry.credit_type.code] = entry.centihours / 100
    return hours


def completion_statements(
    site: xs.Site, completions: list[CourseCompletion]
) -> list[tuple[int, dict]]:
    """(completion id, statement) for each course completion."""
    courses = {
        course.id: _course_ref(course)
        for course in db.session.scalars(
            select(Course).where(Course.id.in_({c.course_id for c in completions}))
        )
    }
    hours = _awarded_hours(completions)
    return [
        (
            completion.id,
            xs.course_completed(
                site,
                completion_id=completion.id,
                user_id=completion.user_id,
                at=completion.completed_at,
                course=courses[completion.course_id],
                hours=hours.get((completion.user_id, completion.course_id), {}),
            ),
        )
        for completion in completions
        if completion.course_id in courses
    ]


# -- one learner's record ---------------------------------------------------------------------


def _learner_events(site: xs.Site, user_id: int) -> Iterator[dict]:
    after = 0
    while True:
        events = list(
            db.session.scalars(
                select(WatchEvent)
                .where(
                    WatchEvent.user_id == user_id,
                    WatchEvent.id > after,
                    WatchEvent.kind.in_(STATEMENT_KINDS),
                )
                .order_by(WatchEvent.id)
                .limit(EXPORT_CHUNK)
            )
        )
        if not events:
            return
        after = events[-1].id
        for _event_id, statement in event_statements(site, events):
            yield statement


def learner_statements(site: xs.Site, user_id: int) -> Iterator[dict]:
    """Every statement of one learner, oldest first (the admin's export)."""
    completions = list(
        db.session.scalars(
            select(CourseCompletion)
            .where(CourseCompletion.user_id == user_id)
            .order_by(CourseCompletion.id)
        )
    )
    finished = [statement for _id, statement in completion_statements(site, completions)]
    # a course completes in the same moment as its last lesson: the lesson comes first
    merged = heapq.merge(
        ((s["timestamp"], 0, s) for s in _learner_events(site, user_id)),
        ((s["timestamp"], 1, s) for s in finished),
        key=lambda item: item[:2],
    )
    for _timestamp, _rank, statement in merged:
        yield statement
