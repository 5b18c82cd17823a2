"""Reading verified progress: how far the server has verified each learner on each lesson."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from academy.catalog.models import Lesson
from academy.extensions import db
from academy.learning.models import LessonProgress


def find_progress(user_id: int, lesson_id: int) -> LessonProgress | None:
    """The learner's progress on one lesson; None before the first start."""
    return db.session.scalar(
        select(LessonProgress).where(
            LessonProgress.user_id == user_id, LessonProgress.lesson_id == lesson_id
        )
    )


def learners_started(lesson_id: int) -> int:
    """How many learners have started the lesson (their popups are drawn, their progress kept)."""
    return db.session.scalar(
        select(func.count(LessonProgress.id)).where(LessonProgress.lesson_id == lesson_id)
    )


def progress_by_lesson(
    user_id: int, lesson_ids: list[int] | None = None, *, with_lessons: bool = False
) -> dict[int, LessonProgress]:
    """The learner's progress rows keyed by lesson id; `with_lessons` loads each row's lesson
    and its course too (in two more queries, whatever the number of rows)."""
    query = select(LessonProgress).where(LessonProgress.user_id == user_id)
    if lesson_ids is not None:
        query = query.where(LessonProgress.lesson_id.in_(lesson_ids))
    if with_lessons:
        query = query.options(selectinload(LessonProgress.lesson).joinedload(Lesson.course))
    return {p.lesson_id: p for p in db.session.scalars(query)}
