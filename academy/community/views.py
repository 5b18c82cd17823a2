"""Reviews on the course page (post, delete, report) and their moderation at /admin/comments."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.auth.decorators import admin_required
from academy.catalog import access
from academy.community import services as community
from academy.community.limits import review_posts
from academy.errors import Refusal, keep_refused_form

bp = Blueprint("community", __name__, template_folder="templates")


def _back_to_reviews(course_id: int):
    return redirect(url_for("catalog.course", course_id=course_id, _anchor="comments"))


@bp.post("/courses/<int:course_id>/reviews")
@login_required
@review_posts
def post_review(course_id: int):
    course = access.open_course(current_user, course_id) or abort(404)
    try:
        community.post_review(
            current_user, course, request.form.get("text", ""), request.form.get("rating")
        )
    except Refusal as refusal:
        values = {"text": request.form.get("text", ""), "rating": request.form.get("rating", "")}
        keep_refused_form("review", refusal, values, field="review-text")
    else:
        flash(_("评价已发布。"), "success")
    return _back_to_reviews(course.id)


@bp.post("/reviews/<int:review_id>/delete")
@login_required
def delete_review(review_id: int):
    try:
        course_id = community.delete_review(current_user.id, review_id)
    except Refusal:
        abort(404)
    flash(_("评价已删除。"), "success")
    return _back_to_reviews(course_id)


@bp.post("/reviews/<int:review_id>/report")
@login_required
def report_review(review_id: int):
    try:
        review, created = community.report_review(current_user.id, review_id)
    except Refusal as refusal:
        if refusal.status == 404:
            abort(404)
        flash(refusal.message, "error")  # one's own review: back beside it
        return _back_to_reviews(community.find_review(review_id, current_user.id).course_id)
    flash(_("已举报，管理员会尽快处理。") if created else _("您已举报过这条评价。"), "success")
    return _back_to_reviews(review.course_id)


@bp.get("/admin/comments")
@admin_required
def moderate_reviews():
    everything = request.args.get("show") == "all"
    rows, page, pages = community.reported_reviews(
        request.args.get("page", 1, type=int), everything=everything
    )
    return render_template(
        "community/moderate.html", rows=rows, page=page, pages=pages, everything=everything
    )


def _moderate(move, review_id: int):
    try:
        review = move(current_user.id, review_id)
    except Refusal as refusal:
        if refusal.status == 404:
            abort(404)
        flash(refusal.message, "error")
    else:
        flash(_("评价已隐藏。") if review.hidden else _("评价已恢复显示。"), "success")
    show = "all" if request.form.get("show") == "all" else None
    page = request.form.get("page", type=int)
    return redirect(url_for("community.moderate_reviews", page=page, show=show))


@bp.post("/admin/comments/<int:review_id>/hide")
@admin_required
def hide_review(review_id: int):
    return _moderate(community.hide_review, review_id)


@bp.post("/admin/comments/<int:review_id>/restore")
@admin_required
def restore_review(review_id: int):
    return _moderate(community.restore_review, review_id)
