"""Course consultation (课程咨询) in a real browser: a learner asks from the course page, the
instructor replies at /studio/questions, the learner sees the header's badge and the reply."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from academy.auth.services import create_user, ensure_instructor_profile
from academy.extensions import db
from tests.browser.conftest import log_in, watch_csp
from tests.factories import Factory

pytestmark = pytest.mark.browser

QUESTION = "第二讲提到的<b>风险测评</b>问卷在哪里下载？"
ANSWER = "在课程页的资料区，第二讲下面。"


@pytest.fixture
def taught_course(live_app):
    with live_app.app_context():
        create_user("asking-learner", "browser-pass-1", nickname="小李")
        teacher = create_user("course-teacher", "browser-pass-1", role="instructor")
        profile = ensure_instructor_profile(teacher)
        course = Factory(live_app).course(
            slug="suitability", title="适当性管理实务", instructor_id=profile.id, credits={}
        )
        course_id = course.id
        db.session.remove()
    return course_id


def new_page(browser):
    return browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN").new_page()


def test_a_question_is_answered_and_the_learner_sees_the_reply(
    live_app, browser, shots, taught_course
):
    base = live_app.config["LIVE_URL"]
    learner = new_page(browser)
    violations = watch_csp(learner)
    log_in(learner, base, "asking-learner", "browser-pass-1")
    learner.goto(f"{base}/courses/{taught_course}")
    consult = learner.locator("#consult")
    consult.locator("textarea[name=text]").fill(QUESTION)
    shots(learner, "consult-ask")
    consult.locator("button[type=submit]").click()
    expect(learner).to_have_url(f"{base}/me/messages")
    expect(learner.locator(".flash")).to_contain_text("咨询已提交")
    # shown as typed: the markup is text, not bold
    expect(learner.locator(".consult-text").first).to_have_text(QUESTION)
    assert learner.locator(".consult-text b").count() == 0
    expect(learner.locator("[data-unread]")).to_have_count(0)

    teacher = new_page(browser)
    log_in(teacher, base, "course-teacher", "browser-pass-1")
    teacher.goto(f"{base}/studio/questions")
    thread = teacher.locator(".consult-thread").first
    expect(thread).to_contain_text("适当性管理实务")
    expect(thread).to_contain_text("小李")
    expect(thread.locator(".badge.unread")).to_have_text("待回复")
    thread.locator("textarea[name=text]").fill(ANSWER)
    shots(teacher, "consult-studio-reply")
    thread.locator(".consult-reply button[type=submit]").click()
    expect(teacher.locator(".flash")).to_contain_text("回复已发送")
    expect(teacher.locator(".consult-thread").first.locator(".badge.unread")).to_have_count(0)

    # Any page the learner opens now shows the unread reply in the header.
    learner.goto(f"{base}/")
    expect(learner.locator("header [data-unread]")).to_have_text("1")
    shots(learner, "consult-unread-badge")
    learner.click("header a.messages")
    expect(learner).to_have_url(f"{base}/me/messages")
    reply = learner.locator(".consult-staff .consult-text")
    expect(reply).to_have_text(ANSWER)
    expect(learner.locator(".consult-thread .badge.unread")).to_have_text("1 条新回复")
    shots(learner, "consult-reply-read")
    # read now: the badge is gone from the next page
    learner.goto(f"{base}/")
    expect(learner.locator("header [data-unread]")).to_have_count(0)
    assert violations == []
