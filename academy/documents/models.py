"""A course's PDF handouts; each row is also the record of the job that renders its pages."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy import clock
from academy.catalog.models import Course
from academy.db import CreatedAtMixin, Model

MAX_TITLE_CHARS = 120


class DocumentStatus(StrEnum):
    #: stored and checked, waiting for a worker to render its pages
    QUEUED = "queued"
    RENDERING = "rendering"
    #: every page is an image: shown on the course page
    DONE = "done"
    #: `error` says why; the instructor may retry
    FAILED = "failed"


#: every move a document's rendering may make; the state-machine tests walk this table
TRANSITIONS: dict[DocumentStatus, frozenset[DocumentStatus]] = {
    DocumentStatus.QUEUED: frozenset({DocumentStatus.RENDERING}),
    # back to QUEUED: the worker died mid-render and the recovery job queues it again
    DocumentStatus.RENDERING: frozenset(
        {DocumentStatus.DONE, DocumentStatus.FAILED, DocumentStatus.QUEUED}
    ),
    DocumentStatus.DONE: frozenset(),
    DocumentStatus.FAILED: frozenset({DocumentStatus.QUEUED}),
}


class CourseDocument(CreatedAtMixin, Model):
    """One PDF handout of a course, its rendered pages, and how many of them visitors read."""

    __tablename__ = "course_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    title: Mapped[str] = mapped_column(String(MAX_TITLE_CHARS))
    #: the uploaded file's name, offered again when an owner downloads it
    filename: Mapped[str] = mapped_column(String(255))
    #: relative to the media folder: original.pdf and pages/<n>.jpg live in it
    folder: Mapped[str] = mapped_column(String(120), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    #: pages anyone may read before buying; owners read all (catalog/access.py)
    free_pages: Mapped[int] = mapped_column(Integer, default=3)
    status: Mapped[str] = mapped_column(String(20), default=DocumentStatus.QUEUED)
    #: when the status last changed: a render stuck in one status this long is recovered
    status_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    error: Mapped[str] = mapped_column(Text, default="")
    #: renders started, retries included
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    course: Mapped[Course] = relationship()

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.DONE
