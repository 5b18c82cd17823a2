"""Reading the catalog: published courses, categories, lessons."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from academy.catalog.models import Category, Course, Lesson
from academy.extensions import db


def list_categories() -> list[Category]:
    """All categories in display order."""
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.id)))


def list_published_courses(category: Category | None = None) -> list[Course]:
    """Published courses, newest first, with their lessons loaded."""
    query = (
        select(Course)
        .where(Course.published_on.is_not(None))
        .options(selectinload(Course.lessons), selectinload(Course.category))
        .order_by(Course.published_on.desc(), Course.id)
    )
    if category is not None:
        query = query.where(Course.category_id == category.id)
    return list(db.session.scalars(query))


def get_category(slug: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.slug == slug))


def get_published_course(course_id: int) -> Course | None:
    """A course if it exists and is published; drafts are not shown to learners."""
    course = db.session.get(Course, course_id)
    return course if course is not None and course.is_published else None


def get_published_lesson(lesson_id: int) -> Lesson | None:
    """A lesson of a published course."""
    lesson = db.session.get(Lesson, lesson_id)
    return lesson if lesson is not None and lesson.course.is_published else None


def format_price(price_fen: int) -> str:
    """Fen as a yuan amount with two decimals, e.g. 9900 -> '99.00'."""
    return f"{price_fen // 100}.{price_fen % 100:02d}"
