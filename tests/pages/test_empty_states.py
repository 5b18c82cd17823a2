"""An empty page says what to do next: its empty notice links somewhere useful."""

import re

import pytest

from tests.web import login

EMPTY = re.compile(r'<p class="empty">(.*?)</p>', re.S)


def _next_steps(html: str) -> list[str]:
    """The links inside the page's empty notices."""
    return [href for text in EMPTY.findall(html) for href in re.findall(r'href="([^"]+)"', text)]


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("/me/learning", "/"),
        ("/me/credits", "/me/learning"),
        ("/me/orders", "/"),
        ("/cart", "/"),
        ("/me/messages", "/"),
        ("/search?q=完全没有的词", "/"),
        ("/articles", "/"),
    ],
)
def test_an_empty_learner_page_links_to_the_next_step(app, learner, url, link):
    client = app.test_client()
    login(client, "learner1")
    assert link in _next_steps(client.get(url).get_data(as_text=True))


def test_no_results_with_filters_offers_to_clear_them(app, make, learner):
    make.course()
    client = app.test_client()
    login(client, "learner1")
    html = client.get("/search?q=完全没有的词&price=free").get_data(as_text=True)
    assert any("price" not in href and "q=" in href for href in _next_steps(html))


def test_an_empty_studio_says_how_to_start(app, instructor):
    client = app.test_client()
    login(client, "teacher1")
    html = client.get("/studio/").get_data(as_text=True)
    assert "新建课程" in "".join(EMPTY.findall(html)) and 'href="/studio/courses/new"' in html
