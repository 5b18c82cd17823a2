"""Who reads which pages: the free preview for everyone, every page and the file for owners."""

from __future__ import annotations

import pytest

from academy.extensions import db
from tests.documents.conftest import fetch


@pytest.mark.parametrize("who", ["anon", "stranger"])
def test_the_free_pages_are_images_anyone_may_see(request, document, who):
    client = request.getfixturevalue(who)
    for number in (1, 2, 3):
        response = fetch(client, f"/documents/{document.id}/pages/{number}")
        assert response.status_code == 200
        assert response.mimetype == "image/jpeg" and response.data[:3] == b"\xff\xd8\xff"
        # never kept by a shared cache; signed in, not kept at all (academy/headers.py)
        assert response.headers["Cache-Control"] in ("private, max-age=3600", "no-store")


@pytest.mark.parametrize("who", ["anon", "stranger", "other_teacher"])
def test_the_page_after_the_preview_is_forbidden_to_those_who_do_not_own_the_course(
    request, document, who
):
    client = request.getfixturevalue(who)
    assert fetch(client, f"/documents/{document.id}/pages/4").status_code == 403
    assert fetch(client, f"/documents/{document.id}/pages/8").status_code == 403


@pytest.mark.parametrize("who", ["owner", "teacher", "admin"])
def test_owners_and_staff_read_every_page(request, document, who):
    client = request.getfixturevalue(who)
    response = fetch(client, f"/documents/{document.id}/pages/8")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("number", [0, 9, 2**31 - 1])
def test_a_page_that_does_not_exist_is_not_found(owner, document, number):
    assert fetch(owner, f"/documents/{document.id}/pages/{number}").status_code == 404


@pytest.mark.parametrize("who", ["owner", "teacher"])
def test_owners_download_the_original_file(request, document, who):
    from tests.documents.conftest import pdf_bytes

    response = fetch(request.getfixturevalue(who), f"/documents/{document.id}/download")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == pdf_bytes(8)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E8%AE%B2%E4%B9%89.pdf" in disposition


@pytest.mark.parametrize("who", ["anon", "stranger", "other_teacher"])
def test_others_may_not_download(request, document, who):
    client = request.getfixturevalue(who)
    assert fetch(client, f"/documents/{document.id}/download").status_code == 403


def test_the_course_page_shows_the_preview_and_what_is_left_to_a_non_owner(
    stranger, course, document
):
    html = stranger.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "课程资料" in html and "资产配置讲义" in html
    assert html.count(f"/documents/{document.id}/pages/") == 3
    assert "已阅读 3 页，还剩 5 页未读" in html
    assert "加入购物车" in html.split("还剩 5 页未读")[1]  # the buy button under the preview
    assert f"/documents/{document.id}/download" not in html


def test_a_visitor_is_offered_the_preview_and_a_way_to_buy(anon, course, document):
    html = anon.get(f"/courses/{course.id}").get_data(as_text=True)
    assert html.count(f"/documents/{document.id}/pages/") == 3
    assert "还剩 5 页未读" in html and "/login?next=" in html.split("还剩 5 页未读")[1]


def test_the_course_page_shows_every_page_and_the_download_to_an_owner(owner, course, document):
    html = owner.get(f"/courses/{course.id}").get_data(as_text=True)
    assert html.count(f"/documents/{document.id}/pages/") == 8
    assert "未读" not in html
    assert f"/documents/{document.id}/download" in html


def test_a_free_course_offers_enrolment_under_the_preview(app, stranger, make, instructor):
    import io

    from academy.documents import services as documents
    from tests.documents.conftest import pdf_bytes

    free = make.course(price_fen=0)
    documents.add_document(
        free,
        instructor,
        title="免费课讲义",
        free_pages=2,
        filename="a.pdf",
        stream=io.BytesIO(pdf_bytes(5)),
    )
    html = stranger.get(f"/courses/{free.id}").get_data(as_text=True)
    assert "已阅读 2 页，还剩 3 页未读" in html
    assert "免费报名" in html.split("还剩 3 页未读")[1]


def test_a_document_not_yet_rendered_is_not_shown(anon, course, document):
    document.status = "queued"
    db.session.commit()
    assert "资产配置讲义" not in anon.get(f"/courses/{course.id}").get_data(as_text=True)
    assert fetch(anon, f"/documents/{document.id}/pages/1").status_code == 404


@pytest.mark.parametrize("who", ["anon", "stranger", "other_teacher"])
def test_the_documents_of_an_unpublished_course_are_not_found(request, course, document, who):
    course.published_on = None
    db.session.commit()
    client = request.getfixturevalue(who)
    assert fetch(client, f"/documents/{document.id}/pages/1").status_code == 404
    assert fetch(client, f"/documents/{document.id}/download").status_code == 404


def test_the_instructor_still_sees_the_pages_of_a_draft(teacher, course, document):
    course.published_on = None
    db.session.commit()
    assert fetch(teacher, f"/documents/{document.id}/pages/8").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/studio/courses/{course}/documents"),
        ("post", "/studio/courses/{course}/documents"),
        ("post", "/studio/documents/{document}"),
        ("post", "/studio/documents/{document}/retry"),
        ("post", "/studio/documents/{document}/delete"),
    ],
)
def test_another_instructors_documents_are_not_editable(
    other_teacher, course, document, method, path
):
    from tests.web import csrf_of

    url = path.format(course=course.id, document=document.id)
    token = csrf_of(other_teacher.get("/").get_data(as_text=True))
    response = getattr(other_teacher, method)(url, data={"csrf_token": token})
    assert response.status_code == 403
    assert db.session.get(type(document), document.id) is not None


@pytest.mark.parametrize("who", ["anon", "stranger"])
def test_learners_and_visitors_never_reach_the_studio(request, course, who):
    response = request.getfixturevalue(who).get(f"/studio/courses/{course.id}/documents")
    assert response.status_code in (302, 403)


def test_an_admin_manages_any_courses_documents(admin, course, document):
    html = admin.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True)
    assert "资产配置讲义" in html
