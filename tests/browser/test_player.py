"""The whole loop in a real browser: log in, enrol, play, fail to seek, confirm, get hours."""

import re

import pytest
from playwright.sync_api import expect

from academy.auth.services import create_user
from academy.extensions import db
from tests.browser.conftest import copy_demo_clip, log_in, wait_for, watch_csp
from tests.factories import Factory

pytestmark = pytest.mark.browser


@pytest.fixture
def short_course(live_app):
    with live_app.app_context():
        media_path, duration_ms = copy_demo_clip(live_app)
        create_user("browser-learner", "browser-pass-1")
        factory = Factory(live_app)
        factory.credit_type("afp-cfp", "继续教育再认证")
        course = factory.course(
            slug="short",
            title="客户沟通的三个要点",
            category=("wealth", "财富管理"),
            lessons=[("客户沟通的三个要点", duration_ms, media_path)],
            credits={"afp-cfp": 10},
        )
        yield course.id, duration_ms
        db.session.remove()


def test_learner_watches_the_short_lesson_and_earns_the_hours(
    live_app, browser, shots, short_course
):
    course_id, duration_ms = short_course
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    csp_violations = watch_csp(page)

    log_in(page, base, "browser-learner", "browser-pass-1")
    page.goto(f"{base}/courses/{course_id}")
    expect(page.locator(".credit-line")).to_contain_text("0.1 学时（继续教育再认证）")
    shots(page, "course-page")
    page.click("text=免费报名")
    expect(page).to_have_url(re.compile(r"/learn/lessons/\d+"))

    wait_for(page, "document.getElementById('video').readyState >= 1")
    page.evaluate("document.getElementById('video').play()")
    wait_for(
        page, "parseFloat(document.getElementById('verified-bar').style.width) > 0", timeout=20_000
    )

    # Seeking ahead of what the server verified snaps back.
    page.evaluate("document.getElementById('video').currentTime = 35")
    expect(page.locator("#status")).to_contain_text("不能快进", timeout=5_000)
    assert page.evaluate("document.getElementById('video').currentTime") < 20
    # A faster playback rate is put back to the allowed maximum.
    page.evaluate("document.getElementById('video').playbackRate = 2")
    assert page.evaluate("document.getElementById('video').playbackRate") == 1
    shots(page, "seek-blocked")

    # The popup comes at a moment the server chose; the video waits until it is confirmed.
    popup = page.locator("#popup")
    expect(popup).to_be_visible(timeout=duration_ms + 15_000)
    assert page.evaluate("document.getElementById('video').paused")
    shots(page, "popup")
    page.click("#popup-confirm")
    expect(popup).to_be_hidden()

    expect(page.locator("#complete")).to_be_visible(timeout=duration_ms + 20_000)
    expect(page.locator("#complete-detail")).to_contain_text("获得学时：0.1 学时（继续教育再认证）")
    shots(page, "lesson-complete")

    page.goto(f"{base}/me/credits")
    expect(page.locator(".credit-hours").first).to_have_text("0.1")
    shots(page, "my-credits")
    # the pages' own scripts and styles all ran under the Content-Security-Policy
    assert csp_violations == []
    page.close()
