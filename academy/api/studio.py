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
    labels = {
        "queued": _("排队中"),
        "probing": _("检查文件"),
        "preparing_model": _("准备语音模型"),
        "transcribing": _("语音转写"),
        "keywords": _("提取关键词"),
        "summary": _("生成摘要"),
        "chapters": _("划分章节"),
        "questions": _("生成要点回顾"),
        "mind_map": _("生成思维导图"),
        "done": _("已完成"),
    }
    return labels.get(stage, stage)


def job_json(job: ProcessingJob | None) -> dict | None:
    if job is None:
        return None
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "stage": job.stage,
        "stage_label": stage_label(job.stage),
        "error": job.error,
        "attempts": job.attempts,
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
