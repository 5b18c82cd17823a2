"""/api/v1/courses: the catalog, enrolment in free courses, claiming with a membership."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.api import bp
from academy.catalog import access
from academy.catalog import services as catalog
from academy.catalog.models import Course
from academy.commerce import claims, offers
from academy.commerce.limits import commerce_writes
from academy.credits import services as credits
from academy.errors import Refusal
from academy.learning import services as learning


def course_json(course: Course, state: str | None = None, hours: list | None = None) -> dict:
    """A course; `state` (none, in_cart, pending_order, purchased, claimed, free) when the
    caller is logged in; `hours`, its CourseCredit rows when the caller read them already."""
    if hours is None:
        hours = credits.course_credits(course.id)
    body = {
        "id": course.id,
        "title": course.title,
        "category": course.category.slug,
        "price": catalog.format_price(course.price_fen),
        "price_fen": course.price_fen,
        "member_claimable": course.member_claimable,
        "member_recommended": course.member_recommended,
        # None: taken back to draft (open to its learners, instructor and admins only)
        "published_on": course.published_on.isoformat() if course.published_on else None,
        "hours": [
            {
                "credit_type": rule.credit_type.code,
                "name": rule.credit_type.name,
                "hours": credits.centihours_to_hours(rule.centihours),
            }
            for rule in hours
        ],
        "lessons": [
            {"id": lesson.id, "title": lesson.title, "duration": lesson.duration_ms / 1000}
            for lesson in course.lessons
        ],
    }
    if state is not None:
        body["state"] = str(state)
    return body


def _states(courses: list[Course]) -> dict:
    if not current_user.is_authenticated:
        return {}
    return offers.course_states(current_user.id, courses)


@bp.get("/courses")
def list_courses():
    courses = catalog.list_published_courses()
    states = _states(courses)
    hours = credits.credits_by_course([c.id for c in courses])  # one query for all of them
    return jsonify(
        {"courses": [course_json(c, states.get(c.id), hours.get(c.id, [])) for c in courses]}
    )


@bp.get("/courses/<int:course_id>")
def get_course(course_id: int):
    course = access.open_course(current_user, course_id)
    if course is None:
        raise Refusal("not_found", _("课程不存在。"), 404)
    return jsonify({"course": course_json(course, _states([course]).get(course.id))})


@bp.post("/courses/<int:course_id>/enroll")
@login_required
def enroll(course_id: int):
    course = catalog.get_published_course(course_id)
    if course is None:
        raise Refusal("not_found", _("课程不存在。"), 404)
    enrolment, created = learning.enrol_free(current_user, course)
    body = {"enrollment": {"course_id": course.id, "source": enrolment.source}, "created": created}
    return jsonify(body), 201 if created else 200


@bp.post("/courses/<int:course_id>/claim")
@commerce_writes
@login_required
def claim(course_id: int):
    """A member claims a member-claimable course: 201, or 403 membership_required."""
    membership_id = claims.claim_course(current_user.id, course_id)
    body = {"course_id": course_id, "source": "membership", "membership_id": membership_id}
    return jsonify({"enrollment": body}), 201
