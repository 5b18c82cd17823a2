"""Captions in a real browser: the track loads, a cue is active while playing, the switch sticks."""

import pytest
from playwright.sync_api import expect

from academy.auth.services import create_user
from academy.extensions import db
from academy.insights import services as insights
from academy.insights.models import LessonInsight
from academy.learning.services import enrol_free
from tests.browser.conftest import clip_lesson, log_in, wait_for, watch_csp

pytestmark = pytest.mark.browser


SENTENCES = [
    "今天讲客户沟通的三个要点。",
    "第一，先听再说。",
    "第二，讲清风险。",
    "第三，留下记录。",
]


@pytest.fixture
def lesson_url(live_app):
    with live_app.app_context():
        user = create_user("caption-learner", "browser-pass-1")
        lesson = clip_lesson(live_app, "captions", "客户沟通的三个要点", "客户沟通的三个要点")
        step = lesson.duration_ms / 1000 / len(SENTENCES)
        db.session.add(
            LessonInsight(
                lesson_id=lesson.id,
                segments=[
                    {"start": i * step, "end": (i + 1) * step, "text": text}
                    for i, text in enumerate(SENTENCES)
                ],
                keywords=[],
                summary="",
                chapters=[],
                questions=[],
                mind_map=None,
            )
        )
        db.session.commit()
        insights.publish(lesson)
        enrol_free(user, lesson.course)
        yield f"{live_app.config['LIVE_URL']}/learn/lessons/{lesson.id}"
        db.session.remove()


def test_captions_show_while_playing_and_the_switch_turns_them_off(
    live_app, browser, shots, lesson_url
):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    csp_violations = watch_csp(page)
    log_in(page, live_app.config["LIVE_URL"], "caption-learner", "browser-pass-1")
    page.goto(lesson_url)

    track = "document.getElementById('video').textTracks[0]"
    wait_for(page, "document.getElementById('video').readyState >= 1")
    wait_for(page, f"{track} && {track}.cues && {track}.cues.length === {len(SENTENCES)}")
    assert page.evaluate(f"{track}.mode") == "showing"
    assert page.evaluate(f"{track}.language") == "zh"

    page.evaluate("document.getElementById('video').play()")
    wait_for(page, f"{track}.activeCues.length > 0", timeout=20_000)
    assert page.evaluate(f"{track}.activeCues[0].text") in SENTENCES
    expect(page.locator("#transcript-lines li.speaking")).to_have_count(1)
    wait_for(page, "document.getElementById('video').currentTime > 1.5", timeout=10_000)
    shots(page, "captions-on")

    page.click("#captions-toggle")
    assert page.evaluate(f"{track}.mode") != "showing"
    expect(page.locator("#captions-toggle")).to_have_text("字幕 关")
    assert page.evaluate("localStorage.getItem('academy.captions')") == "off"

    # The choice is kept: the next visit starts with captions off.
    page.reload()
    wait_for(page, "document.getElementById('video').readyState >= 1")
    expect(page.locator("#captions-toggle")).to_have_text("字幕 关")
    assert page.evaluate(f"{track}.mode") != "showing"
    page.click("#captions-toggle")
    assert page.evaluate(f"{track}.mode") == "showing"
    assert csp_violations == []
