"""Files and input meant to break the documents: each is refused beside the form, in Chinese,
with what was typed kept and nothing stored."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from academy.documents import services as documents
from academy.documents.models import CourseDocument
from academy.errors import Refusal
from academy.extensions import db
from tests.documents.conftest import encrypted_pdf_bytes, fetch, pdf_bytes
from tests.documents.test_render import upload


def _stored(app) -> list[Path]:
    folder = Path(app.config["MEDIA_PATH"]) / "documents"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _zero_page_pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    Canvas(out).save()  # never showPage(): a catalogue with no pages
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.pdf", b"These are my notes, not a PDF at all.\n" * 50, "不是 PDF 文件"),
        ("image.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 400, "不是 PDF 文件"),
        ("locked.pdf", encrypted_pdf_bytes(), "已加密"),
        ("cut.pdf", pdf_bytes(8)[: len(pdf_bytes(8)) // 2], "已损坏或不完整"),
        ("cut-end.pdf", pdf_bytes(8)[:-40], "已损坏或不完整"),
        ("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n", "已损坏或不完整"),
        ("empty.pdf", _zero_page_pdf(), "没有任何页面"),
        ("zero.pdf", b"", "是空的"),
    ],
)
def test_a_bad_file_is_refused_beside_the_form_and_nothing_is_stored(
    app, teacher, course, name, data, message
):
    response = upload(teacher, course, data, name=name, title="我输入的标题", free_pages="4")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and name in html
    assert 'value="我输入的标题"' in html and 'value="4"' in html  # what was typed stays
    assert db.session.scalar(select(func.count()).select_from(CourseDocument)) == 0
    assert _stored(app) == []


def test_no_file_chosen_is_refused(teacher, course):
    page = teacher.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True)
    from tests.web import csrf_of

    response = teacher.post(
        f"/studio/courses/{course.id}/documents",
        data={"csrf_token": csrf_of(page), "title": "无文件", "free_pages": "3"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "请选择要上传的 PDF 文件" in response.get_data(as_text=True)


def test_a_file_over_the_size_limit_is_refused_beside_the_form(app, teacher, course):
    data = pdf_bytes(8)
    app.config["DOCUMENT_MAX_BYTES"] = len(data) - 1
    response = upload(teacher, course, data, title="大文件")
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "过大" in html and 'value="大文件"' in html
    assert _stored(app) == []


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(app, teacher, course):
    app.config["DOCUMENT_MAX_BYTES"] = 1000
    response = upload(teacher, course, b"%PDF-1.4\n" + b"0" * 5000)
    assert response.status_code == 413
    assert _stored(app) == []


def test_a_document_over_the_page_limit_is_refused(app, teacher, course):
    app.config["DOCUMENT_MAX_PAGES"] = 5
    response = upload(teacher, course, pdf_bytes(6), free_pages="2")
    assert response.status_code == 422
    assert "超过了 5 页的上限" in response.get_data(as_text=True)
    assert _stored(app) == []


def test_free_pages_that_are_not_a_number_are_refused_with_the_title_kept(teacher, course):
    response = upload(teacher, course, pdf_bytes(2), title="保留我", free_pages="三页")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="保留我"' in html
    assert db.session.scalar(select(func.count()).select_from(CourseDocument)) == 0


def test_a_title_with_markup_is_shown_as_text(teacher, stranger, course):
    title = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    assert upload(teacher, course, pdf_bytes(2), title=title).status_code == 302
    for html in (
        stranger.get(f"/courses/{course.id}").get_data(as_text=True),
        teacher.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True),
    ):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html


def test_a_filename_with_a_path_keeps_only_its_name(app, teacher, course):
    upload(teacher, course, pdf_bytes(1), name="../../etc/讲义<b>.pdf")
    document = db.session.scalars(select(CourseDocument)).one()
    assert document.filename == "讲义<b>.pdf"
    assert document.folder.startswith(f"documents/{course.id}/")
    html = teacher.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True)
    assert "讲义&lt;b&gt;.pdf" in html


def test_a_course_holds_a_bounded_number_of_documents(app, course, instructor, monkeypatch):
    monkeypatch.setattr(documents.rules, "MAX_DOCUMENTS_PER_COURSE", 1)
    documents.add_document(
        course,
        instructor,
        title="一",
        free_pages=1,
        filename="a.pdf",
        stream=io.BytesIO(pdf_bytes(1)),
    )
    with pytest.raises(Refusal) as refused:
        documents.add_document(
            course,
            instructor,
            title="二",
            free_pages=1,
            filename="b.pdf",
            stream=io.BytesIO(pdf_bytes(1)),
        )
    assert refused.value.code == "too_many_documents"


def test_a_page_number_is_never_a_path(anon, document):
    assert fetch(anon, f"/documents/{document.id}/pages/..%2F..%2Foriginal.pdf").status_code == 404
    assert fetch(anon, f"/documents/{document.id}/pages/-1").status_code == 404


def test_a_missing_poppler_is_said_as_such_not_blamed_on_the_file(app, tmp_path, monkeypatch):
    from academy.documents import pdf

    target = tmp_path / "a.pdf"
    target.write_bytes(pdf_bytes(1))
    monkeypatch.setenv("PATH", str(tmp_path))  # no pdfinfo anywhere
    with pytest.raises(FileNotFoundError, match="poppler-utils"):
        pdf.page_count(target)
