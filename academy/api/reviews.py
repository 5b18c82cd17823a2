"""/api/v1 reviews (评价): a course's reviews and rating, posting, deleting, reporting."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.api import bp, field, json_body
from academy.catalog import access
from academy.community import services as community
from academy.community.limits import review_posts
from academy.community.models import Review
from academy.errors import Refusal


def review_json(review: Review, viewer_id: int | None = None) -> dict:
    """A review as clients see it; the text as typed (clients escape it when they show it)."""
    return {
        "id": review.id,
        "user": review.user.display_name,
        "text": review.text,
        "rating": review.rating,
        "created_at": review.created_at.isoformat() + "Z",
        "mine": viewer_id is not None and review.user_id == viewer_id,
        #: only ever true for the author: hidden reviews are gone for everyone else
        "hidden": review.hidden,
    }


def _course(course_id: int):
    course = access.open_course(current_user, course_id)
    if course is None:
        raise Refusal("not_found", _("课程不存在。"), 404)
    return course


def _viewer_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


# One rule for both methods: with a rule each, an id beyond the database's range (which the
# id converter refuses) answered 405 from the other rule instead of 404.
@bp.route("/courses/<int:course_id>/reviews", methods=["GET", "POST"])
@review_posts
def course_reviews(course_id: int):
    course = _course(course_id)
    if request.method == "POST":
        return _post_review(course)
    found = community.review_page(current_user, course.id, request.args.get("page", 1, type=int))
    viewer_id = _viewer_id()
    return jsonify(
        {
            "reviews": [review_json(r, viewer_id) for r in found.reviews],
            "average": found.rating.average,
            "count": found.rating.count,
            "page": found.page,
            "pages": found.pages,
        }
    )


@login_required
def _post_review(course):
    data = json_body()
    text = field(data, "text", str)
    rating = field(data, "rating", int, required=False)
    review = community.post_review(current_user, course, text, rating)
    return jsonify({"review": review_json(review, current_user.id)}), 201


@bp.delete("/reviews/<int:review_id>")
@login_required
def delete_review(review_id: int):
    community.delete_review(current_user.id, review_id)
    return "", 204


@bp.post("/reviews/<int:review_id>/report")
@login_required
def report_review(review_id: int):
    """201 when the report is new, 200 when this user had reported the review already."""
    review, created = community.report_review(current_user.id, review_id)
    return jsonify({"review_id": review.id, "reported": True, "created": created}), (
        201 if created else 200
    )
