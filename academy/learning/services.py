"""Enrolment, watch sessions and the server's verification of progress.

Every write here happens in one transaction per request, and every rule that must hold once
(one active session per account, one seq per beat, one confirmation per popup, one completion,
one award) is enforced by a conditional update or a unique constraint, not by a prior read.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from academy import clock
from academy.auth.models import User
from academy.catalog.models import Course, Lesson
from academy.credits import services as credits
from academy.errors import Refusal
from academy.extensions import db
from academy.insights import services as insights
from academy.learning import rules
from academy.learning.models import (
    CourseCompletion,
    Enrolment,
    LessonProgress,
    PlayerSettings,
    Popup,
    WatchEvent,
    WatchSession,
)

_random = secrets.SystemRandom()


# -- settings ---------------------------------------------------------------------------------

SETTING_BOUNDS = {
    "max_rate_centi": (50, 300),
    "popups_per_50min": (0, 30),
    "min_popups_per_lesson": (1, 20),
    "heartbeat_seconds": (2, 30),
    "tolerance_ms": (0, 10000),
    "knowledge_checks": (0, 1),
    "wrong_answer_rewind_seconds": (0, 600),
}


def get_player_settings() -> PlayerSettings:
    """The admin's player settings; the defaults are written on first use."""
    settings = db.session.get(PlayerSettings, 1)
    if settings is None:
        settings = PlayerSettings(id=1)
        db.session.add(settings)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            settings = db.session.get(PlayerSettings, 1)
    return settings


def update_player_settings(values: dict[str, int]) -> PlayerSettings:
    """Change the player settings after checking each value is within its bounds."""
    settings = get_player_settings()
    for name, value in values.items():
        low, high = SETTING_BOUNDS[name]
        if not isinstance(value, int) or not low <= value <= high:
            raise Refusal(
                "invalid_setting",
                _("%(name)s 须在 %(low)d 到 %(high)d 之间。", name=name, low=low, high=high),
                422,
            )
    for name, value in values.items():
        setattr(settings, name, value)
    db.session.commit()
    return settings


# -- enrolment --------------------------------------------------------------------------------


def find_enrolment(user_id: int, course_id: int) -> Enrolment | None:
    """The learner's access to a course, unless it was revoked (a refunded order)."""
    return db.session.scalar(
        select(Enrolment).where(
            Enrolment.user_id == user_id,
            Enrolment.course_id == course_id,
            Enrolment.revoked_at.is_(None),
        )
    )


def enrol_free(user: User, course: Course) -> tuple[Enrolment, bool]:
    """Enrol a learner in a free course; returns the enrolment and whether it is new."""
    if not course.is_published:
        raise Refusal("not_found", _("课程不存在。"), 404)
    existing = find_enrolment(user.id, course.id)
    if existing:
        return existing, False
    if not course.is_free:
        raise Refusal("purchase_required", _("这是付费课程，需购买后才能学习。"), 403)
    enrolment = Enrolment(user_id=user.id, course_id=course.id, source="free")
    db.session.add(enrolment)
    try:
        db.session.commit()
    except IntegrityError:  # a racing request enrolled first
        db.session.rollback()
        return find_enrolment(user.id, course.id), False
    return enrolment, True


def list_enrolments(user_id: int) -> list[Enrolment]:
    """The learner's courses, newest first; access ended by a refund is not listed."""
    return list(
        db.session.scalars(
            select(Enrolment)
            .where(Enrolment.user_id == user_id, Enrolment.revoked_at.is_(None))
            .order_by(Enrolment.id.desc())
        )
    )


def grant_purchase(user_id: int, course_id: int, order_id: int) -> None:
    """Access bought by a paid order, in the caller's transaction (the one marking it paid).

    (user_id, course_id) is unique, so the learner's row is reused: a revoked one after a
    refund, or a membership claim, which the purchase supersedes (purchased hours never use
    the member quota).
    """
    values = {"source": "purchase", "order_id": order_id, "membership_id": None}
    for _attempt in range(2):  # a racing insert of the same row: the second pass updates it
        if _grant(user_id, course_id, values, only_revoked=False):
            return
    raise RuntimeError(f"could not grant course {course_id} to user {user_id}")


