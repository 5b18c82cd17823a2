"""/api/v1 reviews: posting within the bounds, the list and rating, deleting, reporting."""

from __future__ import annotations

import pytest

from academy.community import services as community
from tests.community.conftest import delete, report_rows, reviews_url, stored
from tests.factories import ApiClient

EMOJI = "\U0001f600"  # four bytes in UTF-8


def test_an_enrolled_learner_posts_a_review_with_a_rating(api, course):
    status, body = api.post(reviews_url(course), {"text": "  讲得很清楚，案例实用。 ", "rating": 5})
    assert status == 201
    review = body["review"]
    assert review["text"] == "讲得很清楚，案例实用。"  # trimmed, otherwise as typed
    assert review["rating"] == 5 and review["user"] == "learner1" and review["mine"]
    assert review["created_at"].endswith("Z")


def test_a_rating_is_optional(api, course):
    status, body = api.post(reviews_url(course), {"text": "不错"})
    assert status == 201 and body["review"]["rating"] is None


def test_150_four_byte_emoji_are_150_characters_and_accepted(api, course):
    status, body = api.post(reviews_url(course), {"text": EMOJI * 150})
    assert status == 201 and body["review"]["text"] == EMOJI * 150


def test_151_characters_are_refused_with_a_clear_message(api, course):
    status, body = api.post(reviews_url(course), {"text": "好" * 151})
    assert status == 422 and body["error"]["code"] == "too_long"
    assert "150" in body["error"]["message"] and "151" in body["error"]["message"]


def test_a_line_break_counts_as_one_character(api, course):
    status, _body = api.post(reviews_url(course), {"text": "好\r\n" * 74 + "好好"})
    assert status == 201  # 150 characters once \r\n is one line break, as the counter counts


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_text_is_refused(api, course, text):
    status, body = api.post(reviews_url(course), {"text": text})
    assert status == 422 and body["error"]["code"] == "empty_text"


@pytest.mark.parametrize("rating", [0, 6, -1, 10**30])
def test_a_rating_outside_1_to_5_is_refused(api, course, rating):
    status, body = api.post(reviews_url(course), {"text": "好", "rating": rating})
    assert status == 422 and body["error"]["code"] in ("invalid_rating", "invalid_field")


@pytest.mark.parametrize("rating", ["5", 4.5, True])
def test_a_rating_that_is_no_integer_is_refused(api, course, rating):
    status, body = api.post(reviews_url(course), {"text": "好", "rating": rating})
    assert status == 422 and body["error"]["code"] == "invalid_field"


def test_control_characters_are_refused(api, course):
    status, body = api.post(reviews_url(course), {"text": "好\x00课"})
    assert status == 422 and body["error"]["code"] == "invalid_text"


def test_a_learner_not_enrolled_cannot_post(app, make, course):
    make.user("stranger")
    status, body = ApiClient(app, "stranger").post(reviews_url(course), {"text": "路过"})
    assert status == 403 and body["error"]["code"] == "not_enrolled"


def test_an_anonymous_post_is_refused_and_stores_nothing(anon, course):
    # no session: the CSRF check refuses it before the login check would
    assert anon.post(reviews_url(course), json={"text": "匿名"}).status_code in (400, 401)
    assert anon.get(reviews_url(course)).get_json()["count"] == 0


def test_html_comes_back_as_typed_text_in_json(api, anon, course):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    api.post(reviews_url(course), {"text": hostile})
    response = anon.get(reviews_url(course))
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_json()["reviews"][0]["text"] == hostile


def test_posting_is_limited_per_account(app, api, course):
    app.config["COMMENT_LIMIT"] = "3/minute"
    statuses = [api.post(reviews_url(course), {"text": f"第{n}条"})[0] for n in range(4)]
    assert statuses == [201, 201, 201, 429]
    status, body = api.post(reviews_url(course), {"text": "再来"})
    assert status == 429 and body["error"]["code"] == "too_many_requests"
    assert api.get(reviews_url(course))[0] == 200  # reading is not limited


def test_reviews_are_paged_newest_first(api, course, movable_clock):
    for n in range(12):
        movable_clock.advance(60)
        community.post_review(api_user(api), course, f"第{n}条")
    status, first = api.get(reviews_url(course))
    assert status == 200 and first["count"] == 12 and first["pages"] == 2
    assert [r["text"] for r in first["reviews"]] == [f"第{n}条" for n in range(11, 1, -1)]
    second = api.get(reviews_url(course) + "?page=2")[1]
    assert [r["text"] for r in second["reviews"]] == ["第1条", "第0条"]
    # past the last page is the last page; nonsense is the first
    assert api.get(reviews_url(course) + "?page=99999999999999999999")[1]["page"] == 2
    assert api.get(reviews_url(course) + "?page=abc")[1]["page"] == 1


