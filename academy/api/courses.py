"""/api/v1/courses: the catalog and enrolment."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.api import bp
from academy.catalog import services as catalog
from academy.catalog.models import Course
from academy.credits import services as credits
from academy.errors import Refusal
from academy.learning import services as learning


def course_json(course: Course) -> dict:
    return {
        "id": course.id,
        "title": course.title,
        "category": course.category.slug,
        "price": catalog.format_price(course.price_fen),
        "price_fen": course.price_fen,
        "published_on": course.published_on.isoformat(),
        "hours": [
            {
                "credit_type": rule.credit_type.code,
                "name": rule.credit_type.name,
                "hours": credits.centihours_to_hours(rule.centihours),
            }
            for rule in credits.course_credits(course.id)
        ],
        "lessons": [
            {"id": lesson.id, "title": lesson.title, "duration": lesson.duration_ms / 1000}
            for lesson in course.lessons
        ],
    }


@bp.get("/courses")
def list_courses():
    return jsonify({"courses": [course_json(c) for c in catalog.list_published_courses()]})


@bp.get("/courses/<int:course_id>")
def get_course(course_id: int):
    course = catalog.get_published_course(course_id)
    if course is None:
        raise Refusal("not_found", _("课程不存在。"), 404)
    return jsonify({"course": course_json(course)})


@bp.post("/courses/<int:course_id>/enroll")
@login_required
def enroll(course_id: int):
    course = catalog.get_published_course(course_id)
    if course is None:
        raise Refusal("not_found", _("课程不存在。"), 404)
    enrolment, created = learning.enrol_free(current_user, course)
    body = {"enrollment": {"course_id": course.id, "source": enrolment.source}, "created": created}
    return jsonify(body), 201 if created else 200
