"""Reviews of courses and the reports that send them to moderation."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.catalog.models import Course
from academy.db import CreatedAtMixin, Model

#: the longest review, in characters (code points: an emoji is one), as the course page says
MAX_REVIEW_CHARS = 150


class ReviewStatus(StrEnum):
    VISIBLE = "visible"
    #: hidden by an admin: gone for everyone but its author, who sees a note
    HIDDEN = "hidden"


#: the moves an admin may make; anything else is refused
TRANSITIONS: dict[ReviewStatus, frozenset[ReviewStatus]] = {
    ReviewStatus.VISIBLE: frozenset({ReviewStatus.HIDDEN}),
    ReviewStatus.HIDDEN: frozenset({ReviewStatus.VISIBLE}),
}


class Review(CreatedAtMixin, Model):
    """A learner's comment on a course they are enrolled in, with an optional 1-5 rating."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        Index("ix_reviews_course_id_created_at", "course_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: as typed, trimmed; shown escaped everywhere
    text: Mapped[str] = mapped_column(String(MAX_REVIEW_CHARS))
    #: stars, 1-5; None when the learner only commented
    rating: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default=ReviewStatus.VISIBLE)
    #: when and by which admin the status last changed
    moderated_at: Mapped[datetime | None] = mapped_column(DateTime)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()

    @property
    def hidden(self) -> bool:
        return self.status == ReviewStatus.HIDDEN


class ReviewReport(CreatedAtMixin, Model):
    """One user's report of a review: once per user and review, enforced by the database."""

    __tablename__ = "review_reports"
    __table_args__ = (UniqueConstraint("review_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
