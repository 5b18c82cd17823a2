"""The header's language switch in a real browser: simplified, traditional and English, on the
home page and a course page, the choice remembered from page to page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import watch_csp
from tests.factories import Factory

pytestmark = pytest.mark.browser


def test_the_switch_moves_between_simplified_traditional_and_english(live_app, browser, shots):
    with live_app.app_context():
        course_id = Factory(live_app).course(title="财富管理实务").id
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    csp_violations = watch_csp(page)
    switch = page.locator(".lang-switch")
    brand = page.locator(".brand")

    page.goto(f"{base}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(brand).to_have_text("金融继续教育学院")
    expect(switch.locator("[aria-current]")).to_have_text("简体中文")

    switch.get_by_text("繁體中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(brand).to_have_text("金融繼續教育學院")
    expect(page.locator(".mainnav")).to_contain_text("課程")
    expect(page.locator(".account")).to_contain_text("登入")
    expect(switch.locator("[aria-current]")).to_have_text("繁體中文")
    shots(page, "languages-home-zh-hant")

    page.goto(f"{base}/courses/{course_id}")  # no ?lang=: the choice is remembered
    expect(brand).to_have_text("金融繼續教育學院")
    expect(page.get_by_role("heading", name="課程目錄")).to_be_visible()
    shots(page, "languages-course-zh-hant")

    switch.get_by_text("English").click()
    expect(page).to_have_url(f"{base}/courses/{course_id}?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(brand).to_have_text("Finance CPE Academy")
    expect(page.get_by_role("heading", name="Course contents")).to_be_visible()
    expect(page.locator(".account")).to_contain_text("Log in")
    shots(page, "languages-course-en")

    page.goto(f"{base}/")
    expect(brand).to_have_text("Finance CPE Academy")
    shots(page, "languages-home-en")

    switch.get_by_text("简体中文").click()
    expect(brand).to_have_text("金融继续教育学院")
    assert csp_violations == []
