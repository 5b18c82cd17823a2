"""Logging in and signing up with the keyboard alone: Tab reaches each field in order, typing
fills it, Enter submits; a refused form puts the focus on the field that needs fixing."""

import pytest
from playwright.sync_api import expect

from academy.auth.services import create_user
from tests.browser.conftest import watch_csp

pytestmark = pytest.mark.browser


def focused(page) -> str:
    return page.evaluate("document.activeElement.name || document.activeElement.tagName")


def tab_to(page, name: str, limit: int = 40) -> None:
    """Press Tab until the field called `name` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == name:
            return
    raise AssertionError(f"Tab never reached the field {name!r}")


def test_logging_in_with_the_keyboard_alone(live_app, browser, shots):
    with live_app.app_context():
        create_user("keyboard-learner", "browser-pass-1", nickname="键盘用户")
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    csp_violations = watch_csp(page)
    page.goto(f"{base}/login")

    tab_to(page, "username")
    page.keyboard.press("Enter")  # submitted empty: refused
    expect(page.locator("#username-error")).to_have_text("请输入用户名。")
    expect(page.locator("input[name=username]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("input[name=username]")).to_be_focused()  # static/js/site.js
    shots(page, "keyboard-login-refused")

    page.keyboard.type("keyboard-learner")
    page.keyboard.press("Tab")
    assert focused(page) == "password"
    page.keyboard.type("browser-pass-1")
    page.keyboard.press("Tab")
    assert focused(page) == "remember"
    page.keyboard.press("Space")
    expect(page.locator("input[name=remember]")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("main form button[type=submit]")).to_be_focused()
    shots(page, "keyboard-login-button-focused")
    page.keyboard.press("Enter")

    page.wait_for_url(f"{base}/")
    expect(page.locator(".who")).to_have_text("键盘用户")
    assert csp_violations == []


def test_signing_up_with_the_keyboard_alone(live_app, browser, shots):
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(f"{base}/register")

    tab_to(page, "username")
    page.keyboard.type("tab-only")
    for name, text in [
        ("nickname", "只用键盘"),
        ("password", "a-long-pass-phrase-7"),
        ("confirm", "a-long-pass-phrase-8"),
    ]:
        page.keyboard.press("Tab")
        assert focused(page) == name
        page.keyboard.type(text)
    page.keyboard.press("Enter")  # the passwords differ: refused beside the confirmation

    confirm = page.locator("input[name=confirm]")
    expect(page.locator("#confirm-error")).to_have_text("两次输入的密码不一致。")
    expect(confirm).to_be_focused()
    shots(page, "keyboard-register-refused")
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "password"
    page.keyboard.type("a-long-pass-phrase-8")
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-pass-phrase-8")
    page.keyboard.press("Enter")

    expect(page.locator(".flash-success")).to_contain_text("注册成功")
    expect(page.locator(".who")).to_have_text("只用键盘")