def api_user(api: ApiClient):
    from academy.auth.models import User
    from academy.extensions import db

    return db.session.query(User).filter_by(username="learner1").one()


def test_the_average_is_of_the_visible_ratings(api, other, course, make, app):
    third = make.user("learner3")
    make.enrol(third, course)
    api.post(reviews_url(course), {"text": "好", "rating": 5})
    ApiClient(app, "learner3").post(reviews_url(course), {"text": "还行", "rating": 4})
    api.post(reviews_url(course), {"text": "没打分"})
    hidden = other.post(reviews_url(course), {"text": "差", "rating": 1})[1]["review"]
    admin = make.user("admin1", role="admin")
    community.hide_review(admin.id, hidden["id"])
    body = api.get(reviews_url(course))[1]
    assert body["average"] == 4.5 and body["count"] == 3


def test_a_learner_s_stars_count_once_however_often_they_comment(api, other, course):
    for _ in range(4):
        assert api.post(reviews_url(course), {"text": "五星好课", "rating": 5})[0] == 201
    other.post(reviews_url(course), {"text": "一般", "rating": 2})
    body = api.get(reviews_url(course))[1]
    assert body["count"] == 5 and body["average"] == 3.5  # (5 + 2) / 2, not (4 × 5 + 2) / 5
    api.post(reviews_url(course), {"text": "再看一遍，改为三星", "rating": 3})
    api.post(reviews_url(course), {"text": "补充一句，不打分"})
    assert api.get(reviews_url(course))[1]["average"] == 2.5  # the latest stars replace


def test_a_course_without_reviews_has_no_average(anon, course):
    body = anon.get(reviews_url(course)).get_json()
    assert body == {"reviews": [], "average": None, "count": 0, "page": 1, "pages": 1}


def test_an_unpublished_course_has_no_reviews(anon, make):
    draft = make.course(published=False)
    assert anon.get(reviews_url(draft)).status_code == 404


def test_the_author_deletes_their_review(api, course):
    review = api.post(reviews_url(course), {"text": "删掉我"})[1]["review"]
    assert delete(api, f"/api/v1/reviews/{review['id']}")[0] == 204
    assert stored(review["id"]) is None


def test_someone_elses_review_cannot_be_deleted(api, other, course):
    review = api.post(reviews_url(course), {"text": "我的评价"})[1]["review"]
    status, body = delete(other, f"/api/v1/reviews/{review['id']}")
    assert status == 404 and body["error"]["code"] == "not_found"
    assert stored(review["id"]) is not None


def test_a_reported_review_is_deleted_with_its_reports(api, other, course):
    review = api.post(reviews_url(course), {"text": "被举报"})[1]["review"]
    other.post(f"/api/v1/reviews/{review['id']}/report")
    assert delete(api, f"/api/v1/reviews/{review['id']}")[0] == 204
    assert report_rows(review["id"]) == 0


def test_reporting_twice_counts_once(api, other, course):
    review = api.post(reviews_url(course), {"text": "有争议"})[1]["review"]
    first = other.post(f"/api/v1/reviews/{review['id']}/report")
    second = other.post(f"/api/v1/reviews/{review['id']}/report")
    assert (first[0], first[1]["created"]) == (201, True)
    assert (second[0], second[1]["created"]) == (200, False)
    assert report_rows(review["id"]) == 1


def test_one_s_own_review_is_not_reported(api, course):
    review = api.post(reviews_url(course), {"text": "我自己的"})[1]["review"]
    status, body = api.post(f"/api/v1/reviews/{review['id']}/report")
    assert (status, body["error"]["code"]) == (409, "own_review")
    assert report_rows(review["id"]) == 0


def test_the_database_refuses_a_second_report(api, other, course):
    from sqlalchemy.exc import IntegrityError

    from academy.community.models import ReviewReport
    from academy.extensions import db

    review = api.post(reviews_url(course), {"text": "有争议"})[1]["review"]
    other.post(f"/api/v1/reviews/{review['id']}/report")
    db.session.add(ReviewReport(review_id=review["id"], user_id=api_user(api).id + 1))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_missing_review_cannot_be_reported(api):
    assert api.post("/api/v1/reviews/999/report")[0] == 404


def test_a_hidden_review_vanishes_for_others_but_not_its_author(api, other, anon, course, make):
    review = api.post(reviews_url(course), {"text": "违规内容"})[1]["review"]
    community.hide_review(make.user("admin1", role="admin").id, review["id"])
    assert anon.get(reviews_url(course)).get_json()["reviews"] == []
    assert other.get(reviews_url(course))[1]["reviews"] == []
    mine = api.get(reviews_url(course))[1]
    assert [(r["id"], r["hidden"]) for r in mine["reviews"]] == [(review["id"], True)]
    assert mine["count"] == 0
    assert other.post(f"/api/v1/reviews/{review['id']}/report")[0] == 404
