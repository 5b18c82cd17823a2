"""The studio's forms take any value without a 500, and nothing saved can break a page later.

ASVS 5.0 2.2.1 (times, answers and prices checked against their ranges: "9" * 5000 is no time,
"²" no answer, sNaN no price), 16.5.3 (refused as a form error; before, a 5,000-digit time
was an error in int() and a 400-digit one was saved as infinity, so the lesson's page was a
500 for good).
"""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings

from academy.catalog import services as catalog
from academy.catalog.models import Course
from academy.errors import Refusal
from academy.extensions import db
from academy.insights import services as insights
from tests.fuzz import assert_answered_with_a_page, form_bodies, post_body
from tests.web import csrf_of, login, post_form

HUGE = "9" * 5000
COURSE_FORM = {
    "title": "新课程",
    "subtitle": "",
    "description": "",
    "price": "0",
    "transcript_script": "simplified",
    "glossary": "",
}


@pytest.fixture
def studio(app, instructor, draft):
    client = app.test_client()
    login(client, "teacher1")
    return client


@pytest.mark.parametrize(
    "transcript",
    [
        f"[{HUGE}:00:00 → 1:00:00] 大家好",  # hours int() refuses
        f"[{'9' * 400} → {'9' * 401}] 大家好",  # seconds float() makes infinite
    ],
)
def test_asvs_2_2_1_a_transcript_time_of_thousands_of_digits_is_refused(
    studio, make, draft, transcript
):
    course, lesson = draft
    make.insight(lesson)
    page = f"/studio/lessons/{lesson.id}"
    response = post_form(studio, f"{page}/transcript", {"transcript": transcript}, page=page)
    assert response.status_code < 500
    assert studio.get(page).status_code == 200
    assert insights.get_insight(lesson.id).segments[0]["end"] == 5.0  # unchanged


@pytest.mark.parametrize(
    "fields",
    [
        {f"chapter-{HUGE}-title": "开场", f"chapter-{HUGE}-start": "0:00"},
        {"chapter-0-title": "开场", "chapter-0-start": "9" * 400},
        {"chapter-0-title": "开场", "chapter-0-start": f"{HUGE}:00:00"},
        {"question-0-prompt": "哪个？", "question-0-choices": "甲\n乙", "question-0-answer": "²"},
        {"question-0-prompt": "哪个？", "question-0-choices": "甲\n乙", "question-0-answer": HUGE},
    ],
)
def test_asvs_2_2_1_chapters_and_questions_with_impossible_numbers_are_refused(
    studio, make, draft, fields
):
    course, lesson = draft
    make.insight(lesson)
    page = f"/studio/lessons/{lesson.id}"
    response = post_form(studio, f"{page}/derivations", fields, page=page)
    assert response.status_code < 500
    assert studio.get(page).status_code == 200


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=form_bodies([*COURSE_FORM, "category_id"]))
@example(body=urlencode({**COURSE_FORM, "price": "sNaN"}).encode())
def test_asvs_16_5_3_any_new_course_form_gets_a_page_never_a_500(app, studio, body):
    token = csrf_of(studio.get("/studio/courses/new").get_data(as_text=True))
    response = post_body(studio, "/studio/courses/new", body, token)
    assert_answered_with_a_page(app, body, response)
    db.session.rollback()
    assert all(course.price_fen >= 0 for course in db.session.query(Course))


def test_a_long_lectures_transcript_fits_through_the_form(studio, make, draft):
    """A fast speaker's four hours (about 150,000 characters) is over the ordinary 1 MiB body
    once form-encoded; the transcript form has its own, larger limit."""
    course, lesson = draft
    make.insight(lesson)
    line = "这是一个用于测试的很长的讲座句子，内容关于客户尽职调查与风险评估。" * 4
    lines = [f"[{n // 60}:{n % 60:02d} → {n // 60}:{n % 60:02d}.5] {line}" for n in range(1, 1100)]
    transcript = "\n".join(lines)
    assert len(transcript) > 140_000
    page = f"/studio/lessons/{lesson.id}"
    response = post_form(studio, f"{page}/transcript", {"transcript": transcript}, page=page)
    assert response.status_code == 302
    assert len(insights.get_insight(lesson.id).segments) == len(lines)


@pytest.mark.parametrize("price", ["0.005", "19.999"])
def test_a_price_finer_than_a_fen_is_refused_not_cut(studio, price):
    response = post_form(studio, "/studio/courses/new", {**COURSE_FORM, "price": price})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "最多两位小数。" in html
    assert db.session.query(Course).filter_by(title="新课程").count() == 0  # 0.005 is not free


def test_a_refused_new_lesson_title_is_said_plainly_and_kept(studio, draft):
    course, _ = draft
    page = f"/studio/courses/{course.id}"
    response = post_form(studio, f"{page}/lessons", {"title": ""}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "请填写课时名称。" in html  # not 请 填 写 …
    too_long = "长" * 121
    response = post_form(studio, f"{page}/lessons", {"title": too_long}, page=page)
    html = response.get_data(as_text=True)
    assert "课时名称最多 120 个字" in html and f'value="{too_long}"' in html


@pytest.mark.parametrize("title", ["反洗钱\x00实务", "\u202e反洗钱实务", "\u200b"])
def test_a_title_with_hidden_characters_is_refused(studio, draft, title):
    course, lesson = draft
    page = f"/studio/courses/{course.id}"
    response = post_form(studio, f"{page}/lessons", {"title": title}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "不能含有控制字符或不可见字符" in html
    values = {**COURSE_FORM, "title": title, "category_id": course.category_id, "price_fen": 0}
    with pytest.raises(Refusal) as refused:
        catalog.update_course(course, values)
    assert refused.value.code == "invalid_text"
    db.session.rollback()
    assert [lsn.title for lsn in db.session.get(Course, course.id).lessons] == [lesson.title]
