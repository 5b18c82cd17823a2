"""Enrolments, verified progress, watch sessions with their event log, popups, completions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy import clock
from academy.catalog.models import Course, Lesson
from academy.db import CreatedAtMixin, Model, unique_where


class Enrolment(CreatedAtMixin, Model):
    """A learner's right to watch a course."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    #: how it was obtained: 'free', 'purchase' or 'membership'
    source: Mapped[str] = mapped_column(String(20), default="free")
    #: the paid order that granted it (source 'purchase')
    order_id: Mapped[int | None] = mapped_column(Integer)
    #: the membership period it was claimed in (source 'membership'): whose quota it uses
    membership_id: Mapped[int | None] = mapped_column(Integer)
    #: set when access ends (the order was refunded); the row stays for the record
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    course: Mapped[Course] = relationship()


class PlayerSettings(Model):
    """The admin's player rules; one row (id 1). Sessions copy them when they start."""

    __tablename__ = "player_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: highest playback rate that earns progress, in hundredths (100 = 1.0x)
    max_rate_centi: Mapped[int] = mapped_column(Integer, default=100)
    #: popups per 50 minutes of video (NASBA CPE: at least 3 engagement checks per 50 minutes)
    popups_per_50min: Mapped[int] = mapped_column(Integer, default=3)
    min_popups_per_lesson: Mapped[int] = mapped_column(Integer, default=1)
    #: how often the player reports, in seconds
    heartbeat_seconds: Mapped[int] = mapped_column(Integer, default=5)
    #: slack for network jitter, in ms, added once to the largest step a beat may take
    tolerance_ms: Mapped[int] = mapped_column(Integer, default=2000)
    #: popups ask the lesson's published review questions instead of a plain "continue"
    knowledge_checks: Mapped[bool] = mapped_column(Boolean, default=False)
    #: a wrong answer sends verified progress back this far, to be watched again
    wrong_answer_rewind_seconds: Mapped[int] = mapped_column(Integer, default=30)


class LessonProgress(CreatedAtMixin, Model):
    """How far the server has verified that a learner watched a lesson."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"))
    #: furthest point verified as watched contiguously from the start, ms
    verified_ms: Mapped[int] = mapped_column(Integer, default=0)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)

    lesson: Mapped[Lesson] = relationship()


class WatchSession(CreatedAtMixin, Model):
    """One stretch of watching one lesson; an account has at most one active at a time."""

    __tablename__ = "watch_sessions"
    __table_args__ = (
        # The database, not the code, guarantees one active session per account.
        unique_where("uq_watch_sessions_active_user", "user_id", where="ended_at IS NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the opaque id clients use; unguessable so sessions cannot be probed
    token: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"))
    #: copied from PlayerSettings at start, so a change mid-session cannot be exploited
    max_rate_centi: Mapped[int] = mapped_column(Integer)
    tolerance_ms: Mapped[int] = mapped_column(Integer)
    heartbeat_seconds: Mapped[int] = mapped_column(Integer)
    #: highest seq accepted so far; a beat must carry a higher one
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    #: server time of the last accepted beat (or of the start)
    last_beat_at: Mapped[datetime] = mapped_column(DateTime)
    #: watch time earned but not yet spent on progress, ms (a token bucket, capped)
    allowance_ms: Mapped[int] = mapped_column(Integer, default=0)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: why it ended: 'replaced' (the account started another session)
    ended_reason: Mapped[str] = mapped_column(String(20), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")

    lesson: Mapped[Lesson] = relationship()


class Popup(CreatedAtMixin, Model):
    """A check drawn in secret for one learner and lesson; verified progress stops at it."""

    __tablename__ = "popups"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the opaque id clients use
    token: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"))
    #: where in the lesson, ms; never sent to the client before it is issued
    at_ms: Mapped[int] = mapped_column(Integer)
    #: 'confirm' (a plain continue) or 'question' (answer checked on the server)
    kind: Mapped[str] = mapped_column(String(20), default="confirm")
    prompt: Mapped[str] = mapped_column(Text, default="")
    choices: Mapped[list | None] = mapped_column(JSON)
    #: index into choices of the right answer, for 'question'; never sent to the client
    answer: Mapped[int | None] = mapped_column(Integer)
    #: why the right answer is right; shown only once it was given
    explanation: Mapped[str] = mapped_column(Text, default="")
    issued_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: the session it was last issued to; only that session may confirm it
    issued_session_id: Mapped[int | None] = mapped_column(ForeignKey("watch_sessions.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_popups_user_lesson", "user_id", "lesson_id"),)


class WatchEvent(Model):
    """Everything that happened in a session, refused requests too, for the admin's audit."""

    __tablename__ = "watch_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("watch_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"))
    at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    #: start, beat, popup_issued, popup_confirmed, popup_wrong, refused, lesson_complete, ...
    kind: Mapped[str] = mapped_column(String(30))
    seq: Mapped[int | None] = mapped_column(Integer)
    position_ms: Mapped[int | None] = mapped_column(Integer)
    verified_ms: Mapped[int | None] = mapped_column(Integer)
    rate_centi: Mapped[int | None] = mapped_column(Integer)
    hidden: Mapped[bool | None] = mapped_column(Boolean)
    #: why a beat earned less than claimed, or why a request was refused
    detail: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_watch_events_user_lesson", "user_id", "lesson_id"),)


class CourseCompletion(Model):
    """Written once per learner and course, when every lesson is complete."""

    __tablename__ = "course_completions"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    completed_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
