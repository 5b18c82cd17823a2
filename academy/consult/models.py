"""Consultation threads (one learner, one course) and their messages."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy import clock
from academy.auth.models import User
from academy.catalog.models import Course
from academy.db import CreatedAtMixin, Model

#: the longest question or reply, in characters (code points: an emoji is one)
MAX_MESSAGE_CHARS = 500


class ThreadStatus(StrEnum):
    OPEN = "open"
    #: closed by the learner or staff: it takes no more replies
    CLOSED = "closed"


#: the moves a thread may make; anything else is refused
TRANSITIONS: dict[ThreadStatus, frozenset[ThreadStatus]] = {
    ThreadStatus.OPEN: frozenset({ThreadStatus.CLOSED}),
    ThreadStatus.CLOSED: frozenset(),
}


class Side(StrEnum):
    """Who wrote a message: the learner who asked, or staff (the instructor or an admin)."""

    LEARNER = "learner"
    STAFF = "staff"


class Thread(CreatedAtMixin, Model):
    """One question of a learner about a course, and the conversation that follows."""

    __tablename__ = "consult_threads"
    __table_args__ = (Index("ix_consult_threads_course_id_status", "course_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ThreadStatus.OPEN)
    #: the time of the latest message: lists show the most recently active first
    last_message_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    #: the id of the last message the learner has read (0: none); staff messages above it are
    #: the learner's unread ones
    learner_read_id: Mapped[int] = mapped_column(Integer, default=0)
    #: the same for staff: learner messages above it are unanswered news to the instructor
    staff_read_id: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    course: Mapped[Course] = relationship()
    messages: Mapped[list[Message]] = relationship(
        order_by="Message.id", back_populates="thread", cascade="all, delete-orphan"
    )

    @property
    def closed(self) -> bool:
        return self.status == ThreadStatus.CLOSED

    def unread_for(self, side: Side) -> int:
        """Messages of the other side this side has not read (messages must be loaded)."""
        read = self.learner_read_id if side == Side.LEARNER else self.staff_read_id
        return sum(1 for m in self.messages if m.side != side and m.id > read)


class Message(CreatedAtMixin, Model):
    """One message of a thread, stored as typed (trimmed) and shown escaped."""

    __tablename__ = "consult_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("consult_threads.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    side: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(String(MAX_MESSAGE_CHARS))

    thread: Mapped[Thread] = relationship(back_populates="messages")
    author: Mapped[User] = relationship()
