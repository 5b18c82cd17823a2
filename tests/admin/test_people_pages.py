"""The admin's pages for people: learners apart from staff, and a viewing log in words."""

import pytest

from academy import clock
from academy.extensions import db
from tests.factories import ApiClient, HonestPlayer
from tests.web import login


@pytest.fixture
def admin_client(app, make):
    make.user("boss", role="admin")
    client = app.test_client()
    login(client, "boss")
    return client


@pytest.fixture
def people(make):
    make.user("learner-a")
    make.user("learner-b")
    make.user("teacher-a", role="instructor")


def _usernames(html: str) -> set[str]:
    """The accounts the list links to (the header also names the admin who is looking)."""
    names = ("learner-a", "learner-b", "teacher-a", "boss")
    return {name for name in names if f">{name}</a></td>" in html}


def test_the_learner_list_shows_learners_by_default(admin_client, people):
    html = admin_client.get("/admin/learners").get_data(as_text=True)
    assert _usernames(html) == {"learner-a", "learner-b"}
    assert "<td>学员</td>" in html and "learner</td>" not in html


@pytest.mark.parametrize(
    ("role", "names", "word"),
    [
        ("learner", {"learner-a", "learner-b"}, "学员"),
        ("instructor", {"teacher-a"}, "讲师"),
        ("admin", {"boss"}, "管理员"),
    ],
)
def test_the_learner_list_filters_by_role_in_words(admin_client, people, role, names, word):
    html = admin_client.get(f"/admin/learners?role={role}").get_data(as_text=True)
    assert _usernames(html) == names
    assert f"<td>{word}</td>" in html


def test_the_learner_list_says_which_accounts_are_disabled(admin_client, make):
    make.user("learner-a")
    stopped = make.user("learner-b")
    stopped.disabled_at = clock.now()
    db.session.commit()
    rows = admin_client.get("/admin/learners").get_data(as_text=True).split("<tr>")
    (row_a,) = [row for row in rows if ">learner-a</a>" in row]
    (row_b,) = [row for row in rows if ">learner-b</a>" in row]
    assert "已停用" in row_b and "已停用" not in row_a and "正常" in row_a


def test_an_unknown_role_shows_learners(admin_client, people):
    html = admin_client.get("/admin/learners?role=root").get_data(as_text=True)
    assert _usernames(html) == {"learner-a", "learner-b"}


def test_roles_are_translated(admin_client, people):
    html = admin_client.get("/admin/learners?role=instructor&lang=en").get_data(as_text=True)
    assert "<td>Instructor</td>" in html


def test_the_viewing_log_says_codes_in_words_and_times_in_beijing(
    app, make, admin_client, movable_clock
):
    course = make.course(lessons=[20_000])
    learner = make.user("watcher")
    api = ApiClient(app, "watcher")
    api.enroll(course.id)
    player = HonestPlayer(api, movable_clock, course.lessons[0].id)
    player.play_to_end()
    api.beat(player.session, 1, 5)  # a replay: refused as stale_seq and logged
    html = admin_client.get(
        f"/admin/learners/{learner.id}/lessons/{course.lessons[0].id}"
    ).get_data(as_text=True)
    assert "重复或过期的进度报告" in html and 'title="stale_seq"' in html
    assert "请求被拒绝" in html and "课时完成" in html
    # the movable clock starts at 08:00 UTC: 16:00 in Beijing, to the second, never UTC
    assert "2026-11-23 16:00:05" in html
    assert "UTC" not in html and "本页时间均为北京时间" in html