def grant_membership_claim(user_id: int, course_id: int, membership_id: int) -> bool:
    """Access claimed with a membership period; False when the learner already has access.

    In the caller's transaction. The period is recorded: the credit rules count the hours
    against its quota.
    """
    values = {"source": "membership", "order_id": None, "membership_id": membership_id}
    return _grant(user_id, course_id, values, only_revoked=True)


def _grant(user_id: int, course_id: int, values: dict, *, only_revoked: bool) -> bool:
    """Update the learner's row for the course (only a revoked one if asked), else insert it."""
    conditions = [Enrolment.user_id == user_id, Enrolment.course_id == course_id]
    if only_revoked:
        conditions.append(Enrolment.revoked_at.is_not(None))
    result = db.session.execute(
        update(Enrolment)
        .where(*conditions)
        .values(revoked_at=None, **values)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount:
        return True
    try:
        with db.session.begin_nested():
            db.session.add(Enrolment(user_id=user_id, course_id=course_id, **values))
    except IntegrityError:  # the row exists and is active (or a racing grant made it)
        return False
    return True


def revoke_enrolments(*, order_id: int | None = None, membership_id: int | None = None):
    """End the access an order or a membership period granted; the rows stay for the record.

    In the caller's transaction (the refund's). Returns the (user_id, course_id) pairs revoked.
    """
    if (order_id is None) == (membership_id is None):
        raise ValueError("give exactly one of order_id and membership_id")
    granted_by = (
        Enrolment.order_id == order_id
        if order_id is not None
        else Enrolment.membership_id == membership_id
    )
    rows = db.session.execute(
        update(Enrolment)
        .where(granted_by, Enrolment.revoked_at.is_(None))
        .values(revoked_at=clock.now())
        .returning(Enrolment.user_id, Enrolment.course_id)
        .execution_options(synchronize_session="fetch")
    ).all()
    return [(row.user_id, row.course_id) for row in rows]


# -- progress ---------------------------------------------------------------------------------


def find_progress(user_id: int, lesson_id: int) -> LessonProgress | None:
    return db.session.scalar(
        select(LessonProgress).where(
            LessonProgress.user_id == user_id, LessonProgress.lesson_id == lesson_id
        )
    )


def progress_by_lesson(
    user_id: int, lesson_ids: list[int] | None = None
) -> dict[int, LessonProgress]:
    """The learner's progress rows keyed by lesson id."""
    query = select(LessonProgress).where(LessonProgress.user_id == user_id)
    if lesson_ids is not None:
        query = query.where(LessonProgress.lesson_id.in_(lesson_ids))
    return {p.lesson_id: p for p in db.session.scalars(query)}


def _start_progress(user_id: int, lesson: Lesson) -> LessonProgress:
    """Create the learner's progress on a lesson and draw its secret popups, once."""
    progress = find_progress(user_id, lesson.id)
    if progress is not None:
        return progress
    settings = get_player_settings()
    try:
        with db.session.begin_nested():
            progress = LessonProgress(user_id=user_id, lesson_id=lesson.id, verified_ms=0)
            db.session.add(progress)
            db.session.flush()
            count = rules.popup_count(
                lesson.duration_ms, settings.popups_per_50min, settings.min_popups_per_lesson
            )
            questions = _knowledge_checks(lesson.id) if settings.knowledge_checks else []
            for index, at_ms in enumerate(
                rules.draw_popup_times(lesson.duration_ms, count, _random)
            ):
                popup = Popup(
                    token=secrets.token_urlsafe(16),
                    user_id=user_id,
                    lesson_id=lesson.id,
                    at_ms=at_ms,
                    kind="confirm",
                )
                if questions:
                    question = questions[index % len(questions)]
                    popup.kind, popup.prompt = "question", question["prompt"]
                    popup.choices, popup.answer = insights.shuffled_question(question, _random)
                    popup.explanation = question.get("explanation", "")
                db.session.add(popup)
    except IntegrityError:  # a racing start created it; use the winner's popups
        return find_progress(user_id, lesson.id)
    return progress


def _knowledge_checks(lesson_id: int) -> list[dict]:
    """The lesson's published review questions, in a random order for this learner."""
    questions = insights.published_questions(lesson_id)
    _random.shuffle(questions)
    return questions


def _next_unconfirmed_popup(user_id: int, lesson_id: int) -> Popup | None:
    return db.session.scalar(
        select(Popup)
        .where(Popup.user_id == user_id, Popup.lesson_id == lesson_id, Popup.confirmed_at.is_(None))
        .order_by(Popup.at_ms)
        .limit(1)
    )


def _unconfirmed_count(user_id: int, lesson_id: int) -> int:
    return db.session.scalar(
        select(func.count(Popup.id)).where(
            Popup.user_id == user_id, Popup.lesson_id == lesson_id, Popup.confirmed_at.is_(None)
        )
    )


# -- watch sessions ---------------------------------------------------------------------------


def _log(session: WatchSession | None, user_id: int, lesson_id: int, kind: str, **fields) -> None:
    db.session.add(
        WatchEvent(
            session_id=session.id if session else None,
            user_id=user_id,
            lesson_id=lesson_id,
            at=clock.now(),
            kind=kind,
            **fields,
        )
    )


def log_refusal(user_id: int, token: str, refusal: Refusal, **fields) -> None:
    """Record a refused request in the audit log, in its own transaction.

    A flood must not become rows: too_many_beats is never recorded, and other refusals only
    up to BEATS_PER_SECOND_MAX a second per session (the first of a burst tells the story).
    """
    if refusal.code == "too_many_beats":
        return
    db.session.rollback()
    session = db.session.scalar(select(WatchSession).where(WatchSession.token == token))
    if session is None:
        return  # nothing to attach it to: an unknown session id
    now = clock.now()
    recent = db.session.scalar(
        select(func.count(WatchEvent.id)).where(
            WatchEvent.session_id == session.id,
            WatchEvent.kind == "refused",
            WatchEvent.at > now - timedelta(seconds=1),
        )
    )
    limit = current_app.config["BEATS_PER_SECOND_MAX"]
    if limit > 0 and recent >= limit:
        return
    _log(session, user_id, session.lesson_id, "refused", detail=refusal.code, **fields)
    db.session.commit()


def start_watch(user: User, lesson: Lesson, *, user_agent: str = "", ip: str = "") -> WatchSession:
    """Start watching a lesson: ends the account's other active sessions first."""
    if find_enrolment(user.id, lesson.course_id) is None:
        raise Refusal("not_enrolled", _("请先报名该课程。"), 403)
    settings = get_player_settings()
    for attempt in range(3):
        now = clock.now()
        progress = _start_progress(user.id, lesson)
        replaced = list(
            db.session.scalars(
                select(WatchSession).where(
                    WatchSession.user_id == user.id, WatchSession.ended_at.is_(None)
                )
            )
        )
        db.session.execute(
            update(WatchSession)
            .where(WatchSession.user_id == user.id, WatchSession.ended_at.is_(None))
            .values(ended_at=now, ended_reason="replaced")
        )
        for old in replaced:
            _log(old, user.id, old.lesson_id, "ended", detail="replaced")
        session = WatchSession(
            token=secrets.token_urlsafe(24),
            user_id=user.id,
            lesson_id=lesson.id,
            max_rate_centi=settings.max_rate_centi,
            tolerance_ms=settings.tolerance_ms,
            heartbeat_seconds=settings.heartbeat_seconds,
            last_beat_at=now,
            allowance_ms=0,  # nothing earned yet: a fresh session must not be a free jump
            user_agent=user_agent[:255],
            ip=ip[:64],
        )
        db.session.add(session)
        try:
            db.session.flush()
        except IntegrityError:  # another start won the one active slot; end it and retry
            db.session.rollback()
            if attempt == 2:
                raise
            continue
        _log(session, user.id, lesson.id, "start", verified_ms=progress.verified_ms)
        db.session.commit()
        return session
    raise AssertionError("unreachable")


def _active_session(user: User, token: str) -> WatchSession:
    session = db.session.scalar(select(WatchSession).where(WatchSession.token == token))
    if session is None:
        raise Refusal("session_not_found", _("学习会话不存在。"), 404)
    if session.user_id != user.id:
        raise Refusal("not_your_session", _("这不是您的学习会话。"), 403)
    if session.ended_at is not None:
        raise Refusal(
            "session_ended",
            _("该学习会话已结束（可能在其他窗口开始了学习），请刷新页面继续。"),
            409,
        )
    return session


@dataclass
class BeatReply:
    """What the server tells the player after a beat or a confirmation."""

    verified_ms: int
    duration_ms: int
    popup: Popup | None
    lesson_complete: bool
    course_complete: bool
    awarded: list
    reason: str = ""
    #: after a right answer: why it is right
    explanation: str = ""


def beat(
    user: User, token: str, *, seq: int, position_ms: int, rate_centi: int, hidden: bool
) -> BeatReply:
    """Take one heartbeat and advance verified progress as far as the rules allow."""
    session = _active_session(user, token)
    if seq <= session.last_seq:
        raise Refusal("stale_seq", _("重复或过期的进度报告已被拒绝。"), 409)
    now = clock.now()
    elapsed_ms = int((now - session.last_beat_at).total_seconds() * 1000)
    if rules.beat_too_soon(elapsed_ms, current_app.config["BEATS_PER_SECOND_MAX"]):
        raise Refusal("too_many_beats", _("进度报告过于频繁，本次未计入。"), 429)
    lesson = session.lesson
    progress = find_progress(user.id, lesson.id)
    popup = _next_unconfirmed_popup(user.id, lesson.id)
    result = rules.advance_verified(
        verified_ms=progress.verified_ms,
        allowance_ms=session.allowance_ms,
        elapsed_ms=elapsed_ms,
        position_ms=position_ms,
        rate_centi=rate_centi,
        hidden=hidden,
        duration_ms=lesson.duration_ms,
        stop_at_ms=popup.at_ms if popup else None,
        max_rate_centi=session.max_rate_centi,
        cap_ms=rules.allowance_cap_ms(
            session.max_rate_centi, session.heartbeat_seconds, session.tolerance_ms
        ),
    )
    # Compare-and-set on seq: of two racing beats with the same seq, one wins.
    claimed = db.session.execute(
        update(WatchSession)
        .where(
            WatchSession.id == session.id,
            WatchSession.last_seq == session.last_seq,
            WatchSession.ended_at.is_(None),
        )
        .values(last_seq=seq, last_beat_at=now, allowance_ms=result.allowance_ms)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise Refusal("stale_seq", _("重复或过期的进度报告已被拒绝。"), 409)
    if result.verified_ms != progress.verified_ms:
        moved = db.session.execute(
            update(LessonProgress)
            .where(
                LessonProgress.id == progress.id,
                LessonProgress.verified_ms == progress.verified_ms,
            )
            .values(verified_ms=result.verified_ms)
        )
        if moved.rowcount != 1:
            db.session.rollback()
            raise Refusal("conflict", _("进度已在别处更新，请刷新页面。"), 409)
    _log(
        session,
        user.id,
        lesson.id,
        "beat",
        seq=seq,
        position_ms=position_ms,
        verified_ms=result.verified_ms,
        rate_centi=rate_centi,
        hidden=hidden,
        detail=result.reason,
    )
    issued = None
    if popup is not None and result.verified_ms >= popup.at_ms:
        issued = _issue_popup(session, popup, now)
    reply = _finish(session, lesson, progress.id, result.verified_ms, now)
    reply.popup = issued
    reply.reason = result.reason
    db.session.commit()
    return reply


def _issue_popup(session: WatchSession, popup: Popup, now) -> Popup:
    """Show a popup to this session (again, if an earlier session left it unconfirmed)."""
    newly_shown = popup.issued_at is None or popup.issued_session_id != session.id
    db.session.execute(
        update(Popup)
        .where(Popup.id == popup.id, Popup.confirmed_at.is_(None))
        .values(issued_session_id=session.id, issued_at=popup.issued_at or now)
    )
    if newly_shown:
        _log(
            session,
            session.user_id,
            session.lesson_id,
            "popup_issued",
            verified_ms=popup.at_ms,
            detail=popup.token,
        )
    db.session.refresh(popup)
    return popup


def confirm_popup(
    user: User, token: str, popup_token: str, answer: int | None = None
) -> tuple[bool, BeatReply]:
    """Confirm (or answer) a popup that was issued to this session; returns (accepted, reply)."""
    session = _active_session(user, token)
    popup = db.session.scalar(select(Popup).where(Popup.token == popup_token))
    if popup is None or popup.user_id != user.id or popup.lesson_id != session.lesson_id:
        raise Refusal("popup_not_found", _("弹窗不存在。"), 404)
    if popup.confirmed_at is not None:
        raise Refusal("popup_already_confirmed", _("该弹窗已确认过。"), 409)
    if popup.issued_session_id != session.id:
        raise Refusal("popup_not_issued", _("该弹窗尚未向本次学习发出，不能确认。"), 409)
    now = clock.now()
    db.session.execute(
        update(Popup).where(Popup.id == popup.id).values(attempts=Popup.attempts + 1)
    )
    if popup.kind == "question" and answer != popup.answer:
        return False, _answered_wrong(session, popup, answer)
    done = db.session.execute(
        update(Popup)
        .where(
            Popup.id == popup.id,
            Popup.confirmed_at.is_(None),
            Popup.issued_session_id == session.id,
        )
        .values(confirmed_at=now)
    )
    if done.rowcount != 1:
        db.session.rollback()
        raise Refusal("popup_already_confirmed", _("该弹窗已确认过。"), 409)
    latency_ms = int((now - popup.issued_at).total_seconds() * 1000) if popup.issued_at else None
    _log(
        session,
        user.id,
        session.lesson_id,
        "popup_confirmed",
        verified_ms=popup.at_ms,
        detail=f"{popup.token} latency_ms={latency_ms}",
    )
    progress = find_progress(user.id, session.lesson_id)
    reply = _finish(session, session.lesson, progress.id, progress.verified_ms, now)
    reply.explanation = popup.explanation if popup.kind == "question" else ""
    db.session.commit()
    return True, reply


def _answered_wrong(session: WatchSession, popup: Popup, answer: int | None) -> BeatReply:
    """A wrong answer: the stretch before the question must be watched again, and the
    question comes back there with its choices in a new order (no guessing by elimination)."""
    rewind_ms = get_player_settings().wrong_answer_rewind_seconds * 1000
    progress = find_progress(session.user_id, session.lesson_id)
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
    _log(
        session,
        session.user_id,
        session.lesson_id,
        "popup_wrong",
        verified_ms=back_to,
        detail=f"{popup.token} answer={answer}",
    )
    db.session.commit()
    return BeatReply(back_to, session.lesson.duration_ms, None, False, False, [])


def _finish(
    session: WatchSession, lesson: Lesson, progress_id: int, verified_ms: int, now
) -> BeatReply:
    """Complete the lesson, then the course and its award, when the rules say so; once only."""
    awarded: list = []
    lesson_complete = False
    if rules.is_lesson_complete(
        verified_ms, lesson.duration_ms, _unconfirmed_count(session.user_id, lesson.id)
    ):
        lesson_complete = True
        first = db.session.execute(
            update(LessonProgress)
            .where(LessonProgress.id == progress_id, LessonProgress.completed_at.is_(None))
            .values(completed_at=now)
        )
        if first.rowcount == 1:
            _log(session, session.user_id, lesson.id, "lesson_complete", verified_ms=verified_ms)
            awarded = _complete_course_if_done(session.user_id, lesson.course, now)
    course_complete = is_course_complete(session.user_id, lesson.course)
    return BeatReply(
        verified_ms, lesson.duration_ms, None, lesson_complete, course_complete, awarded
    )


def is_course_complete(user_id: int, course: Course) -> bool:
    lesson_ids = [lesson.id for lesson in course.lessons]
    done = db.session.scalar(
        select(func.count(LessonProgress.id)).where(
            LessonProgress.user_id == user_id,
            LessonProgress.lesson_id.in_(lesson_ids),
            LessonProgress.completed_at.is_not(None),
        )
    )
    return bool(lesson_ids) and done == len(lesson_ids)


def _complete_course_if_done(user_id: int, course: Course, now) -> list:
    if not is_course_complete(user_id, course):
        return []
    try:
        with db.session.begin_nested():
            db.session.add(CourseCompletion(user_id=user_id, course_id=course.id, completed_at=now))
    except IntegrityError:  # completed already: the award was made then
        return []
    return credits.award_course_credits(user_id, course.id)


def course_completion(user_id: int, course_id: int) -> CourseCompletion | None:
    return db.session.scalar(
        select(CourseCompletion).where(
            CourseCompletion.user_id == user_id, CourseCompletion.course_id == course_id
        )
    )


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
