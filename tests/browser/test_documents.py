"""A course's PDF handout in a real browser: the preview stops at the free pages for someone
who has not bought the course (with what is left and the button to buy), an owner reads every
page and may download the file; the page images really load under the site's CSP."""

from __future__ import annotations

import io

import pytest

from academy.auth.services import create_user, ensure_instructor_profile
from academy.documents import services as documents
from academy.extensions import db
from academy.learning import services as learning
from tests.browser.conftest import log_in, wait_for, watch_csp
from tests.documents.conftest import pdf_bytes
from tests.factories import Factory

pytestmark = pytest.mark.browser

PASSWORD = "doc-reader-pass-1"
#: every free page's image has loaded (naturalWidth is 0 until it has)
IMAGES_LOADED = (
    "[...document.querySelectorAll('.doc-pages img')].slice(0, 3)"
    ".every((img) => img.complete && img.naturalWidth > 0)"
)


@pytest.fixture
def handout(live_app):
    """A paid course with an 8-page handout, 3 pages free; a learner who bought it and one who
    did not. Returns the course's id."""
    with live_app.app_context():
        teacher = create_user("doc-teacher", PASSWORD, "instructor")
        profile = ensure_instructor_profile(teacher)
        course = Factory(live_app).course(
            slug="allocation",
            title="资产配置入门",
            price_fen=9900,
            category=("wealth", "财富管理"),
            instructor_id=profile.id,
            lessons=[("风险与收益", 60_000, "x.mp4")],
            credits={},
        )
        document = documents.add_document(
            course,
            teacher,
            title="资产配置讲义",
            free_pages=3,
            filename="讲义.pdf",
            stream=io.BytesIO(pdf_bytes(8)),
        )
        assert document.status == "done", document.error
        create_user("doc-visitor", PASSWORD)
        owner = create_user("doc-owner", PASSWORD)
        learning.grant_purchase(owner.id, course.id, order_id=1)
        db.session.commit()
        course_id = course.id
        db.session.remove()
    return course_id


def test_the_preview_stops_at_the_free_pages_and_an_owner_reads_them_all(
    live_app, handout, browser, shots
):
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    violations = watch_csp(page)

    log_in(page, base, "doc-visitor", PASSWORD)
    page.goto(f"{base}/courses/{handout}#documents")
    section = page.locator("#documents")
    assert section.locator("h3").text_content() == "资产配置讲义"
    assert section.locator(".doc-page").count() == 3
    more = section.locator(".doc-more")
    assert "已阅读 3 页，还剩 5 页未读" in more.locator(".doc-progress").text_content()
    assert more.locator("button:has-text('加入购物车')").is_visible()
    assert section.locator("a:has-text('下载原文件')").count() == 0
    section.locator(".doc-page").nth(2).scroll_into_view_if_needed()
    wait_for(page, IMAGES_LOADED)
    shots(page, "documents-01-preview")

    # The next page's image is refused, whatever the address bar says.
    denied = page.request.get(f"{base}/documents/1/pages/4")
    assert denied.status == 403

    page.context.clear_cookies()
    log_in(page, base, "doc-owner", PASSWORD)
    page.goto(f"{base}/courses/{handout}#documents")
    assert section.locator(".doc-page").count() == 8
    assert section.locator(".doc-more").count() == 0
    download = section.locator("a:has-text('下载原文件')")
    assert download.is_visible()
    assert not section.locator(".doc-page").nth(3).is_visible()  # the rest opens on demand
    section.locator("summary:has-text('继续阅读（还有 5 页）')").click()
    section.locator(".doc-page").nth(7).scroll_into_view_if_needed()
    wait_for(
        page,
        "[...document.querySelectorAll('.doc-pages img')]"
        ".every((img) => img.complete && img.naturalWidth > 0)",
    )
    shots(page, "documents-02-owner")
    response = page.request.get(base + download.get_attribute("href"))
    assert response.status == 200 and response.body()[:5] == b"%PDF-"
    assert violations == []


def test_the_studio_lists_the_document_and_refuses_a_file_that_is_not_a_pdf_before_sending(
    live_app, handout, browser, shots
):
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    violations = watch_csp(page)
    log_in(page, base, "doc-teacher", PASSWORD)
    page.goto(f"{base}/studio/courses/{handout}/documents")
    listed = page.locator(".doc-admin")
    assert listed.count() == 1
    assert "已生成 8 页" in listed.locator(".badge").text_content()
    page.fill("input[name=title]", "第二份讲义")
    page.set_input_files(
        "input[data-file]",
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a pdf"}],
    )
    error = page.locator("[data-file-error]")
    assert error.is_visible() and error.text_content() == "请选择 PDF 文件。"
    page.click("form[data-document-upload] button[type=submit]")
    assert page.url.endswith(f"/studio/courses/{handout}/documents")  # nothing was sent
    assert page.input_value("input[name=title]") == "第二份讲义"
    shots(page, "documents-03-studio")
    assert violations == []
