"""Uploading a PDF in the studio and the job that renders its pages: real poppler, real images."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import select, update

from academy.documents import pdf
from academy.documents import services as documents
from academy.documents.models import CourseDocument, DocumentStatus
from academy.extensions import db
from tests.documents.conftest import fetch, pdf_bytes
from tests.web import csrf_of


def upload(client, course, data: bytes, name="讲义.pdf", title="第一章讲义", free_pages="3"):
    page = client.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True)
    return client.post(
        f"/studio/courses/{course.id}/documents",
        data={
            "csrf_token": csrf_of(page),
            "title": title,
            "free_pages": free_pages,
            "file": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def media(app) -> Path:
    return Path(app.config["MEDIA_PATH"])


def test_an_uploaded_pdf_is_rendered_into_one_real_image_per_page(app, teacher, course):
    response = upload(teacher, course, pdf_bytes(8))
    assert response.status_code == 302
    document = db.session.scalars(select(CourseDocument)).one()
    assert (document.status, document.page_count, document.attempts) == ("done", 8, 1)
    assert (document.title, document.filename, document.free_pages) == ("第一章讲义", "讲义.pdf", 3)
    pages = sorted((media(app) / document.folder / "pages").iterdir())
    assert len(pages) == 8
    with Image.open(pages[0]) as image:
        image.verify()
        assert image.format == "JPEG"
    with Image.open(pages[0]) as image:
        # A4 portrait: the longer side is 1400 px, the width about 990 px
        assert image.size[1] == 1400 and 980 <= image.size[0] <= 1000
    contents = {page.read_bytes() for page in pages}
    assert len(contents) == 8  # every page is its own picture


def test_the_studio_shows_the_status_and_page_count(teacher, course, document):
    html = teacher.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True)
    assert "资产配置讲义" in html and "已生成 8 页" in html and "讲义.pdf" in html


def test_the_course_editor_links_to_the_documents(teacher, course):
    html = teacher.get(f"/studio/courses/{course.id}").get_data(as_text=True)
    assert f"/studio/courses/{course.id}/documents" in html


def test_rendering_twice_is_safe(app, document):
    folder = media(app) / document.folder / "pages"
    before = sorted(p.name for p in folder.iterdir())
    documents.run_render(document.id)
    db.session.refresh(document)
    assert (document.status, document.attempts) == ("done", 1)
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_failed_render_says_why_and_can_be_retried(app, teacher, course, monkeypatch):
    real = pdf.render_pages

    def broken(*args, **kwargs):
        raise pdf.PdfError("render_failed", "poppler fell over")

    monkeypatch.setattr(pdf, "render_pages", broken)
    upload(teacher, course, pdf_bytes(4))
    document = db.session.scalars(select(CourseDocument)).one()
    assert document.status == "failed" and "poppler fell over" in document.error
    html = teacher.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True)
    assert "生成失败" in html and "poppler fell over" in html and "重试" in html
    assert not list((media(app) / document.folder).glob(".render-*"))  # no half-made pages

    monkeypatch.setattr(pdf, "render_pages", real)
    page = teacher.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True)
    response = teacher.post(
        f"/studio/documents/{document.id}/retry", data={"csrf_token": csrf_of(page)}
    )
    assert response.status_code == 302
    db.session.refresh(document)
    assert (document.status, document.error, document.attempts) == ("done", "", 2)
    assert len(list((media(app) / document.folder / "pages").iterdir())) == 4


def test_a_document_that_did_not_fail_cannot_be_retried(teacher, course, document):
    page = teacher.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True)
    teacher.post(f"/studio/documents/{document.id}/retry", data={"csrf_token": csrf_of(page)})
    html = teacher.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True)
    assert "没有失败的处理可以重试" in html


def test_a_render_whose_worker_died_is_queued_again(app, document, movable_clock):
    db.session.execute(
        update(CourseDocument)
        .where(CourseDocument.id == document.id)
        .values(status=DocumentStatus.RENDERING, status_at=movable_clock())
    )
    db.session.commit()
    assert documents.recover_stalled_renders() == 0  # still within its time
    movable_clock.advance((documents.STALL_AFTER + timedelta(minutes=1)).total_seconds())
    assert documents.recover_stalled_renders() == 1  # queued, and (immediate) rendered again
    db.session.refresh(document)
    assert (document.status, document.attempts) == ("done", 2)


def test_a_render_that_stalls_too_often_is_marked_failed(app, document, movable_clock):
    db.session.execute(
        update(CourseDocument)
        .where(CourseDocument.id == document.id)
        .values(
            status=DocumentStatus.RENDERING,
            status_at=movable_clock(),
            attempts=documents.MAX_ATTEMPTS,
        )
    )
    db.session.commit()
    movable_clock.advance((documents.STALL_AFTER + timedelta(minutes=1)).total_seconds())
    assert documents.recover_stalled_renders() == 0
    db.session.refresh(document)
    assert document.status == "failed" and "中断" in document.error


def test_deleting_a_document_removes_its_row_and_files(app, teacher, course, document):
    folder = media(app) / document.folder
    assert (folder / "original.pdf").is_file()
    page = teacher.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True)
    response = teacher.post(
        f"/studio/documents/{document.id}/delete", data={"csrf_token": csrf_of(page)}
    )
    assert response.status_code == 302
    assert db.session.get(CourseDocument, document.id) is None
    assert not folder.exists()
    assert fetch(teacher, f"/documents/{document.id}/pages/1").status_code == 404


def test_the_instructor_changes_the_title_and_free_pages(teacher, stranger, course, document):
    assert fetch(stranger, f"/documents/{document.id}/pages/5").status_code == 403
    page = teacher.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True)
    prefix = f"doc{document.id}-"
    response = teacher.post(
        f"/studio/documents/{document.id}",
        data={"csrf_token": csrf_of(page), prefix + "title": "新标题", prefix + "free_pages": "5"},
    )
    assert response.status_code == 302
    assert fetch(stranger, f"/documents/{document.id}/pages/5").status_code == 200
    assert "新标题" in stranger.get(f"/courses/{course.id}").get_data(as_text=True)


def test_a_refused_setting_keeps_what_was_typed(teacher, course, document):
    page = teacher.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True)
    prefix = f"doc{document.id}-"
    response = teacher.post(
        f"/studio/documents/{document.id}",
        data={
            "csrf_token": csrf_of(page),
            prefix + "title": "改过的标题",
            prefix + "free_pages": "9999",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "免费页数须在 0 到 200 之间" in html and 'value="改过的标题"' in html
    db.session.refresh(document)
    assert (document.title, document.free_pages) == ("资产配置讲义", 3)
