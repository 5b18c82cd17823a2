"""A lesson announced before its video: nothing to watch, so it cannot be started (a session on
it would verify a lesson of no length at once), and the course is complete only once it is
watched too, or once the instructor deletes it."""

from pathlib import Path

import pytest

from academy.credits.models import CreditEntry
from academy.extensions import db
from academy.learning.models import CourseCompletion, LessonProgress
from academy.studio.models import Upload
from tests.factories import HonestPlayer
from tests.web import post_form


@pytest.fixture
def course(make, instructor):
    return make.course(
        lessons=[20_000, ("第 2 讲（录制中）", 0, "")],
        instructor_id=instructor.instructor_profile.id,
        credits={"afp-cfp": 150},
    )


def test_it_cannot_be_started_and_the_pages_say_why(app, api, course):
    placeholder = course.lessons[1]
    api.enroll(course.id)

    status, body = api.start(placeholder.id)
    assert (status, body["error"]["code"]) == (409, "no_media")
    assert "视频还没有上传" in body["error"]["message"]
    assert db.session.query(LessonProgress).count() == 0

    response = api.client.get(f"/learn/lessons/{placeholder.id}")
    assert response.status_code == 302
    page = api.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "视频还没有上传" in page and "视频待上传" in page
    assert f'href="/learn/lessons/{placeholder.id}"' not in page
    player = api.client.get(f"/learn/lessons/{course.lessons[0].id}").get_data(as_text=True)
    assert "视频待上传" in player and "下一节" not in player


def test_enrolling_and_going_on_open_the_first_lesson_with_a_video(app, api, make, instructor):
    course = make.course(lessons=[("预告", 0, ""), 20_000])
    client = api.client
    page = f"/courses/{course.id}"
    response = post_form(client, f"/courses/{course.id}/enrol", page=page)
    assert response.headers["Location"].endswith(f"/learn/lessons/{course.lessons[1].id}")
    course_page = client.get(page).get_data(as_text=True)
    assert f'<a class="btn" href="/learn/lessons/{course.lessons[1].id}">' in course_page


def test_deleting_it_completes_the_course_for_who_watched_the_rest(
    app, api, studio_api, course, movable_clock
):
    api.enroll(course.id)
    done = HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()
    assert done["lesson_complete"] and not done["course_complete"]
    assert db.session.query(CreditEntry).count() == 0
    course_page = api.client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert 'id="waiting-for-video">已学完现有课时' in course_page

    placeholder = course.lessons[1]
    page = f"/studio/lessons/{placeholder.id}"
    response = post_form(studio_api.client, f"{page}/delete", page=page)

    assert response.headers["Location"].endswith(f"/studio/courses/{course.id}")
    db.session.expire_all()
    assert [lesson.title for lesson in course.lessons] == ["第 1 讲"]
    assert db.session.query(CourseCompletion).count() == 1
    (award,) = db.session.query(CreditEntry).all()
    assert (award.kind, award.centihours) == ("award", 150)


def test_a_lesson_with_a_video_or_one_a_learner_started_is_not_deleted(studio_api, course, learner):
    page = f"/studio/lessons/{course.lessons[0].id}"
    response = post_form(studio_api.client, f"{page}/delete", page=page)
    html = studio_api.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已上传视频的课时不能删除" in html
    placeholder = course.lessons[1]
    # started before starts were refused
    db.session.add(LessonProgress(user_id=learner.id, lesson_id=placeholder.id, verified_ms=0))
    db.session.commit()
    page = f"/studio/lessons/{placeholder.id}"
    response = post_form(studio_api.client, f"{page}/delete", page=page)
    html = studio_api.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已有学员开始学习该课时，不能删除" in html
    db.session.expire_all()
    assert len(course.lessons) == 2


def test_an_upload_begun_for_it_goes_with_it(app, studio_api, course):
    placeholder = course.lessons[1]
    status, body = studio_api.post(
        f"/api/v1/lessons/{placeholder.id}/uploads", {"filename": "第2讲.mp4", "size": 10_000}
    )
    assert status == 201, body
    parts = list((Path(app.config["INSTANCE_PATH"]) / "uploads").glob("*.part"))
    assert len(parts) == 1

    page = f"/studio/lessons/{placeholder.id}"
    post_form(studio_api.client, f"{page}/delete", page=page)

    assert db.session.query(Upload).count() == 0 and not parts[0].exists()
