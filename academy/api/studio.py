"""/api/v1 for the studio: resumable uploads and the pipeline job of a lesson."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.api import bp, field, json_body
from academy.catalog.models import Lesson
from academy.errors import Refusal
from academy.extensions import db
from academy.insights import services as insights
from academy.insights.models import ProcessingJob
from academy.studio import services as studio
from academy.studio.models import Upload


def _editable_lesson(lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        raise Refusal("not_found", _("课时不存在。"), 404)
    if not studio.may_edit(current_user, lesson.course):
        raise Refusal("forbidden", _("您不能编辑这门课程。"), 403)
    return lesson


def stage_label(stage: str) -> str:
    labels = {"queued": _("排队中"), "done": _("已完成")}
    labels.update({step.name: str(step.label) for step in insights.STEPS})
    return labels.get(stage, stage)


def job_json(job: ProcessingJob | None) -> dict | None:
    if job is None:
        return None
    lesson = db.session.get(Lesson, job.lesson_id)
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "stage": job.stage,
        "stage_label": stage_label(job.stage),
        "error": job.error,
        "attempts": job.attempts,
        **insights.job_timing(job, (lesson.duration_ms or 0) / 1000),
    }


def review_json(review: insights.Review) -> dict:
    """How far a transcript can be trusted (the low-confidence rule, confidence.py)."""
    return {
        "speech_seconds": review.speech_seconds,
        "low_confidence_seconds": review.low_seconds,
        "low_confidence_share": round(review.low_share, 3),
        "low_confidence_lines": review.low_lines,
        "language": review.language,
        "language_probability": review.language_probability,
        "held": review.held,
        "held_because": review.held_because,
        "missed_speech": [{"start": start, "end": end} for start, end in review.missed],
        "missed_speech_seconds": review.missed_seconds,
    }


def upload_json(upload: Upload) -> dict:
    return {
        "upload": upload.token,
        "size": upload.size,
        "received": upload.received,
        "status": upload.status,
        "chunk_size": current_app.config["UPLOAD_CHUNK_BYTES"],
    }


@bp.post("/lessons/<int:lesson_id>/uploads")
@login_required
def begin_upload(lesson_id: int):
    lesson = _editable_lesson(lesson_id)
    data = json_body()
    upload = studio.begin_upload(
        current_user, lesson, field(data, "filename", str), field(data, "size", int)
    )
    return jsonify(upload_json(upload)), 201


@bp.get("/uploads/<token>")
@login_required
def upload_status(token: str):
    return jsonify(upload_json(studio.find_upload(current_user, token)))


@bp.put("/uploads/<token>")
@login_required
def upload_chunk(token: str):
    upload = studio.find_upload(current_user, token)
    offset = request.args.get("offset", type=int)
    if offset is None or offset < 0:
        raise Refusal("invalid_offset", _("缺少或无效的续传位置 offset。"), 422)
    upload = studio.receive_chunk(upload, offset, request.get_data(cache=False))
    body = upload_json(upload)
    if upload.status == "complete":
        body["job"] = job_json(insights.latest_job(upload.lesson_id))
    return jsonify(body)


@bp.get("/lessons/<int:lesson_id>/job")
@login_required
def lesson_job(lesson_id: int):
    lesson = _editable_lesson(lesson_id)
    return jsonify({"job": job_json(insights.latest_job(lesson.id))})


@bp.post("/lessons/<int:lesson_id>/job/retry")
@login_required
def retry_lesson_job(lesson_id: int):
    lesson = _editable_lesson(lesson_id)
    return jsonify({"job": job_json(insights.retry_job(lesson))}), 201


@bp.post("/lessons/<int:lesson_id>/publish")
@login_required
def publish_lesson_insights(lesson_id: int):
    lesson = _editable_lesson(lesson_id)
    data = json_body() if request.get_data() else {}
    insight = insights.publish(
        lesson,
        confirm_low_confidence=field(data, "confirm_low_confidence", bool, required=False) or False,
        confirm_stale=field(data, "confirm_stale", bool, required=False) or False,
    )
    return jsonify(
        {
            "published_at": insight.published_at.isoformat(),
            "review": review_json(insights.review_of(insight)),
        }
    )
