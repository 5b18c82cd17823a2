"""Watch sessions: starting one, its heartbeats, and the confirmations of its popups.

Every write happens in one transaction per request, and every rule that must hold once (one
active session per account, one seq per beat, one confirmation per popup, one completion, one
award) is enforced by a conditional update or a unique constraint, not by a prior read.

A beat is the hot path: it reads the session, its lesson, the learner's progress and the next
unconfirmed popup in one query, writes the session (compare-and-set on seq) and the progress
(compare-and-set on verified) only as the rules need, and appends its events in one INSERT.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, and_, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from academy import clock
from academy.auth import services as auth
from academy.errors import Refusal
from academy.extensions import db
from academy.learning import completion, popups, rules
from academy.learning.audit import EventLog
from academy.learning.enrolment import find_enrolment, not_enrolled
from academy.learning.models import LessonProgress, PlayerSettings, Popup, WatchSession
from academy.learning.progress import find_progress
from academy.learning.settings import get_player_settings

if TYPE_CHECKING:
    from academy.auth.models import User
    from academy.catalog.models import Lesson


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


# -- starting ---------------------------------------------------------------------------------


def start_watch(user: User, lesson: Lesson, *, user_agent: str = "", ip: str = "") -> WatchSession:
    """Start watching a lesson: ends the account's other active sessions first."""
    if find_enrolment(user.id, lesson.course_id) is None:
        raise not_enrolled(lesson.course)
    if not lesson.media_path:
        # nothing to watch: a session would verify a lesson of no length at once
        raise Refusal("no_media", _("该课时的视频还没有上传，暂时不能学习。"), 409)
    settings = get_player_settings()
    for attempt in range(3):
        # Starts of one account queue here; without it, racing starts on PostgreSQL each end
        # the winner's session and then lose the one active slot to the next winner.
        auth.lock_account(user.id)
        now = clock.now()
        progress = _start_progress(user.id, lesson, settings)
        events = EventLog()
        replaced = db.session.execute(
            update(WatchSession)
            .where(WatchSession.user_id == user.id, WatchSession.ended_at.is_(None))
            .values(ended_at=now, ended_reason="replaced")
            .returning(WatchSession.id, WatchSession.lesson_id)
        ).all()
        for old in replaced:
            events.record(old.id, user.id, old.lesson_id, "ended", detail="replaced")
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
        events.record(session.id, user.id, lesson.id, "start", verified_ms=progress.verified_ms)
        events.write()
        db.session.commit()
        return session
    raise AssertionError("unreachable")


def _start_progress(user_id: int, lesson: Lesson, settings: PlayerSettings) -> LessonProgress:
    """Create the learner's progress on a lesson and draw its secret popups, once."""
    progress = find_progress(user_id, lesson.id)
    if progress is not None:
        return progress
    try:
        with db.session.begin_nested():
            progress = LessonProgress(user_id=user_id, lesson_id=lesson.id, verified_ms=0)
            db.session.add(progress)
            db.session.flush()
            popups.draw_popups(user_id, lesson.id, lesson.duration_ms, settings)
    except IntegrityError:  # a racing start created it; use the winner's popups
        return find_progress(user_id, lesson.id)
    return progress


def forget_addresses(user_id: int) -> None:
    """Blank the addresses and browsers of a learner's watch sessions (the account's deletion);
    the sessions and their log stay, as the evidence behind the hours. In the caller's
    transaction."""
    db.session.execute(
        update(WatchSession).where(WatchSession.user_id == user_id).values(ip="", user_agent="")
    )


# -- one read per request ---------------------------------------------------------------------


@dataclass
class _Watching:
    session: WatchSession
    progress: LessonProgress
    #: the next unconfirmed popup, or the one a confirmation names (None: there is none)
    popup: Popup | None


def _watching(popup_on) -> Select:
    """The query for a session (by :token) with its lesson, the learner's progress on it and
    the popup that `popup_on` picks; built once, as its construction costs more than its run."""
    return (
        select(WatchSession, LessonProgress, Popup)
        .outerjoin(
            LessonProgress,
            and_(
                LessonProgress.user_id == WatchSession.user_id,
                LessonProgress.lesson_id == WatchSession.lesson_id,
            ),
        )
        .outerjoin(Popup, popup_on)
        .where(WatchSession.token == bindparam("token"))
        .options(joinedload(WatchSession.lesson, innerjoin=True))
        # what this request decides on is what the database holds now, not an earlier read
        .execution_options(populate_existing=True)
    )


_pending = aliased(Popup)
#: the session with the next popup the learner has not confirmed (where progress stops)
_WITH_NEXT_POPUP = _watching(
    Popup.id
    == select(_pending.id)
    .where(
        _pending.user_id == WatchSession.user_id,
        _pending.lesson_id == WatchSession.lesson_id,
        _pending.confirmed_at.is_(None),
    )
    .order_by(_pending.at_ms, _pending.id)
    .limit(1)
    .correlate(WatchSession)
    .scalar_subquery()
)
#: the session with the popup a confirmation names (:popup_token), whoever's it is
_WITH_NAMED_POPUP = _watching(Popup.token == bindparam("popup_token"))


