"""The admin's export of a learner's statements: a JSON download on the learner's page, and the
same document from /api/v1 for programs; admins only."""

import json

import pytest

from academy.xapi import records
from academy.xapi import statements as xs
from tests.factories import ApiClient, HonestPlayer
from tests.web import login


@pytest.fixture
def watched(app, make, api, learner, movable_clock):
    """The learner watched a one-lesson course to the end; the site's address is set."""
    app.config["SITE_URL"] = "https://academy.example.com"
    course = make.course(lessons=[20_000])
    api.enroll(course.id)
    HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()
    return learner


def expected(user_id: int) -> list[dict]:
    return list(records.learner_statements(xs.Site.at("https://academy.example.com"), user_id))


def page_client(app, make, role: str | None):
    client = app.test_client()
    if role:
        login(client, make.user(f"{role}-x", role=role).username)
    return client


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("learner", 403), ("instructor", 403), ("admin", 200)]
)
def test_only_admins_download_a_learners_statements(app, make, watched, role, status):
    client = page_client(app, make, role)
    assert client.get(f"/admin/learners/{watched.id}/xapi.json").status_code == status


def test_the_download_is_a_json_attachment_named_after_the_learner(app, make, watched):
    response = page_client(app, make, "admin").get(f"/admin/learners/{watched.id}/xapi.json")
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="xapi-statements-user-{watched.id}.json"'
    )
    body = json.loads(response.get_data(as_text=True))
    assert body == {"user_id": watched.id, "statements": expected(watched.id)}
    verbs = [statement["verb"]["display"]["en-US"] for statement in body["statements"]]
    assert verbs[0] == "initialized" and verbs[-2:] == ["completed", "completed"]


def test_the_learners_page_links_to_the_download(app, make, watched):
    page = page_client(app, make, "admin").get(f"/admin/learners/{watched.id}")
    assert f'href="/admin/learners/{watched.id}/xapi.json"' in page.get_data(as_text=True)
    assert "导出 xAPI 记录" in page.get_data(as_text=True)


def test_a_missing_learner_is_404(app, make, watched):
    assert page_client(app, make, "admin").get("/admin/learners/999/xapi.json").status_code == 404


def test_admins_read_the_same_statements_from_the_api(app, make, watched):
    make.user("boss", role="admin")
    status, body = ApiClient(app, "boss").get(f"/api/v1/admin/learners/{watched.id}/statements")
    assert status == 200
    assert body == {"user_id": watched.id, "statements": expected(watched.id)}


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        (None, 401, "login_required"),
        ("learner", 403, "admin_required"),
        ("instructor", 403, "admin_required"),
    ],
)
def test_others_are_refused_by_the_api(app, make, watched, role, status, code):
    if role:
        make.user("someone", role=role)
        response = ApiClient(app, "someone").client.get(
            f"/api/v1/admin/learners/{watched.id}/statements"
        )
    else:
        response = app.test_client().get(f"/api/v1/admin/learners/{watched.id}/statements")
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code


def test_the_api_says_not_found_for_a_missing_learner(app, make, watched):
    make.user("boss", role="admin")
    status, body = ApiClient(app, "boss").get("/api/v1/admin/learners/999/statements")
    assert status == 404 and body["error"]["code"] == "not_found"


def test_without_a_site_address_the_export_names_the_address_asked(
    app, make, api, learner, movable_clock
):
    course = make.course(lessons=[20_000])
    api.enroll(course.id)
    HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()
    make.user("boss", role="admin")
    status, body = ApiClient(app, "boss").get(f"/api/v1/admin/learners/{learner.id}/statements")
    assert status == 200 and body["statements"]
    assert {s["actor"]["account"]["homePage"] for s in body["statements"]} == {"http://localhost"}
