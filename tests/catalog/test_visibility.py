"""Who sees what of a course's AI material and media: one rule (OWASP ASVS 5.0 V8.2.2, V8.2.3)."""

from __future__ import annotations

import pytest

from academy.catalog import services as catalog
from academy.extensions import db
from academy.insights import services as insights
from tests.web import csrf_of, login

TRANSCRIPT = "这一句只在全文转写里出现。"
CHAPTER_SUMMARY = "这一句只在章节摘要里出现。"
CHAPTER_TITLE = "客户尽职调查"
SUMMARY = "本讲讲解客户身份识别的步骤。"
KEYWORD = "受益所有人"
MAP_NODE = "导图里的分支"
QUESTION = "哪一项是识别客户身份的第一步？"


@pytest.fixture
def lecture(make):
    """Make a course with one lesson whose published material has a distinct text per part."""

    def build(price_fen: int, visitor_insights: str | None = None):
        course = make.course(price_fen=price_fen)
        course.visitor_insights = visitor_insights
        lesson = course.lessons[0]
        insight = make.insight(lesson, publish=False)
        insight.segments = [{"start": 0.0, "end": 5.0, "text": TRANSCRIPT}]
        insight.keywords = [KEYWORD]
        insight.summary = SUMMARY
        insight.chapters = [
            {"start": 0.0, "title": CHAPTER_TITLE, "summary": CHAPTER_SUMMARY, "points": []}
        ]
        insight.mind_map = {"title": lesson.title, "children": [{"title": MAP_NODE}]}
        insight.questions[0]["prompt"] = QUESTION
        db.session.commit()
        insights.publish(lesson)
        return course

    return build


class Seen:
    """What a client gets of a course: the page, and each lesson's transcript and mind map."""

    def __init__(self, client, course) -> None:
        lesson_id = course.lessons[0].id
        self.page = client.get(f"/courses/{course.id}").get_data(as_text=True)
        transcript = client.get(f"/lessons/{lesson_id}/transcript?fragment=1")
        mind_map = client.get(f"/lessons/{lesson_id}/mindmap.svg")
        self.statuses = (transcript.status_code, mind_map.status_code)
        self.everything = self.page + transcript.get_data(as_text=True)
        self.everything += mind_map.get_data(as_text=True)

    def everything_shown(self) -> bool:
        texts = (TRANSCRIPT, CHAPTER_SUMMARY, MAP_NODE, QUESTION)
        return self.statuses == (200, 200) and all(t in self.everything for t in texts)

    def outline_only(self) -> bool:
        outline = all(text in self.page for text in (KEYWORD, SUMMARY, CHAPTER_TITLE))
        hidden = (TRANSCRIPT, CHAPTER_SUMMARY, MAP_NODE, QUESTION)
        leaked = any(text in self.everything for text in hidden)
        return outline and not leaked and self.statuses == (403, 403)


def _page(client, course) -> str:
    return client.get(f"/courses/{course.id}").get_data(as_text=True)


def _sees_everything(client, course) -> bool:
    return Seen(client, course).everything_shown()


def _sees_outline_only(client, course) -> bool:
    return Seen(client, course).outline_only()


def test_asvs_8_2_3_a_visitor_sees_only_an_outline_of_a_paid_course(anon, lecture):
    """ASVS 5.0 V8.2.3: the transcript, chapter summaries, mind map and questions are not shown."""
    course = lecture(price_fen=9900)
    assert _sees_outline_only(anon, course)
    assert "购买或领取课程后可查看" in _page(anon, course)


def test_asvs_8_2_3_a_logged_in_learner_who_has_not_bought_sees_the_outline(app, lecture, learner):
    course = lecture(price_fen=9900)
    client = app.test_client()
    login(client, "learner1")
    assert _sees_outline_only(client, course)


def test_an_enrolled_learner_sees_everything_of_a_paid_course(app, lecture, learner, make):
    course = lecture(price_fen=9900)
    from academy.learning.models import Enrolment

    db.session.add(Enrolment(user_id=learner.id, course_id=course.id, source="purchase"))
    db.session.commit()
    client = app.test_client()
    login(client, "learner1")
    assert _sees_everything(client, course)


def test_a_visitor_sees_everything_of_a_free_course_but_no_answer(anon, lecture, make):
    course = lecture(price_fen=0)
    assert _sees_everything(anon, course)
    html = _page(anon, course)
    # the page links the transcript and the mind map rather than carrying them
    assert TRANSCRIPT not in html and MAP_NODE not in html
    question = insights.published_view(course.lessons[0].id)["questions"][0]
    assert question["explanation"] not in html
    assert "答案：" not in html


@pytest.mark.parametrize(
    ("price_fen", "choice", "everything"),
    [(9900, "full", True), (0, "outline", False), (9900, "outline", False), (0, "full", True)],
)
def test_the_instructors_choice_decides_what_visitors_see(
    anon, lecture, price_fen, choice, everything
):
    course = lecture(price_fen=price_fen, visitor_insights=choice)
    assert _sees_everything(anon, course) if everything else _sees_outline_only(anon, course)


@pytest.mark.parametrize("name", ["mindmap.svg", "mindmap.json"])
def test_asvs_8_2_2_the_mind_map_download_follows_the_same_rule(anon, lecture, name):
    paid = lecture(price_fen=9900)
    free = lecture(price_fen=0)
    assert anon.get(f"/lessons/{paid.lessons[0].id}/{name}").status_code == 403
    response = anon.get(f"/lessons/{free.lessons[0].id}/{name}")
    assert response.status_code == 200
    assert MAP_NODE in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["anonymous", "not_enrolled"])
def test_asvs_8_2_2_media_streams_only_to_those_who_may_watch(app, make, learner, who):
    course = make.course(price_fen=0)
    client = app.test_client()
    if who == "not_enrolled":
        login(client, "learner1")
    assert client.get(f"/media/lessons/{course.lessons[0].id}").status_code == 403


def test_the_studio_saves_what_visitors_see(app, instructor, draft):
    course, _lesson = draft
    client = app.test_client()
    login(client, "teacher1")
    page = client.get(f"/studio/courses/{course.id}").get_data(as_text=True)
    assert "未购买的访客可见的 AI 内容" in page
    response = client.post(
        f"/studio/courses/{course.id}",
        data={
            "title": course.title,
            "category_id": course.category_id,
            "price": "99.00",
            "transcript_script": "simplified",
            "visitor_insights": "full",
            "csrf_token": csrf_of(page),
        },
    )
    assert response.status_code in (200, 302)
    assert db.session.get(type(course), course.id).visitor_insights == "full"


def test_an_unknown_visibility_value_is_refused(app, draft):
    course, _lesson = draft
    values = {
        "title": "x",
        "subtitle": "",
        "description": "",
        "category_id": course.category_id,
        "price_fen": 0,
        "glossary": "",
        "transcript_script": "simplified",
        "visitor_insights": "everything-please",
    }
    from academy.errors import Refusal

    with pytest.raises(Refusal) as refused:
        catalog.update_course(course, values)
    assert refused.value.code == "invalid_visibility"
