"""A course listing a lesson whose video is not uploaded yet, seen by an enrolled learner: the
lesson says so and is not a link, on the course page and beside the player."""

import pytest
from playwright.sync_api import expect

from academy.auth.services import create_user
from academy.extensions import db
from tests.browser.conftest import copy_demo_clip, log_in
from tests.factories import Factory

pytestmark = pytest.mark.browser


@pytest.fixture
def course_id(live_app):
    with live_app.app_context():
        media_path, duration_ms = copy_demo_clip(live_app)
        learner = create_user("browser-learner", "browser-pass-1")
        factory = Factory(live_app)
        course = factory.course(
            title="客户沟通",
            lessons=[("客户沟通的三个要点", duration_ms, media_path), ("第二讲：异议处理", 0, "")],
        )
        factory.enrol(learner, course)
        found = course.id
        db.session.remove()
    return found


def test_the_learner_sees_it_is_coming_and_cannot_open_it(live_app, browser, shots, course_id):
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log_in(page, base, "browser-learner", "browser-pass-1")

    page.goto(f"{base}/courses/{course_id}")
    coming = page.locator(".lessons li", has_text="第二讲：异议处理")
    expect(coming.locator(".badge")).to_have_text("视频待上传")
    expect(coming.locator("a")).to_have_count(0)
    shots(page, "course-lesson-without-video")

    page.click(".lessons >> text=客户沟通的三个要点")
    outline = page.locator(".player-side li", has_text="第二讲：异议处理")
    expect(outline.locator(".badge")).to_have_text("视频待上传")
    expect(page.locator("text=下一节")).to_have_count(0)
