"""Reviews in a real browser: the live counter under the site's Content-Security-Policy, posting,
and the review listed in the 评价 tab."""

from __future__ import annotations

import pytest

from academy.auth.services import create_user
from academy.extensions import db
from academy.learning.services import enrol_free
from tests.browser.conftest import log_in, wait_for, watch_csp
from tests.factories import Factory

pytestmark = pytest.mark.browser

TYPED = "案例很实用，讲解清楚👍"  # 11 characters, the emoji one of them


@pytest.fixture
def enrolled_course(live_app):

    with live_app.app_context():
        user = create_user("review-learner", "review-pass-1", nickname="王理财")
        course = Factory(live_app).course(slug="comm", title="客户沟通技巧", credits={})
        enrol_free(user, course)
        course_id = course.id
        db.session.remove()
    return course_id


def test_a_learner_types_a_review_sees_the_counter_and_posts_it(
    live_app, enrolled_course, browser, shots
):
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="zh-CN")
    violations = watch_csp(page)
    log_in(page, base, "review-learner", "review-pass-1")
    page.wait_for_url(f"{base}/**")
    page.goto(f"{base}/courses/{enrolled_course}")
    page.click('[data-tab="comments"]')
    counter = page.locator("[data-review-counter]")
    assert counter.text_content() == "0/150"
    assert page.locator("[data-review-form] button[type=submit]").is_disabled()
    page.locator("[data-review-text]").press_sequentially(TYPED)
    wait_for(page, "document.querySelector('[data-review-counter]').textContent === '11/150'")
    page.select_option("select[name=rating]", "5")
    shots(page, "reviews-typing")
    page.click("[data-review-form] button[type=submit]")
    page.wait_for_load_state()
    # back on the course page with the 评价 tab open and the review first in the list
    wait_for(page, "!document.querySelector('[data-panel=\"comments\"]').hidden")
    first = page.locator(".review").first
    assert TYPED in first.locator(".review-text").text_content()
    assert first.locator(".review-user").text_content() == "王理财"
    assert first.locator(".stars").get_attribute("aria-label") == "5 星"
    assert "1 条评价" in page.locator(".price-line").text_content()
    shots(page, "reviews-posted")
    assert violations == []
