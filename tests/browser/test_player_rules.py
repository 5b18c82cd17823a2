"""The player's own rules in a real browser: hidden tab, second tab, resume after reload."""

import pytest
from playwright.sync_api import expect

from academy.auth.services import create_user
from academy.extensions import db
from academy.learning.services import enrol_free
from tests.browser.conftest import clip_lesson, log_in, wait_for

pytestmark = pytest.mark.browser

VIDEO = "document.getElementById('video')"


@pytest.fixture
def lesson_url(live_app):
    with live_app.app_context():
        user = create_user("tabs-learner", "browser-pass-1")
        lesson = clip_lesson(live_app, "tabs", "多标签测试", "第一讲")
        enrol_free(user, lesson.course)
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
