"""Bounded input in the studio (ASVS 5.0 2.2.1 input validated against business limits, 2.2.2
at the service layer, 2.3.2 business logic limits): every count and length an instructor can
save is refused past its limit with a Chinese message, and what was saved before stays."""

import pytest

from academy.catalog import services as catalog
from academy.catalog.models import Course
from academy.errors import Refusal
from academy.extensions import db
from academy.insights import bounds
from academy.insights import services as insights
from academy.insights.types import Chapter, Question, Segment
from academy.studio import editing
from tests.web import field_error, post_form


def chapter(title="开场", summary="介绍。", points=()):
    return Chapter(start=0.0, title=title, summary=summary, points=list(points))


def question(prompt="题目？", choices=("甲", "乙"), explanation="解析。"):
    return Question("choice", prompt, list(choices), 0, explanation)


def derivations(**changed):
    values = {"keywords": ["尽职调查"], "summary": "摘要。", "chapters": [], "questions": []}
    return {**values, **changed}


# Each bound at its limit (accepted) and one past it (refused with its code).
BOUNDS = [
    (
        "too_many_keywords",
        lambda n: derivations(keywords=[f"词{i}" for i in range(n)]),
        "MAX_KEYWORDS",
    ),
    ("keyword_too_long", lambda n: derivations(keywords=["词" * n]), "MAX_KEYWORD_CHARS"),
    ("summary_too_long", lambda n: derivations(summary="摘" * n), "MAX_SUMMARY_CHARS"),
    ("too_many_chapters", lambda n: derivations(chapters=[chapter()] * n), "MAX_CHAPTERS"),
    (
        "chapter_title_too_long",
        lambda n: derivations(chapters=[chapter(title="题" * n)]),
        "MAX_CHAPTER_TITLE_CHARS",
    ),
    (
        "chapter_summary_too_long",
        lambda n: derivations(chapters=[chapter(summary="摘" * n)]),
        "MAX_CHAPTER_SUMMARY_CHARS",
    ),
    (
        "too_many_points",
        lambda n: derivations(chapters=[chapter(points=["点"] * n)]),
        "MAX_CHAPTER_POINTS",
    ),
    (
        "point_too_long",
        lambda n: derivations(chapters=[chapter(points=["点" * n])]),
        "MAX_POINT_CHARS",
    ),
    ("too_many_questions", lambda n: derivations(questions=[question()] * n), "MAX_QUESTIONS"),
    (
        "question_too_long",
        lambda n: derivations(questions=[question(prompt="问" * n)]),
        "MAX_QUESTION_CHARS",
    ),
    (
        "too_many_choices",
        lambda n: derivations(questions=[question(choices=[f"选{i}" for i in range(n)])]),
        "MAX_CHOICES",
    ),
    (
        "choice_too_long",
        lambda n: derivations(questions=[question(choices=["甲" * n, "乙"])]),
        "MAX_CHOICE_CHARS",
    ),
    (
        "explanation_too_long",
        lambda n: derivations(questions=[question(explanation="解" * n)]),
        "MAX_EXPLANATION_CHARS",
    ),
]


@pytest.mark.parametrize(("code", "build", "limit"), BOUNDS, ids=[b[0] for b in BOUNDS])
def test_each_derivation_bound_takes_its_limit_and_refuses_one_more(
    lesson_with_insight, code, build, limit
):
    """ASVS 5.0 2.2.2: the service itself refuses, whatever form or client sent the values."""
    lesson, limit = lesson_with_insight, getattr(bounds, limit)
    insights.save_derivations(lesson, **build(limit))
    saved = insights.get_insight(lesson.id)
    before = (saved.keywords, saved.summary, saved.chapters, saved.questions)

    with pytest.raises(Refusal) as refused:
        insights.save_derivations(lesson, **build(limit + 1))

    assert (refused.value.code, refused.value.status) == (code, 422)
    db.session.expire_all()
    saved = insights.get_insight(lesson.id)
    assert (saved.keywords, saved.summary, saved.chapters, saved.questions) == before


def test_twenty_thousand_chapters_are_refused_and_the_saved_ones_kept(lesson_with_insight):
    """ASVS 5.0 2.2.2: the attack that made the course page take 2.4 s a view, refused by the
    service whatever carried it (a form post that size is already refused for its fields)."""
    lesson = lesson_with_insight
    chapters = [chapter(title=f"第{i}章") for i in range(20_000)]

    with pytest.raises(Refusal) as refused:
        insights.save_derivations(lesson, **derivations(chapters=chapters))

    assert refused.value.message == "章节最多 60 个，现有 20000 个。"
    db.session.expire_all()
    assert insights.get_insight(lesson.id).chapters[0]["title"] == "尽职调查"


def test_one_chapter_too_many_is_refused_beside_the_form(teacher, lesson_with_insight):
    """ASVS 5.0 2.2.1: on the page, a 4xx and the reason beside the form; nothing is lost."""
    lesson = lesson_with_insight
    page = f"/studio/lessons/{lesson.id}"
    form = {"keywords": "尽职调查", "summary": "摘要。"}
    for i in range(bounds.MAX_CHAPTERS + 1):
        form[f"chapter-{i}-start"] = f"{i}:00"
        form[f"chapter-{i}-title"] = f"第{i}章"

    response = post_form(teacher, f"{page}/derivations", form, page=page)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<div class="flash flash-error" role="alert">章节最多 60 个，现有 61 个。' in html
    db.session.expire_all()
    assert insights.get_insight(lesson.id).chapters[0]["title"] == "尽职调查"


