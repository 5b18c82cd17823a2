"""An instructor uploads a lecture, watches it being processed, publishes; a visitor sees it."""

import pytest
from playwright.sync_api import expect

from academy.auth.services import create_user, ensure_instructor_profile
from academy.catalog import services as catalog
from academy.catalog.models import Category
from academy.extensions import db
from tests.browser.conftest import log_in
from tests.factories import CLIP

pytestmark = pytest.mark.browser


@pytest.fixture
def lesson_ids(live_app):
    with live_app.app_context():
        teacher = create_user("studio-teacher", "browser-pass-1", "instructor")
        profile = ensure_instructor_profile(teacher)
        category = Category(slug="wealth", name="财富管理")
        db.session.add(category)
        db.session.commit()
        course = catalog.create_course(
            profile.id,
            {
                "title": "客户沟通",
                "subtitle": "",
                "description": "",
                "category_id": category.id,
                "price_fen": 0,
                "glossary": "客户\n风险承受能力",
                "transcript_script": "simplified",
            },
        )
        lesson = catalog.add_lesson(course, "客户沟通的三个要点")
        yield course.id, lesson.id
        db.session.remove()


def test_upload_process_publish_and_see_the_ai_summary(live_app, browser, shots, lesson_ids):
    course_id, lesson_id = lesson_ids
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log_in(page, base, "studio-teacher", "browser-pass-1")

    page.goto(f"{base}/studio/lessons/{lesson_id}")
    page.set_input_files("#upload-file", str(CLIP))
    # The page reloads itself once the pipeline is done and shows the transcript for editing.
    expect(page.locator("textarea[name=transcript]")).to_be_visible(timeout=180_000)
    expect(page.locator("#job-stage")).to_have_text("已完成")
    assert "[0:0" in page.locator("textarea[name=transcript]").input_value()
    shots(page, "studio-lesson")

    page.click("text=发布当前版本")
    expect(page.locator(".flash-success")).to_contain_text("已发布")
    page.goto(f"{base}/studio/courses/{course_id}")
    page.click("text=发布课程")
    expect(page.locator(".flash-success")).to_contain_text("课程已发布")

    visitor = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    visitor.goto(f"{base}/courses/{course_id}")
    expect(visitor.locator(".keywords li").first).to_be_visible()
    expect(visitor.locator(".mindmap img")).to_be_visible()
    expect(visitor.locator(".chapters li").first).to_be_visible()
    shots(visitor, "course-ai-summary")
    visitor.click("text=要点回顾")
    expect(visitor.locator("[data-panel=review] .qa").first).to_be_visible()
    shots(visitor, "course-key-points")
