"""The course page's 评价 tab, and moderation at /admin/comments."""

from __future__ import annotations

import re

import pytest

from academy.community import services as community
from tests.community.conftest import reviews_url, stored
from tests.web import login, post_form

HOSTILE = '<script>alert("x")</script><b onmouseover=alert(1)>粗体</b>'


@pytest.fixture
def page(app, learner, course):
    """A browser-like client logged in as the enrolled learner."""
    client = app.test_client()
    login(client, "learner1")
    return client


def course_page(client, course, **args) -> str:
    return client.get(f"/courses/{course.id}", query_string=args).get_data(as_text=True)


def test_an_enrolled_learner_sees_the_form_with_its_counter(page, course):
    html = course_page(page, course)
    assert f'action="/courses/{course.id}/reviews"' in html
    assert "data-review-counter" in html and ">0/150<" in html
    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    assert "maxlength" not in textarea  # a browser counts an emoji as two; the counter does not


def test_a_visitor_sees_reviews_but_no_form(anon, api, course):
    api.post(reviews_url(course), {"text": "推荐", "rating": 4})
    html = course_page(anon, course)
    assert "推荐" in html and "data-review-form" not in html


def test_posting_from_the_page_lists_the_review_with_name_date_and_rating(
    page, course, movable_clock
):
    response = post_form(
        page,
        f"/courses/{course.id}/reviews",
        {"text": "讲得透彻", "rating": "4"},
        page=f"/courses/{course.id}",
    )
    assert response.status_code == 302 and response.location.endswith("#comments")
    html = course_page(page, course)
    assert "讲得透彻" in html and "learner1" in html
    assert "2026-11-23 16:00" in html  # 08:00 UTC on the movable clock, in Beijing time
    assert 'aria-label="4 星"' in html


def test_a_refused_post_says_why_beside_the_field_and_keeps_the_text(page, course):
    post_form(page, f"/courses/{course.id}/reviews", {"text": "长" * 151, "rating": "4"})
    html = course_page(page, course)
    assert (
        '<span id="review-text-error" class="field-error">评价最多 150 个字，当前 151 个字。</span>'
        in html
    )
    assert (
        'aria-invalid="true" aria-describedby="review-text-error">' + "长" * 151 + "</textarea>"
        in html
    )
    assert '<option value="4" selected>' in html
    assert "data-review=" not in html  # nothing was posted
    # shown once: the next visit has an empty form again
    assert "review-text-error" not in course_page(page, course)


def test_html_in_a_review_is_shown_escaped(api, anon, course):
    api.post(reviews_url(course), {"text": HOSTILE})
    html = course_page(anon, course)
    assert HOSTILE not in html and "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b onmouseover=alert(1)&gt;" in html


def test_the_header_shows_the_average_and_count(api, other, anon, course):
    api.post(reviews_url(course), {"text": "好", "rating": 5})
    other.post(reviews_url(course), {"text": "一般", "rating": 2})
    html = course_page(anon, course)
    assert "<strong>3.5</strong>" in html and "2 条评价" in html


def test_pages_of_reviews_link_to_each_other(api, anon, course, learner, movable_clock):
    for n in range(11):
        movable_clock.advance(1)
        community.post_review(learner, course, f"评价{n:02d}")
    first = course_page(anon, course)
    assert "评价10" in first and "评价00" not in first and "reviews_page=2#comments" in first
    second = course_page(anon, course, reviews_page=2)
    assert "评价00" in second and "评价10" not in second


def test_the_author_deletes_from_the_page(page, api, course):
    review = api.post(reviews_url(course), {"text": "删除我"})[1]["review"]
    response = post_form(page, f"/reviews/{review['id']}/delete")
    assert response.status_code == 302 and stored(review["id"]) is None


def test_someone_elses_review_cannot_be_deleted_from_the_page(app, other, course, make):
    review = other.post(reviews_url(course), {"text": "别人的"})[1]["review"]
    make.user("learner3")
    client = app.test_client()
    login(client, "learner3")
    assert post_form(client, f"/reviews/{review['id']}/delete").status_code == 404
    assert stored(review["id"]) is not None


