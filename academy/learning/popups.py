"""Popups: drawn in secret when a learner first starts a lesson, issued to the session that
reaches them, confirmed (or answered) once, by that session only.

Each function works in the caller's transaction and records its events in the caller's
EventLog; the session functions (sessions.py) commit.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from academy.errors import Refusal
from academy.extensions import db
from academy.insights import services as insights
from academy.learning import rules
from academy.learning.audit import EventLog
from academy.learning.models import LessonProgress, PlayerSettings, Popup, WatchSession
from academy.learning.settings import get_player_settings

_random = secrets.SystemRandom()


def draw_popups(user_id: int, lesson_id: int, duration_ms: int, settings: PlayerSettings) -> None:
    """Draw a learner's secret popups for a lesson (with review questions if the admin asks)."""
    count = rules.popup_count(
        duration_ms, settings.popups_per_50min, settings.min_popups_per_lesson
    )
    questions = _knowledge_checks(lesson_id) if settings.knowledge_checks else []
    for index, at_ms in enumerate(rules.draw_popup_times(duration_ms, count, _random)):
        popup = Popup(
            token=secrets.token_urlsafe(16),
            user_id=user_id,
            lesson_id=lesson_id,
            at_ms=at_ms,
            kind="confirm",
        )
        if questions:
            question = questions[index % len(questions)]
            popup.kind, popup.prompt = "question", question["prompt"]
            popup.choices, popup.answer = insights.shuffled_question(question, _random)
            popup.explanation = question.get("explanation", "")
        db.session.add(popup)


def fit_to_duration(lesson_id: int, duration_ms: int) -> int:
    """The lesson's video was replaced by one of `duration_ms`: no learner's progress lies past
    its end, and each learner's unconfirmed popups past its end move to fresh secret times
    within it, after what they have verified (a popup no one can reach would keep the lesson
    from ever completing). Commits; returns how many popups moved."""
    db.session.execute(
        update(LessonProgress)
        .where(LessonProgress.lesson_id == lesson_id, LessonProgress.verified_ms > duration_ms)
        .values(verified_ms=duration_ms)
    )
    stranded = db.session.scalars(
        select(Popup)
        .where(
            Popup.lesson_id == lesson_id,
            Popup.confirmed_at.is_(None),
            Popup.at_ms > duration_ms,
        )
        .order_by(Popup.user_id, Popup.at_ms)
    ).all()
    by_learner: dict[int, list[Popup]] = {}
    for popup in stranded:
        by_learner.setdefault(popup.user_id, []).append(popup)
    verified = dict(
        db.session.execute(
            select(LessonProgress.user_id, LessonProgress.verified_ms).where(
                LessonProgress.lesson_id == lesson_id,
                LessonProgress.user_id.in_(list(by_learner)),
            )
        ).all()
    )
    for user_id, moved in by_learner.items():
        times = rules.redraw_popup_times(verified.get(user_id, 0), duration_ms, len(moved), _random)
        for popup, at_ms in zip(moved, times, strict=True):
            popup.at_ms = at_ms
    db.session.commit()
    return len(stranded)


def _knowledge_checks(lesson_id: int) -> list[dict]:
    """The lesson's published review questions, in a random order for this learner."""
    questions = insights.published_questions(lesson_id)
    _random.shuffle(questions)
    return questions


def unconfirmed_count(user_id: int, lesson_id: int) -> int:
    """How many of the learner's popups on a lesson wait for a confirmation."""
    return db.session.scalar(
        select(func.count(Popup.id)).where(
            Popup.user_id == user_id, Popup.lesson_id == lesson_id, Popup.confirmed_at.is_(None)
        )
    )


def issue_popup(session: WatchSession, popup: Popup, now: datetime, events: EventLog) -> Popup:
    """Show a popup to this session (again, if an earlier session left it unconfirmed)."""
    if popup.issued_at is not None and popup.issued_session_id == session.id:
        return popup  # shown to this session already: nothing changes, nothing to log
    db.session.execute(
        update(Popup)
        .where(Popup.id == popup.id, Popup.confirmed_at.is_(None))
        .values(issued_session_id=session.id, issued_at=popup.issued_at or now)
    )
    events.record(
        session.id,
        session.user_id,
        session.lesson_id,
        "popup_issued",
        verified_ms=popup.at_ms,
        detail=popup.token,
    )
    return popup


def confirm(
    session: WatchSession,
    popup: Popup | None,
    answer: int | None,
    now: datetime,
    events: EventLog,
) -> bool:
    """Take a confirmation (or an answer) of a popup issued to this session.

    True when the popup is now confirmed; False for a wrong answer, which the caller sends
    back with answered_wrong. The confirmation is a conditional update, so it happens once.
    """
    if popup is None or popup.user_id != session.user_id or popup.lesson_id != session.lesson_id:
        raise Refusal("popup_not_found", _("弹窗不存在。"), 404)
    if popup.confirmed_at is not None:
        raise Refusal("popup_already_confirmed", _("该弹窗已确认过。"), 409)
    if popup.issued_session_id != session.id:
        raise Refusal("popup_not_issued", _("该弹窗尚未向本次学习发出，不能确认。"), 409)
    if popup.kind == "question" and answer != popup.answer:
        db.session.execute(
            update(Popup).where(Popup.id == popup.id).values(attempts=Popup.attempts + 1)
        )
        return False
    # The attempt is counted in the same statement: a refused confirmation rolls it back.
    done = db.session.execute(
        update(Popup)
        .where(
            Popup.id == popup.id,
            Popup.confirmed_at.is_(None),
            Popup.issued_session_id == session.id,
        )
        .values(confirmed_at=now, attempts=Popup.attempts + 1)
    )
    if done.rowcount != 1:
        db.session.rollback()
        raise Refusal("popup_already_confirmed", _("该弹窗已确认过。"), 409)
    latency_ms = int((now - popup.issued_at).total_seconds() * 1000) if popup.issued_at else None
    events.record(
        session.id,
        session.user_id,
        session.lesson_id,
        "popup_confirmed",
        verified_ms=popup.at_ms,
        detail=f"{popup.token} latency_ms={latency_ms}",
    )
    return True


def answered_wrong(
    session: WatchSession,
    progress: LessonProgress,
    popup: Popup,
    answer: int | None,
    events: EventLog,
) -> int:
    """A wrong answer: the stretch before the question must be watched again, and the
    question comes back there with its choices in a new order (no guessing by elimination).
    Returns the verified progress it sent the learner back to, ms."""
    rewind_ms = get_player_settings().wrong_answer_rewind_seconds * 1000
    back_to = min(progress.verified_ms, max(0, popup.at_ms - rewind_ms))
    db.session.execute(
        update(LessonProgress).where(LessonProgress.id == progress.id).values(verified_ms=back_to)
    )
    choices, right = insights.shuffled_question(
        {"choices": popup.choices, "answer": popup.answer}, _random
    )
    db.session.execute(
        update(Popup)
        .where(Popup.id == popup.id, Popup.confirmed_at.is_(None))
        .values(issued_session_id=None, choices=choices, answer=right)
    )
    events.record(
        session.id,
        session.user_id,
        session.lesson_id,
        "popup_wrong",
        verified_ms=back_to,
        detail=f"{popup.token} answer={answer}",
    )
    return back_to
