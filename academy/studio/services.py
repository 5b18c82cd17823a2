"""Uploads that arrive in chunks and become a lesson's media only when whole and decodable.

The bytes go to a part file in the instance's uploads/ folder; the lesson is touched only after
the whole file probed as media with sound, so a refused or abandoned upload stores nothing.
"""

from __future__ import annotations

import fcntl
import os
import secrets
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from academy import disk
from academy.auth.models import User
from academy.catalog import services as catalog
from academy.catalog.models import Course, Lesson
from academy.errors import Refusal
from academy.extensions import db
from academy.insights import bounds
from academy.insights import services as insights
from academy.learning import services as learning
from academy.studio.models import Upload
from academy.templating import join_list


def may_edit(user: User, course: Course) -> bool:
    """Admins edit every course; an instructor edits the courses that carry their profile."""
    if not user.is_authenticated:
        return False
    if user.role == "admin":
        return True
    profile = user.instructor_profile
    return user.role == "instructor" and profile is not None and course.instructor_id == profile.id


def add_lesson(course: Course, title: str) -> Lesson:
    """Append a lesson to a course, up to the most lessons a course may have."""
    bounds.check_lesson_count(len(course.lessons))
    _check_lesson_title(title)
    return catalog.add_lesson(course, title)


def _check_lesson_title(title: str) -> None:
    if len((title or "").strip()) > bounds.MAX_LESSON_TITLE_CHARS:
        raise Refusal(
            "title_too_long",
            _("课时名称最多 %(max)d 个字。", max=bounds.MAX_LESSON_TITLE_CHARS),
            422,
        )


def rename_lesson(lesson: Lesson, title: str) -> Lesson:
    _check_lesson_title(title)
    return catalog.rename_lesson(lesson, title)


def delete_lesson(lesson: Lesson) -> Course:
    """Remove a lesson announced before its video (added by mistake, or dropped): it would keep
    the course from ever being complete. Only one without media that no learner has started;
    uploads begun for it go too. Learners who have now watched every lesson left complete the
    course and get its hours."""
    if lesson.media_path:
        raise Refusal("has_media", _("已上传视频的课时不能删除；如需更换，请上传新文件替换。"), 409)
    if learning.learners_started(lesson.id):
        raise Refusal("lesson_started", _("已有学员开始学习该课时，不能删除。"), 409)
    for upload in db.session.scalars(select(Upload).where(Upload.lesson_id == lesson.id)):
        part = _part_path(upload)
        part.unlink(missing_ok=True)
        part.with_suffix(".lock").unlink(missing_ok=True)
        db.session.delete(upload)
    course = catalog.remove_lesson(lesson)
    learning.complete_where_finished(course.id)
    return course


def _part_path(upload: Upload) -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "uploads" / f"{upload.token}.part"