def test_a_chapter_title_past_the_limit_is_refused_not_cut(teacher, lesson_with_insight):
    lesson = lesson_with_insight
    page = f"/studio/lessons/{lesson.id}"
    title = "题" * (bounds.MAX_CHAPTER_TITLE_CHARS + 1)
    form = {"chapter-0-start": "0:00", "chapter-0-title": title}

    response = post_form(teacher, f"{page}/derivations", form, page=page)

    assert response.status_code == 422
    assert "第 1 个章节的标题最多 40 个字。" in response.get_data(as_text=True)
    db.session.expire_all()
    assert insights.get_insight(lesson.id).chapters[0]["title"] == "尽职调查"


def test_a_four_hour_lectures_transcript_is_accepted(lesson_with_insight):
    """The limits are generous: 4 hours of fast speech (6 characters a second) in 4 s lines."""
    lesson = lesson_with_insight
    lines = [
        {"start": t, "end": t + 4.0, "text": "受益所有人的识别是尽职调查的重点，要穿透到最终控制人"}
        for t in range(0, 4 * 3600, 4)
    ]
    text = editing.format_transcript(lines)

    insights.save_transcript(lesson, editing.parse_transcript(text))

    assert len(insights.get_insight(lesson.id).segments) == 3600


def test_a_transcript_with_too_many_lines_is_refused_beside_the_form(teacher, lesson_with_insight):
    """ASVS 5.0 2.2.1: refused before a line is parsed; the saved transcript stays and what was
    typed comes back to be corrected."""
    lesson = lesson_with_insight
    page = f"/studio/lessons/{lesson.id}"
    typed = "\n".join(f"[0:{i % 60:02d} → 0:{i % 60:02d}] 好" for i in range(12_001))

    response = post_form(teacher, f"{page}/transcript", {"transcript": typed}, page=page)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        '<div class="flash flash-error" role="alert">转写稿最多 12000 行，现有 12001 行。' in html
    )
    assert typed[-500:] in html
    db.session.expire_all()
    assert insights.get_insight(lesson.id).segments[0]["text"] == "尽职调查是识别客户身份的第一步。"


def test_a_transcript_past_the_character_limit_is_refused_before_parsing():
    typed = "[0:00 → 0:05] " + "讲" * bounds.MAX_TRANSCRIPT_CHARS

    with pytest.raises(Refusal) as refused:
        editing.parse_transcript(typed)

    assert (refused.value.code, refused.value.status) == ("transcript_too_long", 422)


def test_too_many_transcript_lines_are_refused(lesson_with_insight):
    segments = [Segment(i, i + 0.5, "好") for i in range(bounds.MAX_TRANSCRIPT_LINES + 1)]

    with pytest.raises(Refusal) as refused:
        insights.save_transcript(lesson_with_insight, segments)

    assert refused.value.code == "too_many_transcript_lines"


COURSE = {
    "title": "保险规划",
    "subtitle": "",
    "description": "家庭保障",
    "price": "0",
    "transcript_script": "simplified",
    "glossary": "重疾险\n寿险",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "课" * 121, "课程名称最多 120 个字。"),
        ("subtitle", "副" * 201, "副标题最多 200 个字。"),
        ("description", "简" * 5_001, "课程简介最多 5000 个字。"),
        ("glossary", "\n".join(f"术语{i}" for i in range(201)), "术语表最多 200 个术语"),
        ("glossary", "术" * 31, "过长：每个最多 30 个字。"),
        ("glossary", "术" * 6_201, "术语表最多 6200 个字符。"),
    ],
    ids=["title", "subtitle", "description", "glossary-terms", "glossary-term", "glossary-chars"],
)
def test_course_fields_past_their_limits_are_refused_beside_the_field(
    teacher, make, field, value, message
):
    """ASVS 5.0 2.2.1: course fields, in Chinese beside the field, and no course is made."""
    category = make.course().category
    form = {**COURSE, "category_id": str(category.id), field: value}

    response = post_form(teacher, "/studio/courses/new", form, page="/studio/courses/new")

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in field_error(html, field)
    assert db.session.query(Course).filter_by(title=form["title"]).count() == 0


def test_a_course_takes_lessons_up_to_its_limit(teacher, draft):
    """ASVS 5.0 2.3.2: every view of a course page renders all its lessons."""
    course, lesson = draft
    for n in range(len(course.lessons), bounds.MAX_LESSONS_PER_COURSE):
        catalog.add_lesson(course, f"第{n + 1}讲")
    page = f"/studio/courses/{course.id}"

    response = post_form(teacher, f"{page}/lessons", {"title": "再来一讲"}, page=page)

    assert response.status_code == 422
    assert "一门课程最多 100 个课时。" in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(course.lessons) == bounds.MAX_LESSONS_PER_COURSE


def test_a_lesson_title_past_the_limit_is_refused_with_its_own_message(teacher, draft):
    course, lesson = draft
    page = f"/studio/courses/{course.id}"

    response = post_form(teacher, f"{page}/lessons", {"title": "讲" * 121}, page=page)

    assert response.status_code == 422
    assert "课时名称最多 120 个字。" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [lesson.title for lesson in course.lessons] == ["客户身份识别"]
