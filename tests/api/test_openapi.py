"""The OpenAPI document of /api/v1: in step with the routes, served, and the app fuzzed against it.

The fuzzing sends every operation generated requests that fit the document and requests that do
not, anonymously and as a logged-in learner, and checks each answer: never a 5xx (ASVS 5.0
16.5.3 fail gracefully), a status and body the document lists (2.1.1 validation rules are
documented, 2.2.1 input validated against them), the documented content type (4.1.1).
ACADEMY_FUZZ_EXAMPLES raises the number of examples per operation for a deeper run.
"""

import os
import re

import pytest
import schemathesis

from academy.api.openapi import API, ERROR_CODES, document
from tests.factories import ApiClient
from tests.fuzz import Identity, fuzz

#: examples per operation and generation mode: ~2,100 requests, about 20 s on two cores
EXAMPLES = int(os.environ.get("ACADEMY_FUZZ_EXAMPLES", "20"))
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def api_routes(app) -> set[tuple[str, str]]:
    """(path in OpenAPI's spelling, method) of every /api/v1 rule the app has."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API + "/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            routes |= {(path, method) for method in rule.methods - IGNORED_METHODS}
    return routes


def documented_routes() -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, item in document()["paths"].items() for method in item}


def test_every_api_route_is_documented(app):
    assert api_routes(app) - documented_routes() == set()


def test_the_document_has_no_route_the_app_lacks(app):
    assert documented_routes() - api_routes(app) == set()


def test_every_documented_error_code_is_in_the_code_table():
    for item in document()["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                error = schema.get("properties", {}).get("error")
                for code in error["properties"]["code"]["enum"] if error else ():
                    assert ERROR_CODES[code][0] == int(status), (code, status)


def test_the_document_is_served_as_json(anon):
    response = anon.get(f"{API}/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == document()


@pytest.fixture
def api_schema(app):
    """The document as served, loaded by schemathesis to run against the app in process."""
    return schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)


def test_anonymous_requests_get_documented_answers_and_no_5xx(app, api_schema, make):
    make.course(lessons=[60_000])
    tally = fuzz(app, api_schema, examples=EXAMPLES)
    assert tally.requests > 0 and tally.server_errors == 0


@pytest.fixture
def enrolled(app, make, learner):
    """A learner with a session cookie and CSRF token, enrolled in a course with one lesson."""
    course = make.course(lessons=[60_000])
    client = ApiClient(app, "learner1")
    client.enroll(course.id)
    return client, course


def test_a_learners_requests_get_documented_answers_and_no_5xx(
    app, api_schema, enrolled, movable_clock
):
    client, course = enrolled
    lesson = course.lessons[0]
    # every beat example starts a fresh session, far more often than a person would
    app.config["WATCH_START_LIMIT"] = "100000/minute"

    def real_ids(label: str) -> dict:
        # Real ids, so requests reach the rules behind the lookups; a watch session is started
        # afresh for the beat and popup operations, which end no other operation's.
        if "/watch/{token}" in label:
            return {"token": client.start(lesson.id)[1]["session"]}
        return {"course_id": course.id, "lesson_id": lesson.id}

    tally = fuzz(
        app,
        api_schema,
        examples=EXAMPLES,
        identity=Identity(
            cookies={"session": client.client.get_cookie("session").value},
            headers={"X-CSRFToken": client.csrf},
            before_each=lambda: movable_clock.advance(1),
        ),
        path_parameters=real_ids,
        # logging out would end the login the rest of the run needs
        exclude=(f"POST {API}/auth/logout",),
    )
    assert tally.requests > 0 and tally.server_errors == 0
    # logged in throughout, and the generated beats reached a live session
    assert tally.answers[f"GET {API}/auth/me", 401] == 0 < tally.answers[f"GET {API}/auth/me", 200]
    assert tally.answers[f"POST {API}/watch/{{token}}/beat", 200] > 0