def _format_size(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def begin_upload(user: User, lesson: Lesson, filename: str, size: int) -> Upload:
    """Open an upload after checking the type and the declared size."""
    suffix = PurePosixPath(filename or "").suffix.lower()
    if suffix not in catalog.MEDIA_TYPES:
        allowed = join_list(sorted(s.lstrip(".") for s in catalog.MEDIA_TYPES))
        raise Refusal(
            "unsupported_type", _("不支持的文件类型，请上传：%(allowed)s", allowed=allowed), 422
        )
    job = insights.latest_job(lesson.id)
    if job is not None and job.status in insights.ACTIVE:
        raise Refusal("job_running", _("该课时正在处理中，请等处理完成后再上传新文件。"), 409)
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    if size <= 0:
        raise Refusal("empty_file", _("文件是空的。"), 422)
    if size > limit:
        raise Refusal(
            "too_large", _("文件过大：上限为 %(limit)s。", limit=_format_size(limit)), 413
        )
    upload = Upload(
        token=secrets.token_urlsafe(18),
        user_id=user.id,
        lesson_id=lesson.id,
        filename=filename[-255:],
        size=size,
        received=0,
        status="receiving",
    )
    db.session.add(upload)
    db.session.commit()
    part = _part_path(upload)
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
        part.touch()
    except OSError as error:
        _refuse_if_full(upload, error)
        raise
    return upload


def find_upload(user: User, token: str) -> Upload:
    upload = db.session.scalar(select(Upload).where(Upload.token == token))
    if upload is None:
        raise Refusal("upload_not_found", _("上传不存在或已过期。"), 404)
    if upload.user_id != user.id:
        raise Refusal("not_your_upload", _("这不是您的上传。"), 403)
    return upload


@contextmanager
def _locked(path: Path):
    """One writer per upload at a time, across processes."""
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def receive_chunk(upload: Upload, offset: int, data: bytes) -> Upload:
    """Append one chunk at `offset`, which must be where the upload stands (resume from there)."""
    if upload.status != "receiving":
        raise Refusal("upload_closed", _("该上传已结束。"), 409)
    try:
        _write_chunk(upload, offset, data)
    except OSError as error:
        _refuse_if_full(upload, error)
        raise
    db.session.refresh(upload)
    if upload.received == upload.size:
        _finish(upload)
    return upload


def _write_chunk(upload: Upload, offset: int, data: bytes) -> None:
    part = _part_path(upload)
    with _locked(part):
        db.session.refresh(upload)
        if offset != upload.received:
            raise Refusal(
                "offset_mismatch",
                _("续传位置不对：服务器已收到 %(n)d 字节。", n=upload.received),
                409,
            )
        if upload.received + len(data) > upload.size:
            raise Refusal("too_much_data", _("收到的数据超过了声明的文件大小。"), 422)
        with open(part, "r+b") as file:
            file.seek(offset)
            file.write(data)
            file.truncate()
            file.flush()
            os.fsync(file.fileno())
        db.session.execute(
            update(Upload).where(Upload.id == upload.id).values(received=offset + len(data))
        )
        db.session.commit()


def _refuse(upload: Upload, code: str, message: str, status: int = 422) -> None:
    part = _part_path(upload)
    part.unlink(missing_ok=True)
    part.with_suffix(".lock").unlink(missing_ok=True)
    upload.status, upload.error = "refused", code
    db.session.commit()
    raise Refusal(code, message, status)


def _refuse_if_full(upload: Upload, error: OSError) -> None:
    """The disk filled while the upload was written: keep none of it, and refuse it (507).
    Resuming later would only fill the disk again; the instructor uploads anew once there is
    room."""
    if disk.is_full(error):
        db.session.rollback()
        refusal = disk.full_refusal()
        _refuse(upload, refusal.code, refusal.message, refusal.status)


def _finish(upload: Upload) -> None:
    """Probe the whole file; store it as the lesson's media and queue the pipeline."""
    from academy.insights.transcribe import NotMediaError, probe_media

    part = _part_path(upload)
    max_seconds = current_app.config["MEDIA_MAX_HOURS"] * 3600
    try:
        info = probe_media(part, max_seconds=max_seconds)
    except NotMediaError:
        _refuse(
            upload,
            "not_media",
            _("“%(name)s”不是可解码的音视频文件，或没有声音，已拒收。", name=upload.filename),
        )
    if info.duration <= 0:
        _refuse(upload, "not_media", _("无法读取“%(name)s”的时长，已拒收。", name=upload.filename))
    try:
        bounds.check_media(upload.filename, upload.size, info.duration, max_seconds)
    except Refusal as refusal:
        _refuse(upload, refusal.code, refusal.message)
    lesson = db.session.get(Lesson, upload.lesson_id)
    suffix = PurePosixPath(upload.filename).suffix.lower()
    relative = f"lessons/{lesson.id}/{upload.token}{suffix}"
    target = Path(current_app.config["MEDIA_PATH"]) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(part, target)
    part.with_suffix(".lock").unlink(missing_ok=True)
    upload.status = "complete"
    db.session.commit()
    catalog.attach_media(
        lesson, relative, duration_ms=int(info.duration * 1000), has_video=info.has_video
    )
    # learners part way through the old video can still finish the new one
    learning.fit_to_duration(lesson.id, lesson.duration_ms)
    insights.start_job(lesson, "full")
