"""Who sees what of a course: the one rule for media, AI material, review answers, documents.

Those who may watch (enrolled learners, the course's instructor, admins) see everything a
lesson has published, and keep seeing the course when it is taken back to draft: its learners
keep what they enrolled in (bought, claimed), only new learners are turned away. Everyone else
sees what the instructor chose for visitors: everything (as the reference site shows full
transcripts to search engines) or an outline of key phrases, summary and chapter titles, which
is the default for paid courses. Review answers are never part of what a visitor sees; media
only streams to those who may watch. Of a course's PDF documents a visitor reads the free pages
the instructor chose; those who may watch read all.
"""

from __future__ import annotations

from academy.catalog import services as catalog
from academy.catalog.models import Course, Lesson
from academy.documents.rules import readable_pages
from academy.insights import services as insights
from academy.learning import services as learning

FULL = "full"
OUTLINE = "outline"


def may_watch(user, course: Course) -> bool:
    """Whether this user may play the course's lessons (and so see all of its material)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == "admin":
        return True
    if course.instructor is not None and course.instructor.user_id == user.id:
        return True
    return learning.find_enrolment(user.id, course.id) is not None


def open_course(user, course_id: int) -> Course | None:
    """The course for this user: a published one, or a draft this user may watch (a course
    taken back to draft stays open to its learners, its instructor and admins); None: not
    found, for them."""
    course = catalog.get_course(course_id)
    if course is None or not (course.is_published or may_watch(user, course)):
        return None
    return course


def open_lesson(user, lesson_id: int) -> Lesson | None:
    """A lesson of a course open to this user (open_course), else None."""
    lesson = catalog.get_lesson(lesson_id)
    if lesson is None or not (lesson.course.is_published or may_watch(user, lesson.course)):
        return None
    return lesson


def watchable(user, courses) -> set[int]:
    """The ids of these courses this user may watch (may_watch of each), in at most one query
    whatever their number (a page of search results). Load their instructors with them."""
    courses = list(courses)
    if not getattr(user, "is_authenticated", False) or not courses:
        return set()
    if user.role == "admin":
        return {course.id for course in courses}
    own = {
        course.id
        for course in courses
        if course.instructor is not None and course.instructor.user_id == user.id
    }
    others = [course.id for course in courses if course.id not in own]
    return own | learning.enrolled_course_ids(user.id, others)


def document_pages(user, course: Course, page_count: int, free_pages: int) -> int:
    """How many pages of a course document (from the first) this user may read."""
    return readable_pages(page_count, free_pages, owner=may_watch(user, course))


def visitor_level(course: Course) -> str:
    """What a visitor sees: the instructor's choice, else everything only for free courses."""
    return course.visitor_insights or (FULL if course.is_free else OUTLINE)


def outline_of(view: dict) -> dict:
    """Key phrases, summary and chapter titles (with their start times) only."""
    return {
        "keywords": view.get("keywords") or [],
        "summary": view.get("summary") or "",
        "chapters": [
            {"start": c["start"], "title": c["title"], "summary": "", "points": []}
            for c in view.get("chapters") or []
        ],
        "segments": [],
        "questions": [],
        "mind_map": None,
    }


def sees_everything(user, course: Course, watchable_ids: set[int] | None = None) -> bool:
    """Whether this user sees all of the course's published AI material, not an outline;
    `watchable_ids`, what watchable() gave for a batch of courses, saves a query per course."""
    allowed = may_watch(user, course) if watchable_ids is None else course.id in watchable_ids
    return allowed or visitor_level(course) == FULL


def lesson_view(user, lesson) -> tuple[dict | None, bool]:
    """One lesson's published material as this user may see it, and whether it is all of it."""
    view = insights.published_view(lesson.id)
    if view is None:
        return None, False
    complete = sees_everything(user, lesson.course)
    return (view if complete else outline_of(view)), complete


def lesson_views(user, course: Course) -> tuple[dict[int, dict], bool]:
    """Each lesson's published AI material as this user may see it, and whether it is all."""
    complete = sees_everything(user, course)
    views = insights.published_views([lesson.id for lesson in course.lessons])
    if not complete:
        views = {lesson_id: outline_of(view) for lesson_id, view in views.items()}
    return views, complete
