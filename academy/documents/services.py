"""Every write to course documents and what a person may read of them, as plain functions.

An upload is checked whole (a PDF, not encrypted, not cut short, with pages, within the size
and page limits) before a row exists, so a refused file stores nothing. The row is then the
job's record: claimed with a conditional update (queued -> rendering), so rendering twice is
safe, and moved only along `TRANSITIONS`.
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from academy import clock, disk, jobs
from academy.catalog import access
from academy.catalog.models import Course
from academy.documents import pdf, rules
from academy.documents.models import TRANSITIONS, CourseDocument, DocumentStatus
from academy.errors import Refusal
from academy.extensions import db

#: where a course's documents live inside the media folder
FOLDER = "documents"
ORIGINAL = "original.pdf"
PAGES = "pages"
#: a render is bounded to 10 minutes (rules.render_timeout); one in that status much longer
#: than that lost its worker, and is queued again
STALL_AFTER = timedelta(minutes=15)
#: a queued render never picked up in this long lost its queue entry (e.g. Redis flushed)
LOST_AFTER = timedelta(minutes=15)
#: renders a document may start before a stalled one is marked failed instead of queued again
MAX_ATTEMPTS = 3
#: bytes read from an upload at a time
CHUNK = 1024 * 1024


def _media() -> Path:
    return Path(current_app.config["MEDIA_PATH"])


def original_of(document: CourseDocument) -> str:
    """The uploaded PDF, relative to the media folder."""
    return f"{document.folder}/{ORIGINAL}"


def page_of(document: CourseDocument, number: int) -> str:
    """One rendered page (numbered from 1), relative to the media folder."""
    return f"{document.folder}/{PAGES}/{number}.jpg"


def download_name(document: CourseDocument) -> str:
    name = document.filename
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


# -- reading ------------------------------------------------------------------------------------


def list_documents(course_id: int) -> list[CourseDocument]:
    """Every document of a course in upload order, whatever its status (the studio)."""
    return list(
        db.session.scalars(
            select(CourseDocument)
            .where(CourseDocument.course_id == course_id)
            .order_by(CourseDocument.id)
        )
    )


@dataclass(frozen=True)
class DocumentView:
    """A rendered document as one person may read it."""

    document: CourseDocument
    #: pages this person reads, from the first
    readable: int
    #: whether this person owns the course (and so may download the file)
    owner: bool

    @property
    def remaining(self) -> int:
        return self.document.page_count - self.readable


def course_documents(user, course: Course) -> list[DocumentView]:
    """The course's rendered documents, each with the pages this user may read."""
    owner = access.may_watch(user, course)
    return [
        DocumentView(
            document,
            access.document_pages(user, course, document.page_count, document.free_pages),
            owner,
        )
        for document in list_documents(course.id)
        if document.is_ready
    ]


def visible_document(user, document_id: int) -> CourseDocument | None:
    """A rendered document whose course is published, or a draft's for those who may watch it
    (its learners, its instructor, admins: catalog/access.py); else None."""
    document = db.session.get(CourseDocument, document_id)
    if document is None or not document.is_ready:
        return None
    if not document.course.is_published and not access.may_watch(user, document.course):
        return None
    return document


# -- writes -------------------------------------------------------------------------------------


def _refusal(code: str, name: str) -> Refusal:
    """Why an uploaded file is refused, in words the instructor can act on."""
    limit = current_app.config["DOCUMENT_MAX_BYTES"]
    max_pages = current_app.config["DOCUMENT_MAX_PAGES"]
    messages = {
        "no_file": lambda: _("请选择要上传的 PDF 文件。"),
        "empty_file": lambda: _("文件“%(name)s”是空的。", name=name),
        "too_large": lambda: _(
            "文件“%(name)s”过大：上限为 %(limit)d MB。", name=name, limit=limit // 1024 // 1024
        ),
        "not_pdf": lambda: _("“%(name)s”不是 PDF 文件，请上传 PDF 格式的讲义。", name=name),
        "encrypted": lambda: _(
            "“%(name)s”已加密（设有打开密码或权限限制），请上传未加密的 PDF。", name=name
        ),
        "no_pages": lambda: _("“%(name)s”没有任何页面。", name=name),
        "too_many_pages": lambda: _(
            "“%(name)s”超过了 %(max)d 页的上限，请拆分后分别上传。", name=name, max=max_pages
        ),
    }
    message = messages.get(
        code, lambda: _("“%(name)s”已损坏或不完整，无法读取，请重新导出后上传。", name=name)
    )()
    status = 413 if code == "too_large" else 422
    return Refusal(code if code in messages else "corrupt", message, status)


