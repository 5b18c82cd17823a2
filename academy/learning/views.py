"""The player page, enrolment from the course page, and the learner's courses."""

from __future__ import annotations

import math

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.catalog import access
from academy.catalog import services as catalog
from academy.errors import Refusal
from academy.insights import services as insights
from academy.learning import services as learning

bp = Blueprint("learning", __name__, template_folder="templates")


@bp.post("/courses/<int:course_id>/enrol")
@login_required
def enrol(course_id: int):
    course = catalog.get_published_course(course_id) or abort(404)
    try:
        created = learning.enrol_free(current_user, course)[1]
    except Refusal as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("catalog.course", course_id=course.id))
    if created:
        flash(_("报名成功，可以开始学习了。"), "success")
    first = next((lesson for lesson in course.lessons if lesson.media_path), None)
    if first is None:
        return redirect(url_for("catalog.course", course_id=course.id))
    return redirect(url_for("learning.watch", lesson_id=first.id))


def _start_at(seconds: float | None) -> float | None:
    """Where a link asks the player to start (a search hit's second); NaN, infinities and
    negatives are no place in a video and are ignored (the server still only verifies what
    was watched)."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


@bp.get("/learn/lessons/<int:lesson_id>")
@login_required
def watch(lesson_id: int):
    lesson = access.open_lesson(current_user, lesson_id) or abort(404)
    if learning.find_enrolment(current_user.id, lesson.course_id) is None:
        flash(learning.not_enrolled(lesson.course).message, "error")
        return redirect(url_for("catalog.course", course_id=lesson.course_id))
    if not lesson.media_path:
        flash(_("该课时的视频还没有上传，暂时不能学习。"), "error")
        return redirect(url_for("catalog.course", course_id=lesson.course_id))
    course = lesson.course
    progress = learning.progress_by_lesson(current_user.id, [lsn.id for lsn in course.lessons])
    index = course.lessons.index(lesson)
    following = next((lsn for lsn in course.lessons[index + 1 :] if lsn.media_path), None)
    published = insights.published_view(lesson.id)
    return render_template(
        "learning/watch.html",
        lesson=lesson,
        course=course,
        progress=progress,
        next_lesson=following,
        segments=(published or {}).get("segments") or [],
        start_at=_start_at(request.args.get("t", type=float)),
    )


@bp.get("/me/learning")
@login_required
def my_learning():
    enrolments = learning.list_enrolments(current_user.id, with_courses=True)
    lesson_ids = [lesson.id for e in enrolments for lesson in e.course.lessons]
    completions = learning.completions_by_course(current_user.id, [e.course_id for e in enrolments])
    return render_template(
        "learning/my_learning.html",
        enrolments=enrolments,
        progress=learning.progress_by_lesson(current_user.id, lesson_ids),
        completions={e.course_id: completions.get(e.course_id) for e in enrolments},
    )
