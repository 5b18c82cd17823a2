"""A lesson's transcript and what is derived from it, and the jobs that make them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from academy.db import CreatedAtMixin, Model, unique_where

#: a job in these states will still write the lesson's transcript or derivations
ACTIVE = ("queued", "running")


class LessonInsight(CreatedAtMixin, Model):
    """The working copy the instructor edits, and the copy learners see once published."""

    __tablename__ = "lesson_insights"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), unique=True)
    #: [{"start", "end", "text"}], seconds
    segments: Mapped[list] = mapped_column(JSON, default=list)
    #: [[start, end]], seconds: where the voice detector heard speech when Whisper transcribed
    #: (speech no line covers was dropped; confidence.missed_speech); None: not recorded
    speech: Mapped[list | None] = mapped_column(JSON)
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    #: [{"start", "title", "summary", "points"}]
    chapters: Mapped[list] = mapped_column(JSON, default=list)
    #: [{"kind", "prompt", "choices", "answer", "explanation"}]
    questions: Mapped[list] = mapped_column(JSON, default=list)
    #: {"title", "children": [...]}
    mind_map: Mapped[dict] = mapped_column(JSON, default=dict)
    #: when the transcript was last edited by hand, and when derivations were last made from it
    transcript_edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    derived_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: the transcript was edited after keywords, summary etc. were derived from it
    derivations_stale: Mapped[bool] = mapped_column(Boolean, default=False)
    #: what learners see: a snapshot of the fields above, taken when the instructor publishes
    published: Mapped[dict | None] = mapped_column(JSON)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)


class ProcessingJob(CreatedAtMixin, Model):
    """One run of the lecture pipeline for a lesson, with its progress, as a row."""

    __tablename__ = "processing_jobs"
    __table_args__ = (
        # At most one queued or running job per lesson, whoever clicks twice.
        unique_where(
            "uq_processing_jobs_active_lesson", "lesson_id", where="status IN ('queued', 'running')"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    #: 'full' (transcribe, then derive) or 'derive' (from the current transcript)
    kind: Mapped[str] = mapped_column(String(20), default="full")
    #: queued, running, done, failed
    status: Mapped[str] = mapped_column(String(20), default="queued")
    #: 0-100
    progress: Mapped[int] = mapped_column(Integer, default=0)
    #: what it is doing now, a key such as 'transcribing' (translated on display)
    stage: Mapped[str] = mapped_column(String(40), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: publish the result for learners when the run succeeds (demo content; no human review)
    publish_on_success: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: refreshed while running; a running job whose heartbeat is old lost its worker
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
