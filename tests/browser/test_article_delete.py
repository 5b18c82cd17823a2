"""Deleting a draft article in a real browser asks once: dismissed, nothing happens; accepted,
the draft is gone."""

import pytest
from playwright.sync_api import expect

from academy.articles import services as articles
from academy.articles.models import Article
from academy.auth.services import create_user
from academy.extensions import db
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_deleting_a_draft_asks_first(live_app, browser):
    with live_app.app_context():
        writer = create_user("browser-writer", "browser-pass-1", role="instructor")
        article_id = articles.create_article(writer, {"title": "写错的草稿", "body": "正文"}).id
        db.session.remove()
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log_in(page, base, "browser-writer", "browser-pass-1")
    page.goto(f"{base}/studio/articles/{article_id}")

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button:has-text('删除草稿')")
    expect(page.locator("button:has-text('删除草稿')")).to_be_visible()
    with live_app.app_context():
        assert db.session.get(Article, article_id) is not None  # dismissed: kept
        db.session.remove()

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('删除草稿')")
    expect(page.locator(".flash")).to_contain_text("已删除")
    with live_app.app_context():
        assert db.session.get(Article, article_id) is None
        db.session.remove()
