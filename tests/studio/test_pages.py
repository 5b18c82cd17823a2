"""The studio pages: create a course, add a lesson, correct and publish what the pipeline made."""

import pytest

from academy.catalog.models import Course
from academy.extensions import db
from academy.insights import services as insights
from tests.web import login, post_form


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("learner", 403), ("instructor", 200), ("admin", 200)]
)
def test_only_instructors_and_admins_open_the_studio(app, make, role, status):
    client = app.test_client()
    if role:
        login(client, make.user(f"{role}-s", role=role).username)
    assert client.get("/studio/").status_code == status


def test_an_instructor_creates_a_course_and_adds_a_lesson(teacher, make):
    category = make.course().category
    response = post_form(
        teacher,
        "/studio/courses/new",
        {
            "title": "保险规划",
            "subtitle": "",
            "description": "家庭保障",
            "category_id": str(category.id),
            "price": "49.90",
            "transcript_script": "traditional",
            "glossary": "重疾险\n寿险",
        },
        page="/studio/courses/new",
    )
    assert response.status_code == 302
    course = db.session.query(Course).filter_by(title="保险规划").one()
    assert (course.price_fen, course.transcript_script, course.published_on) == (
        4990,
        "traditional",
        None,
    )
    response = post_form(
        teacher,
        f"/studio/courses/{course.id}/lessons",
        {"title": "第一讲"},
        page=f"/studio/courses/{course.id}",
    )
    lesson_page = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "第一讲" in lesson_page and 'type="file"' in lesson_page


def test_a_negative_price_is_refused_in_chinese(teacher, make):
    category = make.course().category
    response = post_form(
        teacher,
        "/studio/courses/new",
        {
            "title": "课",
            "category_id": str(category.id),
            "price": "-1",
            "transcript_script": "simplified",
        },
        page="/studio/courses/new",
    )
    assert response.status_code == 422
    assert "价格须在 0 到 100000 元之间" in response.get_data(as_text=True)


def test_another_instructors_course_is_out_of_reach(app, make, draft):
    course, lesson = draft
    make.user("rival", role="instructor")
    client = app.test_client()
    login(client, "rival")
    assert client.get(f"/studio/courses/{course.id}").status_code == 403
    assert client.get(f"/studio/lessons/{lesson.id}").status_code == 403


def test_publishing_a_course_needs_a_lesson_with_media(teacher, draft):
    course, lesson = draft
    response = post_form(
        teacher,
        f"/studio/courses/{course.id}/publish",
        {"publish": "1"},
        page=f"/studio/courses/{course.id}",
    )
    assert "至少要有一节已上传视频的课时" in teacher.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_publishing_with_lessons_still_without_video_asks_to_confirm(teacher, make, instructor):
    course = make.course(
        lessons=[("开场", 20_000, "a.mp4"), ("案例", 0, ""), ("答疑", 0, "")],
        published=False,
        instructor_id=instructor.id,
    )
    page = f"/studio/courses/{course.id}"
    assert 'name="confirm_missing_video"' in teacher.get(page).get_data(as_text=True)
    response = post_form(teacher, f"{page}/publish", {"publish": "1"}, page=page)
    said = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "还有 2 节课时没有视频（案例、答疑）" in said
    db.session.expire_all()
    assert db.session.get(Course, course.id).published_on is None

    fields = {"publish": "1", "confirm_missing_video": "1"}
    post_form(teacher, f"{page}/publish", fields, page=page)
    db.session.expire_all()
    assert db.session.get(Course, course.id).published_on is not None


def test_editing_the_transcript_offers_to_regenerate_and_publishing_shows_it(
    app, teacher, draft, make
):
    course, lesson = draft
    make.insight(lesson, publish=False)
    page = f"/studio/lessons/{lesson.id}"
    post_form(
        teacher,
        f"{page}/transcript",
        {"transcript": "[0:00 → 0:05] 受益所有人的识别是尽职调查的重点。"},
        page=page,
    )
    html = teacher.get(page).get_data(as_text=True)
    assert "按新稿重新生成" in html and "受益所有人的识别" in html
    post_form(
        teacher,
        f"{page}/derivations",
        {
            "keywords": "受益所有人、尽职调查",
            "summary": "讲受益所有人。",
            "chapter-0-start": "0:00",
            "chapter-0-title": "识别受益所有人",
            "chapter-0-summary": "重点。",
            "question-0-prompt": "尽职调查的重点是？",
            "question-0-choices": "受益所有人\n产品收益",
            "question-0-answer": "1",
            "question-0-explanation": "讲座原话。",
        },
        page=page,
    )
    catalog_page = app.test_client().get(f"/courses/{course.id}")
    assert catalog_page.status_code == 404  # the course itself is still a draft
    course.published_on = __import__("datetime").date(2026, 11, 20)
    lesson.media_path, lesson.duration_ms = "lessons/x.mp4", 5000
    db.session.commit()
    html = app.test_client().get(f"/courses/{course.id}").get_data(as_text=True)
    assert "受益所有人" not in html  # saved, not yet published
    # the summary and the rest were written by hand after the transcript's correction
    post_form(teacher, f"{page}/publish", {"confirm_stale": "1"}, page=page)
    visitor = app.test_client()
    html = visitor.get(f"/courses/{course.id}").get_data(as_text=True)
    transcript = visitor.get(f"/lessons/{lesson.id}/transcript?fragment=1").get_data(as_text=True)
    mind_map = visitor.get(f"/lessons/{lesson.id}/mindmap.svg").get_data(as_text=True)
    assert "讲受益所有人。" in html and "识别受益所有人" in html
    assert "受益所有人的识别" in transcript and "<svg" in mind_map
    assert "尽职调查的重点是？" in html and "看完本节后可查看答案与解析" in html
    assert "讲座原话。" not in html  # the answer stays hidden until the lesson is complete
    assert insights.published_view(lesson.id)["keywords"] == ["受益所有人", "尽职调查"]


def test_a_bad_transcript_line_keeps_the_old_transcript(teacher, draft, make):
    course, lesson = draft
    make.insight(lesson, publish=False)
    page = f"/studio/lessons/{lesson.id}"
    response = post_form(teacher, f"{page}/transcript", {"transcript": "没有时间"}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "第 1 行格式不对" in html
    assert ">没有时间</textarea>" in html  # what was typed comes back to be corrected
    assert insights.get_insight(lesson.id).segments[0]["text"] == "尽职调查是识别客户身份的第一步。"
