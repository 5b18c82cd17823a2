"""Captions: the published transcript as WebVTT, only for those who may watch the lesson."""

import pytest

from academy.extensions import db
from academy.insights.captions import vtt_timestamp, webvtt
from academy.insights.models import LessonInsight
from tests.web import login


def test_timestamps_are_hours_minutes_seconds_and_milliseconds():
    assert vtt_timestamp(0) == "00:00:00.000"
    assert vtt_timestamp(65.4321) == "00:01:05.432"
    assert vtt_timestamp(3723.5) == "01:02:03.500"


def test_captions_are_numbered_cues_in_order():
    text = webvtt(
        [
            {"start": 0.0, "end": 2.5, "text": "第一句。"},
            {"start": 2.5, "end": 61.0, "text": "第二句。"},
        ]
    )
    assert text == (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:00:02.500\n第一句。\n\n"
        "2\n00:00:02.500 --> 00:01:01.000\n第二句。\n"
    )


def test_cue_text_escapes_what_webvtt_reads_as_markup():
    text = webvtt([{"start": 0, "end": 1, "text": "A&B <b>收益</b> --> 5%"}])
    assert "A&amp;B &lt;b&gt;收益&lt;/b&gt; --&gt; 5%" in text
    assert "<b>" not in text


def test_a_line_break_or_empty_text_cannot_break_the_file():
    text = webvtt(
        [
            {"start": 0, "end": 1, "text": "上半句\n\n下半句"},
            {"start": 1, "end": 2, "text": "  "},
            {"start": 3, "end": 3, "text": "零长度"},
        ]
    )
    assert text == "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\n上半句 下半句\n"


@pytest.fixture
def lesson(make):
    course = make.course(lessons=[60_000])
    lesson = course.lessons[0]
    make.insight(lesson)
    return lesson


def client_of(app, make, who: str, lesson):
    client = app.test_client()
    if who == "anonymous":
        return client
    user = make.user(who)
    if who == "enrolled":
        make.enrol(user, lesson.course)
    login(client, user.username)
    return client


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 403), ("stranger", 403), ("enrolled", 200)]
)
def test_captions_are_served_only_to_those_who_may_watch(app, make, lesson, who, status):
    response = client_of(app, make, who, lesson).get(f"/lessons/{lesson.id}/captions.vtt")
    assert response.status_code == status


def test_an_enrolled_learner_gets_the_transcript_as_webvtt(app, make, lesson):
    response = client_of(app, make, "enrolled", lesson).get(f"/lessons/{lesson.id}/captions.vtt")
    assert response.content_type == "text/vtt; charset=utf-8"
    body = response.get_data(as_text=True)
    assert body.startswith("WEBVTT\n")
    assert "00:00:00.000 --> 00:00:05.000\n尽职调查是识别客户身份的第一步。" in body


def test_no_published_transcript_is_a_404(app, make):
    course = make.course(lessons=[60_000])
    unpublished = course.lessons[0]
    make.insight(unpublished, publish=False)
    client = client_of(app, make, "enrolled", unpublished)
    assert client.get(f"/lessons/{unpublished.id}/captions.vtt").status_code == 404
    assert client.get("/lessons/999999/captions.vtt").status_code == 404


def test_the_player_offers_captions_and_the_transcript_only_when_published(app, make, lesson):
    client = client_of(app, make, "enrolled", lesson)
    page = client.get(f"/learn/lessons/{lesson.id}").get_data(as_text=True)
    assert f'src="/lessons/{lesson.id}/captions.vtt"' in page and 'srclang="zh"' in page
    assert 'id="captions-toggle"' in page and "尽职调查是识别客户身份的第一步。" in page
    db.session.query(LessonInsight).delete()
    db.session.commit()
    page = client.get(f"/learn/lessons/{lesson.id}").get_data(as_text=True)
    assert "<track" not in page and 'id="captions-toggle"' not in page
