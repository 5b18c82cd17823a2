"""Which records become statements: verified progress only, popups answered, completions."""

import pytest

from academy.learning.services import update_player_settings
from academy.xapi import records
from academy.xapi import statements as xs
from tests.factories import HonestPlayer

SITE = xs.Site.at("https://academy.test")
VERB = {iri: name for name, iri in xs.VERBS.items()}


def verbs(user_id: int) -> list[str]:
    return [VERB[s["verb"]["id"]] for s in records.learner_statements(SITE, user_id)]


@pytest.fixture
def course(make, api):
    course = make.course(lessons=[30_000], credits={"ctp": 25})
    api.enroll(course.id)
    return course


def test_an_honest_viewing_is_initialized_progressed_answered_and_completed(
    api, learner, course, movable_clock
):
    player = HonestPlayer(api, movable_clock, course.lessons[0].id)
    player.play_to_end()
    said = verbs(learner.id)
    assert said[0] == "initialized"
    assert said[-2:] == ["completed", "completed"]  # the lesson, then the course
    assert said.count("answered") == len(player.popups_seen) == 1
    # every beat that verified more says so once; the beat that met the popup verified up to it
    assert said.count("progressed") == player.seq


def test_the_course_completion_comes_last_with_its_hours(api, learner, course, movable_clock):
    HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()
    *_, lesson_done, course_done = records.learner_statements(SITE, learner.id)
    lesson_id = course.lessons[0].id
    assert lesson_done["object"]["id"] == f"https://academy.test/learn/lessons/{lesson_id}"
    assert course_done["object"]["id"] == f"https://academy.test/courses/{course.id}"
    assert course_done["result"]["extensions"] == {xs.credit_hours_extension(SITE): {"ctp": 0.25}}


def test_beats_that_verify_nothing_make_no_statement(api, learner, course, movable_clock):
    status, start = api.start(course.lessons[0].id)
    session = start["session"]
    movable_clock.advance(5)
    assert api.beat(session, 1, 5.0)[0] == 200  # verified 5 s
    movable_clock.advance(5)
    assert api.beat(session, 2, 5.0)[0] == 200  # paused: nothing more
    movable_clock.advance(5)
    assert api.beat(session, 3, 10.0, hidden=True)[0] == 200  # hidden: nothing
    movable_clock.advance(5)
    assert api.beat(session, 4, 29.0)[0] == 200  # a seek ahead: nothing
    assert api.beat(session, 4, 10.0)[0] == 409  # refused: stale seq
    assert verbs(learner.id) == ["initialized", "progressed"]


def test_a_wrong_answer_is_answered_unsuccessfully(make, api, learner, movable_clock):
    course = make.course(lessons=[120_000])
    make.insight(course.lessons[0])
    update_player_settings({"knowledge_checks": True})
    api.enroll(course.id)
    status, start = api.start(course.lessons[0].id)
    seq, position = 0, 0.0
    while True:
        movable_clock.advance(1)
        seq, position = seq + 1, position + 1
        status, body = api.beat(start["session"], seq, position)
        if body["popup"]:
            break
    choices = body["popup"]["choices"]
    api.confirm(start["session"], body["popup"]["id"], answer=choices.index("产品推介"))
    answered = [
        s
        for s in records.learner_statements(SITE, learner.id)
        if VERB[s["verb"]["id"]] == "answered"
    ]
    assert [s["result"]["success"] for s in answered] == [False]
    assert answered[0]["object"]["definition"]["name"] == {"zh-CN": "识别客户身份的第一步是什么？"}
    assert "产品推介" not in str(answered)  # the choices, reshuffled since, are not stated


def test_another_learners_records_are_not_in_the_export(make, api, learner, course, movable_clock):
    other = make.user("learner2")
    assert list(records.learner_statements(SITE, other.id)) == []
    HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()
    assert list(records.learner_statements(SITE, other.id)) == []
