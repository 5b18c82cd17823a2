"""The list and article pages for readers, and the studio's writing pages for staff."""

from __future__ import annotations

import io

import pytest

from academy.articles import services as articles
from academy.articles.models import Article
from academy.extensions import db
from tests.articles.conftest import png_bytes
from tests.web import login, post_form


def test_a_published_article_is_shown_rendered_and_sanitized(anon, write):
    article = write(body="**要点**\n\n<script>alert(1)</script>", tags="监管 资管")
    html = anon.get(f"/articles/{article.id}").get_data(as_text=True)
    assert "<strong>要点</strong>" in html and "alert(1)" not in html
    assert "资讯编辑" in html and "/articles?tag=%E7%9B%91%E7%AE%A1" in html


@pytest.mark.parametrize("who", ["anon", "reader"])
def test_a_draft_is_not_found_for_learners_and_visitors(request, write, who):
    draft = write(published=False)
    client = request.getfixturevalue(who)
    assert client.get(f"/articles/{draft.id}").status_code == 404
    assert draft.title not in client.get("/articles").get_data(as_text=True)


def test_staff_see_a_draft(staff, write):
    draft = write("未发布的稿子", published=False)
    html = staff.get(f"/articles/{draft.id}").get_data(as_text=True)
    assert "未发布的稿子" in html and "草稿" in html


def test_the_list_is_newest_first_a_page_at_a_time(anon, write):
    for n in range(articles.PAGE_SIZE + 2):
        write(f"第{n:02d}篇")
    first = anon.get("/articles").get_data(as_text=True)
    assert first.index("第11篇") < first.index("第10篇") and "第01篇" not in first
    second = anon.get("/articles?page=2").get_data(as_text=True)
    assert "第01篇" in second and "第00篇" in second and "第11篇" not in second


def test_the_list_filters_by_tag(anon, write):
    write("监管动态", tags="监管，政策")
    write("市场观察", tags="市场")
    html = anon.get("/articles?tag=监管").get_data(as_text=True)
    assert "监管动态" in html and "市场观察" not in html


def test_tags_are_split_trimmed_and_kept_once():
    assert articles.parse_tags(" 监管，政策、监管 , 市场 ") == ["监管", "政策", "市场"]


def test_the_header_links_to_articles(anon):
    assert 'href="/articles"' in anon.get("/").get_data(as_text=True)


STUDIO_PAGES = [
    ("get", "/studio/articles"),
    ("get", "/studio/articles/new"),
    ("post", "/studio/articles/new"),
    ("get", "/studio/articles/{id}"),
    ("post", "/studio/articles/{id}"),
    ("post", "/studio/articles/{id}/publish"),
    ("post", "/studio/articles/{id}/delete"),
]


@pytest.mark.parametrize(("method", "url"), STUDIO_PAGES)
def test_learners_may_not_write(reader, write, method, url):
    url = url.format(id=write(published=False).id)
    if method == "get":
        response = reader.get(url)
    else:
        response = post_form(reader, url, {"title": "x", "author_name": "x", "body": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "url"), STUDIO_PAGES)
def test_visitors_are_sent_to_log_in(anon, write, method, url):
    url = url.format(id=write(published=False).id)
    response = anon.get(url) if method == "get" else anon.post(url)
    assert response.status_code in (302, 400)  # a post without a CSRF token stops there
    assert db.session.query(Article).count() == 1


def test_an_instructor_writes_and_publishes_an_article(app, make, anon):
    make.user("teacher9", role="instructor", nickname="王老师")
    client = app.test_client()
    login(client, "teacher9")
    assert 'value="王老师"' in client.get("/studio/articles/new").get_data(as_text=True)
    response = post_form(
        client,
        "/studio/articles/new",
        {"title": "理财新规", "author_name": "王老师", "tags": "理财", "body": "正文"},
    )
    assert response.status_code == 302
    article = db.session.query(Article).one()
    assert not article.is_published
    post_form(client, f"/studio/articles/{article.id}/publish", {"publish": "1"})
    assert anon.get(f"/articles/{article.id}").status_code == 200
    assert "理财新规" in anon.get("/articles").get_data(as_text=True)


