"""Statements as plain functions: the xAPI shape, the vocabulary, ids fixed by the record."""

from dataclasses import replace
from datetime import datetime

import pytest

from academy.xapi import statements as xs

SITE = xs.Site.at("https://academy.example.com/")
COURSE = xs.CourseRef(2, "反洗钱基础")
LESSON = xs.LessonRef(3, "客户身份识别", 95_000, COURSE)
AT = datetime(2026, 11, 23, 8, 0, 5, 123_000)
RECORD = xs.WatchRecord(event_id=11, user_id=7, at=AT, lesson=LESSON, session_id=4)


def test_the_same_record_always_makes_the_same_statement():
    assert xs.progressed(SITE, RECORD, 5000) == xs.progressed(SITE, RECORD, 5000)


def test_statement_ids_differ_by_record_and_by_site():
    ids = {
        xs.initialized(SITE, RECORD)["id"],
        xs.initialized(SITE, replace(RECORD, event_id=12))["id"],
        xs.initialized(xs.Site.at("https://other.example.com"), RECORD)["id"],
        xs.course_completed(SITE, completion_id=11, user_id=7, at=AT, course=COURSE, hours={})[
            "id"
        ],
    }
    assert len(ids) == 4


def test_the_actor_is_an_account_on_the_site_named_by_user_id():
    actor = xs.initialized(SITE, RECORD)["actor"]
    assert actor == {
        "objectType": "Agent",
        "account": {"homePage": "https://academy.example.com", "name": "7"},
    }


def test_a_lesson_is_a_video_activity_whose_parent_is_its_course():
    statement = xs.progressed(SITE, RECORD, 47_500)
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/progressed"
    assert statement["object"]["id"] == "https://academy.example.com/learn/lessons/3"
    assert statement["object"]["definition"]["type"] == xs.VIDEO
    (parent,) = statement["context"]["contextActivities"]["parent"]
    assert parent["id"] == "https://academy.example.com/courses/2"
    assert parent["definition"]["type"] == xs.COURSE
    assert statement["result"]["extensions"] == {xs.EXT_TIME: 47.5, xs.EXT_PROGRESS: 0.5}
    assert statement["timestamp"] == "2026-11-23T08:00:05.123Z"


@pytest.mark.parametrize(
    ("statement", "verb"),
    [
        (xs.initialized(SITE, RECORD), "http://adlnet.gov/expapi/verbs/initialized"),
        (
            xs.lesson_completed(SITE, RECORD, 95_000),
            "http://adlnet.gov/expapi/verbs/completed",
        ),
    ],
)
def test_video_profile_statements_carry_its_category_length_and_session(statement, verb):
    assert statement["verb"] == {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[1]}}
    assert statement["context"]["contextActivities"]["category"] == [xs.VIDEO_PROFILE]
    extensions = statement["context"]["extensions"]
    assert extensions[xs.EXT_LENGTH] == 95.0
    assert extensions[xs.EXT_SESSION] == SITE.uuid("xapi/watch-sessions/4")


def test_a_completed_lesson_states_completion_and_full_progress():
    result = xs.lesson_completed(SITE, RECORD, 95_000)["result"]
    assert result == {"completion": True, "extensions": {xs.EXT_TIME: 95.0, xs.EXT_PROGRESS: 1.0}}


def test_an_answer_is_an_interaction_under_its_lesson_and_course():
    popup = xs.PopupRef(9, "question", "识别客户身份的第一步是什么？")
    statement = xs.answered(SITE, RECORD, popup, success=False)
    definition = statement["object"]["definition"]
    assert statement["object"]["id"] == "https://academy.example.com/learn/lessons/3/popups/9"
    assert definition["type"] == xs.INTERACTION and definition["interactionType"] == "choice"
    assert definition["name"] == {"zh-CN": popup.prompt}
    assert statement["result"] == {"success": False}
    activities = statement["context"]["contextActivities"]
    assert [a["id"] for a in activities["parent"]] == [xs.lesson_activity(SITE, LESSON)["id"]]
    assert [a["id"] for a in activities["grouping"]] == [xs.course_activity(SITE, COURSE)["id"]]


def test_a_confirmed_check_succeeds_and_says_how_long_it_took():
    popup = xs.PopupRef(9, "confirm", "")
    statement = xs.answered(SITE, RECORD, popup, success=True, latency_ms=3250)
    assert statement["object"]["definition"]["interactionType"] == "other"
    assert statement["object"]["definition"]["name"] == xs.CONFIRM_NAME
    assert statement["result"] == {"success": True, "duration": "PT3.250S"}


def test_a_completed_course_states_the_hours_it_awarded():
    statement = xs.course_completed(
        SITE, completion_id=1, user_id=7, at=AT, course=COURSE, hours={"ctp": 0.25}
    )
    assert statement["object"] == xs.course_activity(SITE, COURSE)
    assert statement["result"] == {
        "completion": True,
        "extensions": {"https://academy.example.com/xapi/extensions/credit-hours": {"ctp": 0.25}},
    }


@pytest.mark.parametrize(
    ("verified_ms", "duration_ms", "share"),
    [(0, 60_000, 0.0), (20_000, 60_000, 0.3333), (61_000, 60_000, 1.0), (0, 0, 1.0)],
)
def test_progress_is_the_verified_share_of_the_video(verified_ms, duration_ms, share):
    assert xs.progress(verified_ms, duration_ms) == share


@pytest.mark.parametrize(("ms", "text"), [(0, "PT0S"), (3000, "PT3S"), (61_005, "PT61.005S")])
def test_durations_are_iso_8601(ms, text):
    assert xs.iso_duration(ms) == text