def _receive(stream: BinaryIO, target: Path, limit: int, name: str) -> int:
    """Copy the upload to `target`, refusing it (and keeping nothing) past `limit` bytes."""
    size = 0
    with open(target, "wb") as file:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                break
            file.write(chunk)
    if size > limit:
        target.unlink(missing_ok=True)
        raise _refusal("too_large", name)
    if size == 0:
        target.unlink(missing_ok=True)
        raise _refusal("empty_file", name)
    return size


def add_document(
    course: Course, user, *, title: str, free_pages: int, filename: str, stream: BinaryIO | None
) -> CourseDocument:
    """Store an uploaded PDF as a document of the course and queue the rendering of its pages.

    Refused, with nothing stored, when it is not a usable PDF or is over a limit.
    """
    name = PurePosixPath((filename or "").replace("\\", "/")).name[-255:]
    if stream is None or not name:
        raise _refusal("no_file", name)
    title = rules.check_title(title) or PurePosixPath(name).stem[: rules.MAX_TITLE_CHARS]
    free_pages = rules.check_free_pages(free_pages, current_app.config["DOCUMENT_MAX_PAGES"])
    count = db.session.scalar(select(func.count()).where(CourseDocument.course_id == course.id))
    if count >= rules.MAX_DOCUMENTS_PER_COURSE:
        raise Refusal(
            "too_many_documents",
            _("每门课程最多 %(n)d 份资料。", n=rules.MAX_DOCUMENTS_PER_COURSE),
            409,
        )
    relative = f"{FOLDER}/{course.id}/{secrets.token_hex(8)}"
    folder = _media() / relative
    try:
        folder.mkdir(parents=True)
        size = _receive(stream, folder / ORIGINAL, current_app.config["DOCUMENT_MAX_BYTES"], name)
        try:
            pages = pdf.page_count(folder / ORIGINAL)
        except pdf.PdfError as error:
            raise _refusal(error.code, name) from None
        if pages > current_app.config["DOCUMENT_MAX_PAGES"]:
            raise _refusal("too_many_pages", name)
    except BaseException as error:
        shutil.rmtree(folder, ignore_errors=True)
        if disk.is_full(error):
            raise disk.full_refusal() from error
        raise
    document = CourseDocument(
        course_id=course.id,
        title=title,
        filename=name,
        folder=relative,
        size=size,
        page_count=pages,
        free_pages=free_pages,
        status=DocumentStatus.QUEUED,
        status_at=clock.now(),
        uploaded_by_id=user.id,
    )
    db.session.add(document)
    db.session.commit()
    _enqueue(document.id)
    db.session.refresh(document)
    return document


def update_document(document: CourseDocument, *, title: str, free_pages: int) -> CourseDocument:
    """Rename a document or change how many pages visitors read free."""
    title = rules.check_title(title)
    if not title:
        raise Refusal("missing_title", _("请填写资料标题。"), 422)
    document.free_pages = rules.check_free_pages(
        free_pages, current_app.config["DOCUMENT_MAX_PAGES"]
    )
    document.title = title
    db.session.commit()
    return document


def delete_document(document: CourseDocument) -> None:
    """Remove a document: its row, the uploaded file and every rendered page."""
    folder = _media() / document.folder
    db.session.delete(document)
    db.session.commit()
    shutil.rmtree(folder, ignore_errors=True)


def retry_render(document: CourseDocument) -> CourseDocument:
    """Queue a failed render again."""
    if not _move(document.id, DocumentStatus.FAILED, DocumentStatus.QUEUED, error=""):
        raise Refusal("nothing_to_retry", _("该资料没有失败的处理可以重试。"), 409)
    _enqueue(document.id)
    db.session.refresh(document)
    return document


# -- the render job -----------------------------------------------------------------------------


