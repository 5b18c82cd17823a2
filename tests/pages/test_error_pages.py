"""403, 404 and 500 in the site's look, each with a next step; the favicon."""

import pytest
from flask import abort

from tests.web import login


@pytest.fixture
def failing(app):
    """Routes that fail as views do: a refusal, and a bug (the app no longer in TESTING)."""

    def forbidden():
        abort(403)

    def broken():
        raise RuntimeError("a bug")

    app.add_url_rule("/test-forbidden", view_func=forbidden)
    app.add_url_rule("/test-broken", view_func=broken)
    app.testing = False  # in TESTING an exception reaches the test instead of the handler
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_a_bug_inside_a_request_shows_the_site_500_page(failing, anon):
    response = anon.get("/test-broken")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert 'class="topbar"' in html and "服务器出错了" in html and "返回首页" in html


def test_a_403_asks_a_visitor_to_log_in_and_come_back(failing, anon):
    response = anon.get("/test-forbidden")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "/login?next=/test-forbidden" in html and "注册新账号" in html


def test_a_403_for_a_logged_in_user_offers_no_login(failing, learner):
    client = failing.test_client()
    login(client, "learner1")
    html = client.get("/test-forbidden").get_data(as_text=True)
    assert "/login?next" not in html and "请联系管理员" in html and "我的学习" in html


def test_a_404_offers_a_search(anon):
    html = anon.get("/no-such-page").get_data(as_text=True)
    assert 'class="topbar"' in html and 'action="/search"' in html and "返回首页" in html
    assert html.count('role="search"') == 2  # the header's box and the page's own


def test_every_page_links_the_favicon_and_favicon_ico_finds_it(anon):
    assert 'rel="icon" href="/static/favicon.svg"' in anon.get("/").get_data(as_text=True)
    response = anon.get("/favicon.ico")
    assert response.status_code == 301 and response.headers["Location"].endswith(
        "/static/favicon.svg"
    )
    icon = anon.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    icon.close()