def test_missing_fields_are_said_in_chinese_beside_them(staff):
    response = post_form(
        staff, "/studio/articles/new", {"title": "", "author_name": "", "body": ""}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请填写标题。" in html and "请填写正文。" in html and "请填写作者。" in html
    assert db.session.query(Article).count() == 0


def test_a_cover_that_is_not_an_image_is_refused_beside_the_field(staff, write):
    article = write()
    response = post_form(
        staff,
        f"/studio/articles/{article.id}",
        {
            "title": article.title,
            "author_name": article.author_name,
            "body": article.body,
            "cover": (io.BytesIO(b"<svg onload=alert(1)></svg>"), "cover.png"),
        },
    )
    assert response.status_code == 422
    assert "封面须为 PNG 或 JPEG 图片。" in response.get_data(as_text=True)
    assert db.session.get(Article, article.id).cover_path == ""


def test_a_png_cover_is_stored_and_served(staff, anon, write):
    article = write()
    data = png_bytes()
    response = post_form(
        staff,
        f"/studio/articles/{article.id}",
        {
            "title": article.title,
            "author_name": article.author_name,
            "body": article.body,
            "cover": (io.BytesIO(data), "cover.png"),
        },
    )
    assert response.status_code == 302
    served = anon.get(f"/media/articles/{article.id}/cover")
    assert served.status_code == 200 and served.mimetype == "image/png" and served.data == data
    served.close()


def test_a_drafts_cover_is_hidden_from_visitors(anon, write):
    draft = write(published=False)
    articles.set_cover(draft, png_bytes())
    assert anon.get(f"/media/articles/{draft.id}/cover").status_code == 404


def test_editing_keeps_the_tags_as_typed(staff, write):
    article = write(tags="监管 政策")
    assert 'value="监管 政策"' in staff.get(f"/studio/articles/{article.id}").get_data(as_text=True)
    response = post_form(
        staff,
        f"/studio/articles/{article.id}",
        {"title": "新标题", "author_name": "署名", "body": "新正文", "tags": "市场"},
    )
    assert response.status_code == 302
    saved = db.session.get(Article, article.id)
    assert (saved.title, saved.author_name, saved.tag_names) == ("新标题", "署名", ["市场"])


def test_an_edit_that_keeps_tags_saves(staff, write):
    article = write(tags="基金 定投")
    response = post_form(
        staff,
        f"/studio/articles/{article.id}",
        {
            "title": article.title,
            "author_name": "署名",
            "body": "改过的正文",
            "tags": "定投 基金 养老",
        },
    )
    assert response.status_code == 302
    saved = db.session.get(Article, article.id)
    assert (saved.body, saved.tag_names) == ("改过的正文", ["定投", "基金", "养老"])


def test_a_refused_cover_saves_nothing_and_keeps_what_was_typed(staff):
    fields = {
        "title": "基金定投避坑指南",
        "author_name": "署名",
        "body": "正文一段",
        "tags": "定投",
    }
    response = post_form(
        staff,
        "/studio/articles/new",
        {**fields, "cover": (io.BytesIO(b"not a picture"), "cover.jpg")},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "封面须为 PNG 或 JPEG 图片。" in html
    assert 'value="基金定投避坑指南"' in html and "正文一段" in html
    assert db.session.query(Article).count() == 0  # saving again makes one article, not two
    assert post_form(staff, "/studio/articles/new", fields).status_code == 302
    assert db.session.query(Article).count() == 1


def test_an_instructor_changes_only_their_own_articles(app, make, write):
    colleagues = write(title="管理员的文章")
    make.user("teacher9", role="instructor")
    client = app.test_client()
    login(client, "teacher9")
    post_form(client, "/studio/articles/new", {"title": "自己的", "author_name": "王", "body": "x"})
    own = db.session.query(Article).filter_by(title="自己的").one()

    assert "管理员的文章" not in client.get("/studio/articles").get_data(as_text=True)
    edit = {"title": "改掉", "author_name": "x", "body": "x"}
    assert post_form(client, f"/studio/articles/{colleagues.id}", edit).status_code == 403
    withdraw = f"/studio/articles/{colleagues.id}/publish"
    assert post_form(client, withdraw, {"publish": "0"}).status_code == 403
    db.session.expire_all()
    assert (colleagues.title, colleagues.is_published) == ("管理员的文章", True)
    assert post_form(client, f"/studio/articles/{own.id}", edit).status_code == 302
    assert client.get(f"/articles/{colleagues.id}").status_code == 200  # still readable


def test_an_admin_edits_any_article(app, make, staff):
    make.user("teacher9", role="instructor")
    client = app.test_client()
    login(client, "teacher9")
    post_form(client, "/studio/articles/new", {"title": "讲师的", "author_name": "王", "body": "x"})
    article = db.session.query(Article).one()
    assert "讲师的" in staff.get("/studio/articles").get_data(as_text=True)
    edit = {"title": "编辑改过", "author_name": "王", "body": "x"}
    assert post_form(staff, f"/studio/articles/{article.id}", edit).status_code == 302
    assert db.session.get(Article, article.id).title == "编辑改过"


def test_pages_render_in_english(anon, write):
    article = write()
    assert "News" in anon.get("/articles?lang=en").get_data(as_text=True)
    assert anon.get(f"/articles/{article.id}?lang=en").status_code == 200


def test_the_publication_date_is_the_day_in_beijing(anon, write, movable_clock):
    movable_clock.advance(14 * 3600)  # 22:00 UTC on the 23rd is 06:00 on the 24th in Beijing
    article = write("清晨发布")
    for page in ("/articles", f"/articles/{article.id}"):
        html = anon.get(page).get_data(as_text=True)
        assert "2026-11-24" in html and "2026-11-23" not in html


def test_a_draft_is_deleted_a_published_article_is_taken_back_first(staff, anon, write):
    published = write(title="已发布的")
    draft = write(title="写错的草稿", published=False)
    response = post_form(staff, f"/studio/articles/{published.id}/delete")
    assert "请先撤回为草稿" in staff.get(response.headers["Location"]).get_data(as_text=True)
    assert anon.get(f"/articles/{published.id}").status_code == 200

    response = post_form(staff, f"/studio/articles/{draft.id}/delete")
    assert "已删除" in staff.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.get(Article, draft.id) is None
