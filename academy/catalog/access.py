"""Who sees what of a course: the one rule for media, AI material and review answers.

Those who may watch (enrolled learners, the course's instructor, admins) see everything a
lesson has published. Everyone else sees what the instructor chose for visitors: everything
(as the reference site shows full transcripts to search engines) or an outline of key phrases,
summary and chapter titles, which is the default for paid courses. Review answers are never
part of what a visitor sees; media only streams to those who may watch.
"""

from __future__ import annotations

from academy.catalog.models import Course
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


def sees_everything(user, course: Course) -> bool:
    """Whether this user sees all of the course's published AI material, not an outline."""
    return may_watch(user, course) or visitor_level(course) == FULL


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
    views = {}
    for lesson in course.lessons:
        view = insights.published_view(lesson.id)
        if view is not None:
            views[lesson.id] = view if complete else outline_of(view)
    return views, complete
