"""Categories, courses and their lessons."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import InstructorProfile
from academy.db import CreatedAtMixin, Model


class Category(Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)

    courses: Mapped[list[Course]] = relationship(back_populates="category")


class Course(CreatedAtMixin, Model):
    """A course as sold and shown on its page."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    subtitle: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    instructor_id: Mapped[int | None] = mapped_column(ForeignKey("instructor_profiles.id"))
    #: in fen (1/100 yuan); 0 means free
    price_fen: Mapped[int] = mapped_column(Integer, default=0)
    #: may be claimed free with a VIP membership (when membership exists)
    member_claimable: Mapped[bool] = mapped_column(Boolean, default=False)
    #: member-recommended: hours earned through membership do not use the member quota
    member_recommended: Mapped[bool] = mapped_column(Boolean, default=False)
    #: cover image, relative to the media folder
    cover_path: Mapped[str] = mapped_column(String(255), default="")
    #: None while a draft; the course page shows this date
    published_on: Mapped[date | None] = mapped_column(Date)
    #: instructor-entered terms, one per line: Whisper hot words and a jieba user dictionary
    glossary: Mapped[str] = mapped_column(Text, default="")
    #: characters of transcripts: 'simplified' or 'traditional'
    transcript_script: Mapped[str] = mapped_column(String(20), default="simplified")
    #: what a visitor who may not watch sees of the AI material: 'full' or 'outline'
    #: (key phrases, summary, chapter titles); None follows the price (catalog/access.py)
    visitor_insights: Mapped[str | None] = mapped_column(String(10))

    category: Mapped[Category] = relationship(back_populates="courses")
    instructor: Mapped[InstructorProfile | None] = relationship()
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course", order_by="Lesson.position"
    )

    @property
    def is_free(self) -> bool:
        return self.price_fen == 0

    @property
    def is_published(self) -> bool:
        return self.published_on is not None

    @property
    def duration_ms(self) -> int:
        return sum(lesson.duration_ms for lesson in self.lessons)


class Lesson(Model):
    """One lecture video of a course."""

    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("course_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(120))
    #: measured from the media file, in milliseconds; the player's rules depend on it
    duration_ms: Mapped[int] = mapped_column(Integer)
    #: relative to the media folder
    media_path: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(60), default="video/mp4")
    #: True when the media has a picture; audio-only lectures (m4a, mp3) are played without one
    has_video: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)

    course: Mapped[Course] = relationship(back_populates="lessons")
