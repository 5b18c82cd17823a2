"""Course cards say the hours their course gives, read for all the cards in one query."""

import pytest

from tests.queries import counting_queries


def test_a_card_shows_the_hours_of_each_credit_type(anon, make):
    make.course(title="两种学时", credits={"afp-cfp": 150, "ctp": 200})
    html = anon.get("/").get_data(as_text=True)
    assert "AFP-CFP 学时：1.5" in html and "CTP 学时：2" in html


def test_a_course_without_hours_shows_no_hours_line(anon, make):
    make.course(title="不计学时", credits={})
    assert "card-credits" not in anon.get("/").get_data(as_text=True)


def test_related_courses_of_an_article_show_their_hours_too(app, make):
    from academy.articles import services as articles
    from academy.articles.models import ArticleStatus

    make.course(title="客户沟通", credits={"afp-cfp": 150})
    author = make.user("writer", role="instructor")
    article = articles.create_article(author, {"title": "客户沟通", "body": "客户沟通", "tags": ""})
    articles.set_status(article, ArticleStatus.PUBLISHED)
    html = app.test_client().get(f"/articles/{article.id}").get_data(as_text=True)
    assert "AFP-CFP 学时：1.5" in html


def _statements(client, url: str) -> int:
    with counting_queries() as seen:
        assert client.get(url).status_code == 200
    return len(seen)


@pytest.mark.parametrize("url", ["/", "/categories/general"])
def test_more_courses_do_not_mean_more_queries(anon, make, url):
    make.course()
    few = _statements(anon, url)
    for _ in range(5):
        make.course(credits={"afp-cfp": 150, "ctp": 100})
    assert _statements(anon, url) == few
