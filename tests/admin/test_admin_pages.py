"""Admin pages: access rules, player settings, the viewing log."""

import pytest

from academy.learning.services import get_player_settings
from tests.factories import ApiClient, HonestPlayer
from tests.web import login, post_form

ADMIN_PAGES = ["/admin/", "/admin/learners"]
DEFAULT_FORM = {
    "max_rate": "1.0",
    "popups_per_50min": "3",
    "min_popups_per_lesson": "1",
    "heartbeat_seconds": "5",
    "tolerance_seconds": "2",
    "wrong_answer_rewind_seconds": "30",
}


def settings_form(**changes) -> dict:
    return {**DEFAULT_FORM, **changes}


@pytest.mark.parametrize("url", ADMIN_PAGES)
@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("learner", 403), ("instructor", 403), ("admin", 200)]
)
def test_only_admins_open_admin_pages(app, make, url, role, status):
    client = app.test_client()
    if role:
        login(client, make.user(f"{role}-a", role=role).username)
    assert client.get(url).status_code == status


@pytest.fixture
def admin_client(app, make):
    make.user("boss", role="admin")
    client = app.test_client()
    login(client, "boss")
    return client


def test_admin_changes_player_settings(admin_client):
    response = post_form(
        admin_client,
        "/admin/",
        settings_form(
            max_rate="1.25",
            popups_per_50min="5",
            min_popups_per_lesson="2",
            heartbeat_seconds="10",
            tolerance_seconds="1.5",
            knowledge_checks="y",
            wrong_answer_rewind_seconds="45",
        ),
        page="/admin/",
    )
    assert response.status_code == 302
    settings = get_player_settings()
    assert (
        settings.max_rate_centi,
        settings.popups_per_50min,
        settings.min_popups_per_lesson,
        settings.heartbeat_seconds,
        settings.tolerance_ms,
    ) == (125, 5, 2, 10, 1500)
    assert settings.knowledge_checks and settings.wrong_answer_rewind_seconds == 45


def test_out_of_range_settings_are_refused_in_chinese_and_nothing_changes(admin_client):
    response = post_form(
        admin_client,
        "/admin/",
        settings_form(max_rate="9"),
        page="/admin/",
    )
    assert response.status_code == 422
    assert "须在 0.5 到 3.0 之间" in response.get_data(as_text=True)
    assert get_player_settings().max_rate_centi == 100


def test_new_settings_apply_to_sessions_started_afterwards(app, make, admin_client, movable_clock):
    course = make.course(lessons=[600_000])
    make.user("viewer")
    viewer = ApiClient(app, "viewer")
    viewer.enroll(course.id)
    post_form(
        admin_client,
        "/admin/",
        settings_form(max_rate="1.5"),
        page="/admin/",
    )
    status, start = viewer.start(course.lessons[0].id)
    assert start["max_rate"] == 1.5
    movable_clock.advance(4)
    status, body = viewer.beat(start["session"], 1, 6.0, rate=1.5)
    assert body["verified"] == 6.0


def test_viewing_log_shows_every_event_of_a_learner(app, make, admin_client, movable_clock):
    course = make.course(lessons=[20_000])
    learner = make.user("watcher")
    api = ApiClient(app, "watcher")
    api.enroll(course.id)
    player = HonestPlayer(api, movable_clock, course.lessons[0].id)
    player.play_to_end()
    api.beat(player.session, 1, 5)  # a replay, refused and logged
    html = admin_client.get(
        f"/admin/learners/{learner.id}/lessons/{course.lessons[0].id}"
    ).get_data(as_text=True)
    for kind in ("start", "beat", "popup_issued", "popup_confirmed", "lesson_complete", "refused"):
        assert f">{kind}<" in html
    assert "stale_seq" in html