def _move(document_id: int, current: DocumentStatus, target: DocumentStatus, **values) -> bool:
    """Move a document from `current` to `target` if it is still there (one commit); a move
    `TRANSITIONS` does not allow raises before touching the database."""
    if target not in TRANSITIONS[current]:
        raise Refusal("illegal_transition", _("资料的处理状态不能这样变化。"), 409)
    moved = db.session.execute(
        update(CourseDocument)
        .where(CourseDocument.id == document_id, CourseDocument.status == current)
        .values(status=target, status_at=clock.now(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return moved.rowcount == 1


def _enqueue(document_id: int) -> None:
    """Queue the render; the queue being down leaves the row queued for the recovery."""
    from academy.documents.tasks import render_document

    jobs.send(render_document, document_id)


def _failure_message(error: Exception) -> str:
    """Why a render failed, for the instructor, with the technical detail."""
    detail = str(error) or error.__class__.__name__
    if isinstance(error, pdf.PdfError) and error.code == "timeout":
        return _("渲染超时，请稍后重试或减少页数：%(detail)s", detail=detail)
    if isinstance(error, pdf.PdfError):
        return _("PDF 无法渲染：%(detail)s", detail=detail)
    if isinstance(error, FileNotFoundError):
        return _("文件或渲染工具（poppler）不可用，请联系管理员：%(detail)s", detail=detail)
    return _("处理出错：%(detail)s", detail=detail)


def _install_pages(rendered: list[Path], scratch: Path, target: Path) -> None:
    """Name the rendered pages 1.jpg, 2.jpg ... and put the folder where pages are served."""
    for number, file in enumerate(rendered, start=1):
        file.rename(scratch / f"{number}.jpg")
    old = target.with_name(f".old-{secrets.token_hex(4)}")
    if target.exists():
        target.rename(old)
    scratch.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def run_render(document_id: int) -> None:
    """Render a queued document's pages to images; a second run finds it claimed and stops."""
    claimed = _move(
        document_id,
        DocumentStatus.QUEUED,
        DocumentStatus.RENDERING,
        attempts=CourseDocument.attempts + 1,
        error="",
    )
    if not claimed:
        return
    document = db.session.get(CourseDocument, document_id)
    db.session.refresh(document)
    folder = _media() / document.folder
    # Read what is needed, then end the transaction: on SQLite an open one holds the lock.
    db.session.commit()
    scratch = folder / f".render-{secrets.token_hex(4)}"
    try:
        pages = pdf.page_count(folder / ORIGINAL)
        if pages > current_app.config["DOCUMENT_MAX_PAGES"]:
            raise pdf.PdfError("too_many_pages", f"{pages} pages")
        rendered = pdf.render_pages(folder / ORIGINAL, scratch, pages, rules.render_timeout(pages))
        _install_pages(rendered, scratch, folder / PAGES)
    except Exception as error:  # the row records why, for the instructor and a retry
        db.session.rollback()
        shutil.rmtree(scratch, ignore_errors=True)
        current_app.logger.warning("document %s failed to render: %s", document_id, error)
        moved = _move(
            document_id,
            DocumentStatus.RENDERING,
            DocumentStatus.FAILED,
            error=_failure_message(error)[:2000],
        )
    else:
        moved = _move(document_id, DocumentStatus.RENDERING, DocumentStatus.DONE, page_count=pages)
    gone = db.session.scalar(select(CourseDocument.id).where(CourseDocument.id == document_id))
    if not moved and gone is None:
        # deleted while rendering: what this run wrote belongs to no row
        shutil.rmtree(folder, ignore_errors=True)


def recover_stalled_renders() -> int:
    """Queue again the renders whose worker died, and send those that missed the queue (it was
    down) or were lost from it; a render that stalled MAX_ATTEMPTS times is marked failed.
    Returns how many were queued."""
    from academy.documents.tasks import render_document  # it imports this module

    now = clock.now()
    queued = 0
    stalled = db.session.scalars(
        select(CourseDocument).where(
            CourseDocument.status == DocumentStatus.RENDERING,
            CourseDocument.status_at < now - STALL_AFTER,
        )
    ).all()
    for document in stalled:
        if document.attempts >= MAX_ATTEMPTS:
            _move(
                document.id,
                DocumentStatus.RENDERING,
                DocumentStatus.FAILED,
                error=_("处理多次中断，请重试或联系管理员。"),
            )
        elif _move(document.id, DocumentStatus.RENDERING, DocumentStatus.QUEUED):
            _enqueue(document.id)
            queued += 1
    waiting = db.session.scalars(
        select(CourseDocument.id).where(CourseDocument.status == DocumentStatus.QUEUED)
    ).all()
    never_sent = jobs.unsent(render_document, waiting)
    db.session.commit()  # end the read
    for document_id in never_sent:  # the queue was down when they were uploaded
        _enqueue(document_id)
        queued += 1
    lost = db.session.scalars(
        select(CourseDocument.id).where(
            CourseDocument.status == DocumentStatus.QUEUED,
            CourseDocument.status_at < now - LOST_AFTER,
            CourseDocument.id.not_in(never_sent),
        )
    ).all()
    for document_id in lost:
        # Touch the row so it is sent once per LOST_AFTER; the claim makes a duplicate harmless.
        db.session.execute(
            update(CourseDocument)
            .where(CourseDocument.id == document_id, CourseDocument.status == DocumentStatus.QUEUED)
            .values(status_at=now)
        )
        db.session.commit()
        _enqueue(document_id)
        queued += 1
    return queued
