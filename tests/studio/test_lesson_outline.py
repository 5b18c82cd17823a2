"""An instructor renames a lesson and reorders a course's lessons; learners see the new
titles and order, and a refused title keeps what was typed."""

from academy.extensions import db
from tests.web import form_values, post_form


def test_a_lesson_is_renamed_and_a_refused_title_comes_back_as_typed(teacher, draft):
    course, lesson = draft
    page = f"/studio/lessons/{lesson.id}"

    response = post_form(teacher, f"{page}/title", {"title": "第一讲：客户尽职调查"}, page=page)
    assert response.status_code == 302
    db.session.expire_all()
    assert lesson.title == "第一讲：客户尽职调查"

    too_long = "长" * 121
    response = post_form(teacher, f"{page}/title", {"title": too_long}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "课时名称最多 120 个字" in html
    assert form_values(html)["title"] == too_long
    response = post_form(teacher, f"{page}/title", {"title": "  "}, page=page)
    assert response.status_code == 422 and "请填写课时名称" in response.get_data(as_text=True)
    db.session.expire_all()
    assert lesson.title == "第一讲：客户尽职调查"


def test_lessons_move_up_and_down_and_stay_put_at_the_ends(app, teacher, make, instructor):
    course = make.course(
        lessons=[("甲", 20_000, "a.mp4"), ("乙", 20_000, "b.mp4"), ("丙", 20_000, "c.mp4")],
        instructor_id=instructor.instructor_profile.id,
    )
    lessons = {lesson.title: lesson.id for lesson in course.lessons}
    page = f"/studio/courses/{course.id}"

    def move(title: str, to: str) -> list[str]:
        response = post_form(
            teacher, f"/studio/lessons/{lessons[title]}/move", {"to": to}, page=page
        )
        assert response.headers["Location"].endswith(f"{page}#lessons")
        db.session.expire_all()
        return [lesson.title for lesson in course.lessons]

    assert move("丙", "up") == ["甲", "丙", "乙"]
    assert move("甲", "down") == ["丙", "甲", "乙"]
    assert move("丙", "up") == ["丙", "甲", "乙"]  # first already
    assert move("乙", "down") == ["丙", "甲", "乙"]  # last already
    html = app.test_client().get(f"/courses/{course.id}").get_data(as_text=True)
    assert html.index("丙") < html.index("甲") < html.index("乙")
