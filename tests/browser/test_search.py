"""Search in a real browser: the header box on a wide and a phone-sized screen, marked results,
the recent searches, under the site's Content-Security-Policy."""

import pytest

from academy.auth.services import create_user
from academy.extensions import db
from academy.insights import services as insights
from academy.insights.models import LessonInsight
from academy.search import services as search
from tests.browser.conftest import log_in, wait_for, watch_csp
from tests.factories import Factory

pytestmark = pytest.mark.browser


@pytest.fixture
def searchable(live_app):
    with live_app.app_context():
        create_user("search-learner", "search-pass-1")
        factory = Factory(live_app)
        for n, (title, sentence) in enumerate(
            [
                ("反洗钱实务", "我们先讲一下大额交易报告的提交时限，原则上是五个工作日。"),
                ("大额交易报告要点", "今天讲报告的格式。"),
            ],
            start=1,
        ):
            course = factory.course(
                slug=f"search-{n}",
                title=title,
                category=("compliance", "合规"),
                lessons=[300_000],
                credits={},
            )
            lesson = course.lessons[0]
            db.session.add(
                LessonInsight(
                    lesson_id=lesson.id,
                    segments=[{"start": 95.0, "end": 99.0, "text": sentence}],
                    keywords=[], summary="", chapters=[], questions=[], mind_map=None,
                )
            )  # fmt: skip
            db.session.commit()
            insights.publish(lesson)
        search.reindex_all()
        db.session.remove()


def open_phone_menu(page) -> None:
    """Below 800 px the box is in the header's 菜单 panel: open it when it is closed."""
    toggle = page.locator("[data-menu-toggle]")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def search_from_header(page, query: str) -> None:
    open_phone_menu(page)
    page.fill("header .searchbox input[name=q]", query)
    page.press("header .searchbox input[name=q]", "Enter")
    wait_for(page, "!!document.querySelector('.search-count')")


@pytest.mark.parametrize("width", [1280, 390])
def test_search_from_the_header_shows_marked_results_and_the_history(
    live_app, searchable, browser, shots, width
):
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": width, "height": 800})
    violations = watch_csp(page)
    log_in(page, base, "search-learner", "search-pass-1")
    page.goto(f"{base}/?lang=zh_CN")
    open_phone_menu(page)
    box = page.locator("header .searchbox input[name=q]")
    assert box.is_visible()
    assert box.bounding_box()["x"] + box.bounding_box()["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll

    search_from_header(page, "反洗钱")
    search_from_header(page, "大额交易报告")
    titles = page.locator(".search-result h3").all_inner_texts()
    assert titles == ["大额交易报告要点", "反洗钱实务"]  # the title above the spoken sentence
    marks = page.locator(".search-result mark").all_inner_texts()
    assert "大额交易报告" in marks
    assert "1:35" in page.locator(".search-result").nth(1).inner_text()
    history = page.locator(".search-history li a").all_inner_texts()
    assert history == ["大额交易报告", "反洗钱"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shots(page, f"search-{width}")

    page.locator(".search-history li").nth(1).locator("button").click()
    wait_for(page, "document.querySelectorAll('.search-history li').length === 1")
    assert violations == []