def test_the_author_is_told_their_review_was_hidden(page, anon, api, course, make):
    review = api.post(reviews_url(course), {"text": "被隐藏的评价"})[1]["review"]
    community.hide_review(make.user("admin1", role="admin").id, review["id"])
    assert "被隐藏的评价" not in course_page(anon, course)
    html = course_page(page, course)
    assert "被隐藏的评价" in html and "这条评价已被管理员隐藏" in html


# moderation


@pytest.fixture
def reported(api, other, course):
    review = api.post(reviews_url(course), {"text": "广告：加微信"})[1]["review"]
    other.post(f"/api/v1/reviews/{review['id']}/report")
    return review


@pytest.fixture
def admin_page(app, make):
    make.user("admin1", role="admin")
    client = app.test_client()
    login(client, "admin1")
    return client


@pytest.mark.parametrize("role", ["learner", "instructor"])
def test_only_admins_moderate(app, make, reported, role):
    make.user("someone", role=role)
    client = app.test_client()
    login(client, "someone")
    assert client.get("/admin/comments").status_code == 403
    assert post_form(client, f"/admin/comments/{reported['id']}/hide").status_code == 403
    assert not stored(reported["id"]).hidden


def test_a_visitor_is_sent_to_log_in(anon, reported):
    response = anon.get("/admin/comments")
    assert response.status_code == 302 and "/login" in response.location


def test_the_admin_sees_reported_reviews_with_their_count(admin_page, reported):
    html = admin_page.get("/admin/comments").get_data(as_text=True)
    assert "广告：加微信" in html and "<td>1</td>" in html


def test_the_admin_finds_and_hides_a_review_nobody_reported(admin_page, api, anon, course):
    unreported = api.post(reviews_url(course), {"text": "辱骂内容"})[1]["review"]
    assert "辱骂内容" not in admin_page.get("/admin/comments").get_data(as_text=True)
    html = admin_page.get("/admin/comments?show=all").get_data(as_text=True)
    assert "辱骂内容" in html
    response = post_form(
        admin_page, f"/admin/comments/{unreported['id']}/hide", {"show": "all", "page": "1"}
    )
    assert "show=all" in response.headers["Location"]  # back on the same list
    assert anon.get(reviews_url(course)).get_json()["reviews"] == []


def test_the_admin_hides_and_restores_a_review(admin_page, anon, reported, course):
    url = f"/admin/comments/{reported['id']}"
    assert post_form(admin_page, f"{url}/hide").status_code == 302
    assert anon.get(reviews_url(course)).get_json()["reviews"] == []
    assert "已隐藏" in admin_page.get("/admin/comments").get_data(as_text=True)
    assert post_form(admin_page, f"{url}/restore").status_code == 302
    assert [r["id"] for r in anon.get(reviews_url(course)).get_json()["reviews"]] == [
        reported["id"]
    ]


def test_hiding_twice_is_refused(admin_page, reported):
    post_form(admin_page, f"/admin/comments/{reported['id']}/hide")
    post_form(admin_page, f"/admin/comments/{reported['id']}/hide")
    assert "该评价已是这个状态。" in admin_page.get("/admin/comments").get_data(as_text=True)


def test_posting_from_the_page_is_limited(app, page, course):
    app.config["COMMENT_LIMIT"] = "2/minute"
    statuses = [
        post_form(page, f"/courses/{course.id}/reviews", {"text": f"第{n}条"}).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_a_form_over_the_limit_shows_back_what_was_typed_and_when_to_retry(app, page, course):
    app.config["COMMENT_LIMIT"] = "1/minute"
    post_form(page, f"/courses/{course.id}/reviews", {"text": "第一条"})
    typed = "这门课的案例<很>实用，建议多讲讲受益所有人。"
    response = post_form(page, f"/courses/{course.id}/reviews", {"text": typed, "rating": "5"})
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "这门课的案例&lt;很&gt;实用" in html  # shown back, escaped, to copy
    assert re.search(r"请在 \d+ 秒后再提交", html)
    shown = re.findall(r"<textarea[^>]*readonly[^>]*>([^<]*)</textarea>", html)
    assert shown == ["这门课的案例&lt;很&gt;实用，建议多讲讲受益所有人。", "5"]  # no token
