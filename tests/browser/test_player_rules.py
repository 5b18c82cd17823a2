"""The player's own rules in a real browser: hidden tab, second tab, resume after reload."""

from datetime import date

import pytest
from playwright.sync_api import expect

from academy.auth.services import create_user
from academy.catalog.models import Category, Course, Lesson
from academy.extensions import db
from academy.learning.services import enrol_free
from tests.browser.conftest import copy_demo_clip, log_in, wait_for

pytestmark = pytest.mark.browser

VIDEO = "document.getElementById('video')"


@pytest.fixture
def lesson_url(live_app):
    with live_app.app_context():
        media_path, duration_ms = copy_demo_clip(live_app)
        user = create_user("tabs-learner", "browser-pass-1")
        course = Course(
            slug="tabs",
            title="多标签测试",
            price_fen=0,
            published_on=date(2026, 11, 2),
            category=Category(slug="wealth", name="财富管理"),
        )
        db.session.add(course)
        db.session.flush()
        lesson = Lesson(
            course_id=course.id,
            position=1,
            title="第一讲",
            duration_ms=duration_ms,
            media_path=media_path,
        )
        db.session.add(lesson)
        db.session.commit()
        enrol_free(user, course)
        yield f"{live_app.config['LIVE_URL']}/learn/lessons/{lesson.id}"
        db.session.remove()


def logged_in_context(browser, live_app):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_app.config["LIVE_URL"], "tabs-learner", "browser-pass-1")
    return context, page


def play_until_verified(page, seconds: float) -> None:
    wait_for(page, f"{VIDEO}.readyState >= 1")
    page.evaluate(f"{VIDEO}.play()")
    shown = "document.getElementById('verified-text').textContent.split(':')[1]"
    wait_for(page, f"parseFloat({shown}) >= {seconds}", timeout=30_000)


def test_hidden_tab_pauses_and_a_second_tab_takes_over(live_app, browser, shots, lesson_url):
    context, first = logged_in_context(browser, live_app)
    first.goto(lesson_url)
    play_until_verified(first, 6)

    # The lesson's one popup may have come already; confirm it so the video is playing.
    if first.locator("#popup").is_visible():
        first.click("#popup-confirm")
    wait_for(first, f"!{VIDEO}.paused")
    # The page reports itself hidden: the player pauses at once.
    first.evaluate(
        "Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});"
        "document.dispatchEvent(new Event('visibilitychange'))"
    )
    wait_for(first, f"{VIDEO}.paused")
    expect(first.locator("#status")).to_contain_text("视频已暂停")

    # A second tab on the same account starts its own session; the first one is told it ended.
    second = context.new_page()
    second.goto(lesson_url)
    verified_text = first.locator("#verified-text").text_content().split(" / ")[0]
    expect(second.locator("#status")).to_contain_text(f"已从上次核验的位置 {verified_text}")
    minutes, seconds = verified_text.split(":")
    resumed_at = second.evaluate(f"{VIDEO}.currentTime")
    assert int(minutes) * 60 + int(seconds) <= resumed_at < int(minutes) * 60 + int(seconds) + 1
    first.evaluate(f"{VIDEO}.play()")
    expect(first.locator("#status")).to_contain_text("已在其他窗口或设备开始学习", timeout=10_000)
    assert first.evaluate(f"{VIDEO}.paused")
    shots(first, "first-tab-stopped")
    context.close()
