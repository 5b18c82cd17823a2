"""The profile reminder in a real browser: it names what is missing, the form fills it, it goes."""

import pytest
from playwright.sync_api import expect

from academy.auth.services import create_user
from tests.browser.conftest import log_in, watch_csp

pytestmark = pytest.mark.browser


def test_the_learner_completes_the_profile_and_the_reminder_goes_away(live_app, browser, shots):
    with live_app.app_context():
        create_user("profile-learner", "browser-pass-1", nickname="小王")
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    csp_violations = watch_csp(page)
    log_in(page, base, "profile-learner", "browser-pass-1")

    reminder = page.locator(".profile-reminder")
    expect(reminder).to_contain_text("您的个人资料尚缺：真实姓名、出生日期、工作单位、电子邮箱。")
    shots(page, "profile-reminder")
    reminder.locator("text=完善资料").click()
    expect(page).to_have_url(f"{base}/me/profile")

    page.fill("input[name=real_name]", "王小明")
    page.fill("input[name=birthday]", "1988-05-20")
    page.fill("input[name=employer]", "招商银行")
    page.fill("input[name=email]", "wang@")
    page.click(".profile-form button[type=submit]")
    expect(page.locator(".field-error")).to_have_text("电子邮箱格式不正确。")
    expect(reminder).to_be_visible()  # nothing was saved
    shots(page, "profile-field-error")

    page.fill("input[name=email]", "wang@example.com")
    page.click(".profile-form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("个人资料已保存")
    expect(reminder).to_have_count(0)
    expect(page.locator("input[name=birthday]")).to_have_value("1988-05-20")
    shots(page, "profile-saved")
    page.goto(f"{base}/")
    expect(reminder).to_have_count(0)
    assert csp_violations == []
