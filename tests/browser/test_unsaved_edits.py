"""The studio's lesson page keeps typing that was not saved: saving one form while another
holds unsent edits asks before the page is left."""

import pytest
from playwright.sync_api import expect

from academy.auth.models import InstructorProfile
from academy.auth.services import create_user
from academy.extensions import db
from tests.browser.conftest import log_in
from tests.factories import Factory

pytestmark = pytest.mark.browser


@pytest.fixture
def lesson_id(live_app):
    with live_app.app_context():
        teacher = create_user("browser-teacher", "browser-pass-1", role="instructor")
        profile = InstructorProfile(user_id=teacher.id, name="王老师")
        db.session.add(profile)
        db.session.commit()
        factory = Factory(live_app)
        course = factory.course(published=False, instructor_id=profile.id)
        lesson = course.lessons[0]
        factory.insight(lesson, publish=False)
        found = lesson.id
        db.session.remove()
    return found


def test_saving_the_transcript_with_an_unsaved_summary_asks_first(live_app, browser, lesson_id):
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log_in(page, base, "browser-teacher", "browser-pass-1")
    page.goto(f"{base}/studio/lessons/{lesson_id}")
    page.fill("textarea[name=summary]", "我手写的摘要，还没保存。")

    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.click("button:has-text('保存转写稿')")
    expect(page.locator("textarea[name=summary]")).to_have_value("我手写的摘要，还没保存。")
    assert asked == ["beforeunload"]
