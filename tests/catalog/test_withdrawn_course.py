"""A course taken back to draft after learners enrolled: they keep it (the course page, the
player, the media, the AI material, their questions and reviews) and can still earn its hours;
no one else finds it, and no one can newly enrol, buy or claim it."""

import pytest

from academy.catalog import services as catalog
from academy.credits.models import CreditEntry
from academy.extensions import db
from tests.factories import ApiClient, HonestPlayer
from tests.web import login


@pytest.fixture
def course(make, instructor, api):
    course = make.course(
        lessons=[20_000], instructor_id=instructor.instructor_profile.id, credits={"afp-cfp": 150}
    )
    make.insight(course.lessons[0])
    api.enroll(course.id)
    catalog.set_published(course, False)
    return course


def test_its_learner_keeps_it_and_earns_the_hours(api, course, movable_clock):
    lesson = course.lessons[0]
    page = api.client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert 'id="course-draft">本课程已撤回为草稿' in page
    assert "免费报名" not in page and "开始学习" in page
    for url in (
        f"/learn/lessons/{lesson.id}",
        f"/lessons/{lesson.id}/transcript",
        f"/lessons/{lesson.id}/mindmap.svg",
    ):
        assert api.client.get(url).status_code == 200, url
    assert api.get(f"/api/v1/courses/{course.id}")[0] == 200

    done = HonestPlayer(api, movable_clock, lesson.id).play_to_end()

    assert done["course_complete"]
    assert [(e.kind, e.centihours) for e in db.session.query(CreditEntry)] == [("award", 150)]
    status, body = api.post(f"/api/v1/courses/{course.id}/questions", {"text": "还能看回放吗？"})
    assert status == 201, body


@pytest.mark.parametrize("who", ["visitor", "stranger"])
def test_no_one_else_finds_it(app, make, course, who):
    client = app.test_client()
    if who == "stranger":
        make.user("stranger")
        login(client, "stranger")
    lesson = course.lessons[0]
    for url in (
        f"/courses/{course.id}",
        f"/learn/lessons/{lesson.id}",
        f"/media/lessons/{lesson.id}",
        f"/lessons/{lesson.id}/transcript",
        f"/api/v1/courses/{course.id}",
    ):
        status = client.get(url).status_code
        assert status in ((404,) if who == "stranger" else (404, 302)), (url, status)


def test_no_one_newly_enrols(app, make, course):
    make.user("latecomer")
    latecomer = ApiClient(app, "latecomer")
    status, body = latecomer.post(f"/api/v1/courses/{course.id}/enroll")
    assert (status, body["error"]["code"]) == (404, "not_found")
    status, body = latecomer.start(course.lessons[0].id)
    assert (status, body["error"]["code"]) == (404, "not_found")


def test_its_instructor_previews_it_without_an_offer(app, course):
    client = app.test_client()
    login(client, "teacher1")
    studio = client.get(f"/studio/courses/{course.id}").get_data(as_text=True)
    assert f'href="/courses/{course.id}">预览课程页</a>' in studio
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert 'id="course-draft">草稿预览' in page and "免费报名" not in page
