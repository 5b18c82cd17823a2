"""Published articles are found by search, with kind "article"; drafts are not."""

from __future__ import annotations

from academy.articles import services as articles
from academy.articles.models import ArticleStatus


def found(anon, query: str, **params) -> dict:
    response = anon.get("/api/v1/search", query_string={"q": query, **params})
    assert response.status_code == 200
    return response.get_json()


def test_a_published_article_is_found_with_kind_article(anon, write):
    article = write("养老金融的新机会", body="个人养老金账户开户人数持续增长。")
    body = found(anon, "养老金融")
    assert body["total"] == 1
    assert body["results"] == [
        {
            "kind": "article",
            "id": article.id,
            "title": "养老金融的新机会",
            "snippet": "<mark>养老金融</mark>的新机会",
            "match": "title",
        }
    ]


def test_the_text_and_tags_of_an_article_are_searched(anon, write):
    article = write("周报", body="本周**个人养老金**账户增长。", tags="监管动态")
    (hit,) = found(anon, "个人养老金")["results"]
    assert (hit["id"], hit["match"]) == (article.id, "description")
    assert "<mark>个人养老金</mark>" in hit["snippet"] and "**" not in hit["snippet"]
    (hit,) = found(anon, "监管动态")["results"]
    assert (hit["id"], hit["match"]) == (article.id, "keywords")


def test_a_draft_is_not_found(anon, write):
    write("养老金融草稿", published=False)
    assert found(anon, "养老金融")["total"] == 0


def test_an_article_taken_back_is_no_longer_found(anon, write):
    article = write("养老金融的新机会")
    articles.set_status(article, ArticleStatus.DRAFT)
    assert found(anon, "养老金融")["total"] == 0


def test_courses_and_articles_are_found_together(anon, make, write):
    from academy.search import services as search

    course = make.course(title="养老金融实务")
    search.index_course(course.id)
    article = write("养老金融观察")
    kinds = {(r["kind"], r["id"]) for r in found(anon, "养老金融")["results"]}
    assert kinds == {("course", course.id), ("article", article.id)}
    # a course filter leaves articles out
    only = found(anon, "养老金融", price="free")["results"]
    assert [(r["kind"], r["id"]) for r in only] == [("course", course.id)]


def test_the_results_page_links_to_the_article(anon, write):
    article = write("养老金融的新机会")
    html = anon.get("/search?q=养老金融").get_data(as_text=True)
    assert f'href="/articles/{article.id}"' in html
