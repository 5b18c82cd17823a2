"""Logging out in a real browser: the page that follows says so."""

import pytest
from playwright.sync_api import expect

from academy.auth.services import create_user
from academy.extensions import db
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_the_page_after_logout_says_you_logged_out(live_app, browser, shots):
    with live_app.app_context():
        create_user("leaving-learner", "browser-pass-1")
        db.session.remove()
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    log_in(page, base, "leaving-learner", "browser-pass-1")

    page.click("header form[action$='/logout'] button[type=submit]")
    expect(page.locator(".flash")).to_have_text("您已退出登录。")
    expect(page.locator("header")).to_contain_text("登录")
    shots(page, "logged-out")
    page.reload()  # said once
    expect(page.locator(".flash")).to_have_count(0)
    page.close()