def _active(user: User, token: str, *, popup_token: str | None = None) -> _Watching:
    """The user's active session with its lesson, the learner's progress on it and a popup
    (the next unconfirmed one, or the one named), in one query; refused if it is not theirs
    or has ended."""
    if popup_token is None:
        row = db.session.execute(_WITH_NEXT_POPUP, {"token": token}).first()
    else:
        params = {"token": token, "popup_token": popup_token}
        row = db.session.execute(_WITH_NAMED_POPUP, params).first()
    if row is None:
        raise Refusal("session_not_found", _("学习会话不存在。"), 404)
    session, progress, popup = row
    if session.user_id != user.id:
        raise Refusal("not_your_session", _("这不是您的学习会话。"), 403)
    if session.ended_at is not None:
        raise Refusal(
            "session_ended",
            _("该学习会话已结束（可能在其他窗口开始了学习），请刷新页面继续。"),
            409,
        )
    return _Watching(session, progress, popup)


# -- beats and confirmations ------------------------------------------------------------------

_sessions, _progress = WatchSession.__table__, LessonProgress.__table__
#: a beat's two writes, built once: compare-and-set on the session's seq, then on verified
_CLAIM_SEQ = (
    update(_sessions)
    .where(
        _sessions.c.id == bindparam("row"),
        _sessions.c.last_seq == bindparam("seen"),
        _sessions.c.ended_at.is_(None),
    )
    .values(
        last_seq=bindparam("seq"),
        last_beat_at=bindparam("now"),
        allowance_ms=bindparam("allowance"),
    )
)
_MOVE_VERIFIED = (
    update(_progress)
    .where(_progress.c.id == bindparam("row"), _progress.c.verified_ms == bindparam("seen"))
    .values(verified_ms=bindparam("verified"))
)


def _stored(row, **values) -> None:
    """Note on a loaded row what a conditional UPDATE just wrote to it (not a change to
    flush): later code of the request reads the row as the database now holds it."""
    for name, value in values.items():
        set_committed_value(row, name, value)


def beat(
    user: User, token: str, *, seq: int, position_ms: int, rate_centi: int, hidden: bool
) -> BeatReply:
    """Take one heartbeat and advance verified progress as far as the rules allow."""
    watching = _active(user, token)
    session, progress, popup = watching.session, watching.progress, watching.popup
    if seq <= session.last_seq:
        raise Refusal("stale_seq", _("重复或过期的进度报告已被拒绝。"), 409)
    now = clock.now()
    elapsed_ms = int((now - session.last_beat_at).total_seconds() * 1000)
    if rules.beat_too_soon(elapsed_ms, current_app.config["BEATS_PER_SECOND_MAX"]):
        raise Refusal("too_many_beats", _("进度报告过于频繁，本次未计入。"), 429)
    lesson = session.lesson
    verified_before = progress.verified_ms
    result = rules.advance_verified(
        verified_ms=verified_before,
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
        _CLAIM_SEQ,
        {
            "row": session.id,
            "seen": session.last_seq,
            "seq": seq,
            "now": now,
            "allowance": result.allowance_ms,
        },
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise Refusal("stale_seq", _("重复或过期的进度报告已被拒绝。"), 409)
    _stored(session, last_seq=seq, last_beat_at=now, allowance_ms=result.allowance_ms)
    if result.verified_ms != verified_before:
        moved = db.session.execute(
            _MOVE_VERIFIED,
            {"row": progress.id, "seen": verified_before, "verified": result.verified_ms},
        )
        if moved.rowcount != 1:
            db.session.rollback()
            raise Refusal("conflict", _("进度已在别处更新，请刷新页面。"), 409)
        _stored(progress, verified_ms=result.verified_ms)
    events = EventLog()
    events.record(
        session.id,
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
        issued = popups.issue_popup(session, popup, now, events)
    # The popup read above is the next unconfirmed one: none means none is left.
    done = completion.finish(
        session,
        progress,
        lesson.duration_ms,
        lesson.course_id,
        result.verified_ms,
        now,
        events,
        popups_pending=popup is not None,
    )
    events.write()
    db.session.commit()
    return BeatReply(
        result.verified_ms,
        lesson.duration_ms,
        issued,
        done.lesson_complete,
        done.course_complete,
        done.awarded,
        result.reason,
    )


def confirm_popup(
    user: User, token: str, popup_token: str, answer: int | None = None
) -> tuple[bool, BeatReply]:
    """Confirm (or answer) a popup that was issued to this session; returns (accepted, reply)."""
    watching = _active(user, token, popup_token=popup_token)
    session, progress, popup = watching.session, watching.progress, watching.popup
    lesson = session.lesson
    now = clock.now()
    events = EventLog()
    if not popups.confirm(session, popup, answer, now, events):
        back_to = popups.answered_wrong(session, progress, popup, answer, events)
        events.write()
        db.session.commit()
        return False, BeatReply(back_to, lesson.duration_ms, None, False, False, [])
    done = completion.finish(
        session, progress, lesson.duration_ms, lesson.course_id, progress.verified_ms, now, events
    )
    events.write()
    db.session.commit()
    reply = BeatReply(
        progress.verified_ms,
        lesson.duration_ms,
        None,
        done.lesson_complete,
        done.course_complete,
        done.awarded,
        explanation=popup.explanation if popup.kind == "question" else "",
    )
    return True, reply
