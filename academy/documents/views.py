"""Course documents: the studio's upload and list, and the page images and download for readers."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth.decorators import role_required
from academy.catalog import access
from academy.catalog.models import Course
from academy.catalog.views import send_media
from academy.documents import services as documents
from academy.documents.forms import DocumentSettingsForm, DocumentUploadForm
from academy.documents.models import CourseDocument
from academy.errors import Refusal
from academy.extensions import db
from academy.studio.services import may_edit

bp = Blueprint("documents", __name__, template_folder="templates")
staff_only = role_required("instructor", "admin")


# -- reading ------------------------------------------------------------------------------------


@bp.get("/documents/<int:document_id>/pages/<int:number>")
def page_image(document_id: int, number: int):
    """One rendered page, for those who may read it: the free pages, or every page for owners."""
    document = documents.visible_document(current_user, document_id) or abort(404)
    if not 1 <= number <= document.page_count:
        abort(404)
    readable = access.document_pages(
        current_user, document.course, document.page_count, document.free_pages
    )
    if number > readable:
        abort(403)
    response = send_media(documents.page_of(document, number), "image/jpeg")
    free = number <= document.free_pages
    response.headers["Cache-Control"] = "private, max-age=3600" if free else "private, no-store"
    return response


def _attachment(name: str, fallback: str) -> str:
    """Content-Disposition for a download named `name` (RFC 6266: an ASCII name, then UTF-8)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    plain = "".join(c for c in plain if c.isprintable() and c not in '"\\')
    if not plain.removesuffix(".pdf").strip(" ._-"):
        plain = fallback
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


@bp.get("/documents/<int:document_id>/download")
def download_document(document_id: int):
    """The original PDF, for those who own the course (and its instructor and admins)."""
    document = documents.visible_document(current_user, document_id) or abort(404)
    if not access.may_watch(current_user, document.course):
        abort(403)
    response = send_media(documents.original_of(document), "application/pdf")
    response.headers["Content-Disposition"] = _attachment(
        documents.download_name(document), f"document-{document.id}.pdf"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# -- studio -------------------------------------------------------------------------------------


def _course(course_id: int) -> Course:
    course = db.session.get(Course, course_id) or abort(404)
    if not may_edit(current_user, course):
        abort(403)
    return course


def _document(document_id: int) -> CourseDocument:
    document = db.session.get(CourseDocument, document_id) or abort(404)
    _course(document.course_id)
    return document


def _settings_form(document: CourseDocument, *, submitted: bool = False) -> DocumentSettingsForm:
    prefix = f"doc{document.id}"
    if submitted:
        return DocumentSettingsForm(prefix=prefix)
    return DocumentSettingsForm(formdata=None, obj=document, prefix=prefix)


def _page(
    course: Course,
    *,
    upload_form: DocumentUploadForm | None = None,
    edited: DocumentSettingsForm | None = None,
    edited_id: int | None = None,
    status: int = 200,
):
    """The studio's documents page; after a refusal, the form that was sent as it was typed."""
    found = documents.list_documents(course.id)
    forms = {
        document.id: edited if document.id == edited_id else _settings_form(document)
        for document in found
    }
    page = render_template(
        "documents/studio.html",
        course=course,
        documents=found,
        forms=forms,
        upload_form=upload_form or DocumentUploadForm(formdata=None),
        max_bytes=current_app.config["DOCUMENT_MAX_BYTES"],
        max_pages=current_app.config["DOCUMENT_MAX_PAGES"],
    )
    return page, status


def _show_refusal(refusal: Refusal, form, fallback) -> None:
    """Put a refusal's message beside the field it concerns."""
    fields = {
        "title_too_long": form.title,
        "missing_title": form.title,
        "invalid_free_pages": form.free_pages,
    }
    field = fields.get(refusal.code, fallback)
    field.errors = [*field.errors, refusal.message]


@bp.get("/studio/courses/<int:course_id>/documents")
@staff_only
def studio_documents(course_id: int):
    return _page(_course(course_id))


@bp.post("/studio/courses/<int:course_id>/documents")
@staff_only
def upload_document(course_id: int):
    course = _course(course_id)
    form = DocumentUploadForm()
    if not form.validate():
        return _page(course, upload_form=form, status=422)
    upload = form.file.data
    try:
        document = documents.add_document(
            course,
            current_user,
            title=form.title.data or "",
            free_pages=form.free_pages.data,
            filename=getattr(upload, "filename", "") or "",
            stream=getattr(upload, "stream", None),
        )
    except Refusal as refusal:
        _show_refusal(refusal, form, form.file)
        return _page(course, upload_form=form, status=refusal.status)
    if document.is_ready:
        flash(_("资料已上传，共 %(n)d 页。", n=document.page_count), "success")
    else:
        flash(_("资料已上传，正在生成页面图片，稍后刷新本页查看。"), "success")
    return redirect(url_for("documents.studio_documents", course_id=course.id))


@bp.post("/studio/documents/<int:document_id>")
@staff_only
def update_document(document_id: int):
    document = _document(document_id)
    form = _settings_form(document, submitted=True)
    if form.validate():
        try:
            documents.update_document(
                document, title=form.title.data or "", free_pages=form.free_pages.data
            )
        except Refusal as refusal:
            _show_refusal(refusal, form, form.title)
        else:
            flash(_("资料设置已保存。"), "success")
            return redirect(url_for("documents.studio_documents", course_id=document.course_id))
    return _page(document.course, edited=form, edited_id=document.id, status=422)


@bp.post("/studio/documents/<int:document_id>/retry")
@staff_only
def retry_document(document_id: int):
    document = _document(document_id)
    try:
        documents.retry_render(document)
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash(_("已重新开始生成页面图片。"), "success")
    return redirect(url_for("documents.studio_documents", course_id=document.course_id))


@bp.post("/studio/documents/<int:document_id>/delete")
@staff_only
def delete_document(document_id: int):
    document = _document(document_id)
    course_id, title = document.course_id, document.title
    documents.delete_document(document)
    flash(_("已删除资料“%(title)s”。", title=title), "success")
    return redirect(url_for("documents.studio_documents", course_id=course_id))
