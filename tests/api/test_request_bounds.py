"""Bounded input (academy/request_bounds.py, academy/api): every bound answers a 4xx, never a 5xx.

ASVS 5.0 2.2.1 (input validated against ranges and structure), 15.2.2 (defences against
resource-demanding input), 16.5.3 (fail gracefully: no exception becomes a 500).
"""

import json

import pytest

from tests.factories import put_chunk

TOO_BIG_FOR_A_DATABASE = 2**63
JSON_HEADERS = {"Content-Type": "application/json"}


@pytest.fixture
def lesson(api, make):
    course = make.course(lessons=[60_000])
    api.enroll(course.id)
    return course.lessons[0]


@pytest.fixture
def session(api, lesson) -> str:
    return api.start(lesson.id)[1]["session"]


def post_raw(api, url: str, body: str):
    response = api.client.post(url, data=body, headers={**JSON_HEADERS, "X-CSRFToken": api.csrf})
    return response.status_code, response.get_json()


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/courses/{TOO_BIG_FOR_A_DATABASE}",
        f"/api/v1/courses/{2**64}/enroll",
    ],
)
def test_asvs_2_2_1_an_api_id_beyond_the_database_is_a_json_404(api, path):
    response = api.client.open(
        path, method="POST" if "enroll" in path else "GET", headers={"X-CSRFToken": api.csrf}
    )
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "path", [f"/courses/{TOO_BIG_FOR_A_DATABASE}", f"/learn/lessons/{TOO_BIG_FOR_A_DATABASE}"]
)
def test_asvs_2_2_1_a_page_id_beyond_the_database_is_a_404_page(api, path):
    response = api.client.get(path)
    assert response.status_code == 404 and response.mimetype == "text/html"


@pytest.mark.parametrize("seq", [TOO_BIG_FOR_A_DATABASE, 2**31])
def test_asvs_2_2_1_a_beat_seq_beyond_the_range_is_an_invalid_field(api, session, seq):
    status, body = api.beat(session, seq, 0)
    assert status == 422 and body["error"]["code"] == "invalid_field"


@pytest.mark.parametrize("answer", [-1, 100, TOO_BIG_FOR_A_DATABASE])
def test_asvs_2_2_1_a_popup_answer_beyond_the_range_is_an_invalid_field(api, session, answer):
    status, body = api.confirm(session, "any-popup", answer=answer)
    assert status == 422 and body["error"]["code"] == "invalid_field"


def test_asvs_2_2_1_an_upload_size_wider_than_any_integer_column_is_an_invalid_field(
    studio_api, draft
):
    course, lesson = draft
    status, body = studio_api.post(
        f"/api/v1/lessons/{lesson.id}/uploads", {"filename": "a.mp4", "size": 2**64}
    )
    assert status == 422 and body["error"]["code"] == "invalid_field"


def test_asvs_15_2_2_json_nested_past_any_parser_is_a_400_not_a_recursion_error(api, session):
    status, body = post_raw(api, f"/api/v1/watch/{session}/beat", "[" * 30_000 + "]" * 30_000)
    assert status == 400 and body["error"]["code"] == "invalid_json"


def test_asvs_15_2_2_json_nested_past_the_setting_is_a_400(api, app, session):
    depth = app.config["JSON_MAX_DEPTH"]
    nested = {"seq": 1, "position": 0, "rate": 1}
    for _ in range(depth):
        nested = {"seq": 1, "position": 0, "rate": 1, "extra": nested}
    status, body = post_raw(api, f"/api/v1/watch/{session}/beat", json.dumps(nested))
    assert status == 400 and body["error"]["code"] == "invalid_json"
    assert str(depth) in body["error"]["message"]


def test_asvs_2_2_1_nan_is_not_json(api, session):
    status, body = post_raw(
        api, f"/api/v1/watch/{session}/beat", '{"seq": 1, "position": NaN, "rate": 1}'
    )
    assert status == 400 and body["error"]["code"] == "invalid_json"


def test_asvs_2_2_1_a_lone_surrogate_is_refused_before_the_database(app, learner):
    response = app.test_client().post(
        "/api/v1/auth/login",
        data='{"username": "\\ud800", "password": "x"}',
        headers=JSON_HEADERS,
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


def test_asvs_15_2_2_an_api_body_over_the_limit_is_a_413_but_an_upload_chunk_is_taken(
    app, studio_api, draft
):
    big = json.dumps({"username": "x" * app.config["MAX_CONTENT_LENGTH"], "password": "x"})
    response = app.test_client().post("/api/v1/auth/login", data=big, headers=JSON_HEADERS)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    # the studio's chunks are larger than any other body, and still arrive
    chunk = app.config["UPLOAD_CHUNK_BYTES"]
    course, lesson = draft
    status, body = studio_api.post(
        f"/api/v1/lessons/{lesson.id}/uploads", {"filename": "a.mp4", "size": 2 * chunk}
    )
    status, body = put_chunk(studio_api, body["upload"], 0, b"\0" * chunk)
    assert status == 200 and body["received"] == chunk


def test_asvs_15_2_2_a_json_body_over_its_own_smaller_limit_is_a_413(app, api, session):
    """A megabyte of "[[],[],...]" would cost half a second to parse: JSON has JSON_MAX_BYTES."""
    body = "[" + ",".join(["[]"] * (app.config["JSON_MAX_BYTES"] // 3 + 1)) + "]"
    assert len(body) < app.config["MAX_CONTENT_LENGTH"]
    status, reply = post_raw(api, f"/api/v1/watch/{session}/beat", body)
    assert status == 413 and reply["error"]["code"] == "payload_too_large"
