"""The watch protocol through the API, played honestly."""

import pytest

from academy.extensions import db
from academy.learning.models import Popup
from tests.factories import HonestPlayer


@pytest.fixture
def course(make):
    return make.course(lessons=[40_000], credits={"afp-cfp": 150})


def test_login_returns_user_and_csrf_token(app, learner):
    client = app.test_client()
    response = client.post(
        "/api/v1/auth/login", json={"username": "learner1", "password": "correct-horse-1"}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["user"]["username"] == "learner1"
    assert body["csrf_token"]


def test_wrong_password_is_a_json_401(app, learner):
    response = app.test_client().post(
        "/api/v1/auth/login", json={"username": "learner1", "password": "nope"}
    )
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"


def test_a_write_without_csrf_token_is_refused(api, course):
    status, body = api.post(f"/api/v1/courses/{course.id}/enroll", csrf=False)
    assert status == 400
    assert body["error"]["code"] == "csrf_failed"


def test_an_anonymous_write_is_told_to_log_in(app, course):
    response = app.test_client().post(f"/api/v1/courses/{course.id}/enroll", json={})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "login_required"


def test_courses_list_shows_price_hours_and_lessons(api, course):
    status, body = api.get("/api/v1/courses")
    assert status == 200
    (listed,) = body["courses"]
    assert listed["id"] == course.id
    assert listed["price"] == "0.00"
    assert listed["hours"][0]["hours"] == 1.5
    assert listed["lessons"][0]["duration"] == 40.0


def test_enrolling_in_a_free_course_gives_201_then_200(api, course):
    assert api.enroll(course.id)[0] == 201
    assert api.enroll(course.id)[0] == 200


def test_enrolling_in_a_paid_course_is_refused_until_commerce(api, make):
    paid = make.course(price_fen=9900)
    status, body = api.enroll(paid.id)
    assert status == 403
    assert body["error"]["code"] == "purchase_required"


def test_watching_needs_enrolment(api, course):
    status, body = api.start(course.lessons[0].id)
    assert status == 403
    assert body["error"]["code"] == "not_enrolled" and "报名" in body["error"]["message"]


def test_watching_a_paid_course_not_owned_says_to_buy_it(app, api, make):
    paid = make.course(price_fen=9900, lessons=[60_000])
    status, body = api.start(paid.lessons[0].id)
    assert (status, body["error"]["code"]) == (403, "not_enrolled")
    assert "购买" in body["error"]["message"]
    page = api.client.get(f"/learn/lessons/{paid.lessons[0].id}", follow_redirects=True)
    assert "这是付费课程：购买" in page.get_data(as_text=True)


def test_anonymous_api_calls_get_a_json_401(anon, course):
    response = anon.get("/api/v1/me/progress")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "login_required"


def test_start_returns_session_and_rules(api, course):
    api.enroll(course.id)
    status, body = api.start(course.lessons[0].id)
    assert status == 201
    assert set(body) >= {"session", "duration", "verified", "max_rate", "heartbeat_every"}
    assert body["duration"] == 40.0 and body["verified"] == 0 and body["max_rate"] == 1.0


def test_start_response_does_not_reveal_popup_times(api, course):
    api.enroll(course.id)
    status, body = api.start(course.lessons[0].id)
    text = str(body)
    popup = db.session.query(Popup).one()
    assert str(popup.at_ms) not in text and popup.token not in text


def test_honest_playback_completes_and_awards_hours_once(api, course, movable_clock):
    api.enroll(course.id)
    player = HonestPlayer(api, movable_clock, course.lessons[0].id)
    final = player.play_to_end()
    assert final["lesson_complete"] and final["course_complete"]
    assert [a["hours"] for a in final["awarded"]] == [1.5]
    assert len(player.popups_seen) == 1
    status, credits = api.get("/api/v1/me/credits")
    assert credits["totals"] == {"afp-cfp": 1.5}
    assert len(credits["entries"]) == 1
    # Playing it again awards nothing more.
    HonestPlayer(api, movable_clock, course.lessons[0].id)
    assert api.get("/api/v1/me/credits")[1]["totals"] == {"afp-cfp": 1.5}


def test_popup_is_issued_when_verified_reaches_it_and_progress_waits(api, course, movable_clock):
    api.enroll(course.id)
    lesson = course.lessons[0]
    status, start = api.start(lesson.id)
    popup = db.session.query(Popup).one()
    seq, position = 0, 0.0
    while True:
        movable_clock.advance(1)
        position += 1
        seq += 1
        status, body = api.beat(start["session"], seq, position)
        if body["popup"]:
            break
    assert body["verified"] == popup.at_ms / 1000
    assert body["popup"]["id"] == popup.token and body["popup"]["kind"] == "confirm"
    assert "继续学习" in body["popup"]["prompt"]
    assert set(body["popup"]) == {"id", "kind", "prompt"}
    # While the popup is open, more playing earns nothing.
    movable_clock.advance(3)
    status, body = api.beat(start["session"], seq + 1, position + 3)
    assert body["verified"] == popup.at_ms / 1000
    status, body = api.confirm(start["session"], popup.token)
    assert status == 200 and body["confirmed"]


def test_progress_resumes_from_verified_in_a_new_session(api, course, movable_clock):
    api.enroll(course.id)
    lesson = course.lessons[0]
    status, first = api.start(lesson.id)
    movable_clock.advance(2)
    api.beat(first["session"], 1, 2.0)
    status, second = api.start(lesson.id)
    assert second["verified"] == 2.0


def test_me_progress_lists_verified_per_lesson(api, course, movable_clock):
    api.enroll(course.id)
    lesson = course.lessons[0]
    status, start = api.start(lesson.id)
    movable_clock.advance(2)
    api.beat(start["session"], 1, 2.0)
    status, body = api.get("/api/v1/me/progress")
    assert body["lessons"] == [
        {
            "lesson_id": lesson.id,
            "course_id": course.id,
            "verified": 2.0,
            "duration": 40.0,
            "complete": False,
        }
    ]


def test_course_with_several_lessons_completes_only_after_the_last(api, make, movable_clock):
    course = make.course(lessons=[20_000, 20_000], credits={"afp-cfp": 100, "ctp": 50})
    api.enroll(course.id)
    first = HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()
    assert first["lesson_complete"] and not first["course_complete"] and first["awarded"] == []
    second = HonestPlayer(api, movable_clock, course.lessons[1].id).play_to_end()
    assert second["course_complete"]
    assert sorted((a["credit_type"], a["hours"]) for a in second["awarded"]) == [
        ("afp-cfp", 1.0),
        ("ctp", 0.5),
    ]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"seq": 1, "position": "10", "rate": 1}, "invalid_field"),
        ({"seq": True, "position": 1, "rate": 1}, "invalid_field"),
        ({"position": 1, "rate": 1}, "missing_field"),
        ({"seq": 1, "position": -5, "rate": 1}, "invalid_field"),
        ({"seq": 0, "position": 1, "rate": 1}, "invalid_field"),
        ({"seq": 1, "position": 1, "rate": 1e9}, "invalid_field"),
    ],
)
def test_malformed_beats_get_a_422_with_a_code(api, course, body, code):
    api.enroll(course.id)
    status, start = api.start(course.lessons[0].id)
    status, reply = api.post(f"/api/v1/watch/{start['session']}/beat", body)
    assert status == 422
    assert reply["error"]["code"] == code


def test_a_beat_that_is_not_json_gets_a_400(api, course):
    api.enroll(course.id)
    status, start = api.start(course.lessons[0].id)
    response = api.client.post(
        f"/api/v1/watch/{start['session']}/beat", data="x", headers={"X-CSRFToken": api.csrf}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("asked", ["nan", "inf", "-5", "1e400"])
def test_a_start_time_that_is_no_place_in_the_video_is_ignored(api, course, asked):
    api.enroll(course.id)
    page = api.client.get(f"/learn/lessons/{course.lessons[0].id}?t={asked}")
    assert page.status_code == 200 and "data-start-at" not in page.get_data(as_text=True)
    page = api.client.get(f"/learn/lessons/{course.lessons[0].id}?t=12.5")
    assert 'data-start-at="12.5"' in page.get_data(as_text=True)
