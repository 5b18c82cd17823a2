"""Articles (资讯) in a real browser: an instructor writes one in Markdown with a script in it,
publishes it, and readers see it sanitized, with its related course, and find it by search."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from academy.auth.services import create_user
from academy.extensions import db
from tests.browser.conftest import log_in, watch_csp
from tests.factories import Factory

pytestmark = pytest.mark.browser

TITLE = "反洗钱新规下的客户身份识别"
BODY = """## 三个变化

新规要求识别**受益所有人**，并保存记录。

<script>window.articleScriptRan = true</script>
<img src="/x.png" onerror="window.articleScriptRan = true">

- 穿透识别
- 持续尽调
"""


@pytest.fixture
def writer_and_course(live_app):
    with live_app.app_context():
        create_user("article-writer", "browser-pass-1", role="instructor", nickname="资讯编辑")
        Factory(live_app).course(
            slug="aml", title="反洗钱客户身份识别实务", category=("compliance", "合规"), credits={}
        )
        db.session.remove()


def test_an_article_is_written_published_shown_sanitized_and_found(
    live_app, browser, shots, writer_and_course
):
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    violations = watch_csp(page)
    log_in(page, base, "article-writer", "browser-pass-1")

    page.goto(f"{base}/studio")
    page.click("text=资讯管理")
    expect(page).to_have_url(f"{base}/studio/articles")
    page.click("text=写文章")
    expect(page.locator("input[name=author_name]")).to_have_value("资讯编辑")
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=tags]", "反洗钱，监管")
    page.fill("textarea[name=body]", BODY)
    shots(page, "article-write")
    page.click("form[enctype='multipart/form-data'] button[type=submit]")  # 保存
    expect(page.locator(".flash")).to_contain_text("文章已保存为草稿")
    page.click("text=发布文章")
    expect(page.locator(".flash")).to_contain_text("文章已发布")

    # Readers: the list, then the article.
    reader = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    violations += watch_csp(reader)
    reader.goto(f"{base}/articles")
    reader.click(f"text={TITLE}")
    body = reader.locator(".article-body")
    expect(body.locator("h2")).to_have_text("三个变化")
    expect(body.locator("strong")).to_have_text("受益所有人")
    expect(body.locator("li")).to_have_count(2)
    # the script and the handler were taken out, not merely blocked
    assert body.locator("script").count() == 0
    assert "onerror" not in body.inner_html()
    assert reader.evaluate("window.articleScriptRan === undefined")
    related = reader.locator(".related-courses")
    expect(related.locator("h2")).to_have_text("相关课程")
    expect(related).to_contain_text("反洗钱客户身份识别实务")
    shots(reader, "article-page")

    # Search finds it by a word of its text.
    reader.goto(f"{base}/search?q=受益所有人")
    hit = reader.locator(".search-result-article")
    expect(hit).to_have_count(1)
    expect(hit.locator("h3 a")).to_have_text(TITLE)
    shots(reader, "article-search")
    hit.locator("h3 a").click()
    expect(reader.locator("h1")).to_have_text(TITLE)
    assert violations == []
