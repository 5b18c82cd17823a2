"""Popups that ask the lesson's review questions: answers are checked on the server only."""

import pytest

from academy.extensions import db
from academy.learning.models import LessonProgress, Popup
from academy.learning.services import update_player_settings
from tests.factories import QUESTION


@pytest.fixture
def lesson(make, api, learner):
    course = make.course(lessons=[120_000])
    make.insight(course.lessons[0])
    update_player_settings({"knowledge_checks": True, "wrong_answer_rewind_seconds": 30})
    api.enroll(course.id)
    return course.lessons[0]


def play_to_popup(api, movable_clock, session: str) -> tuple[dict, int]:
    seq, position = 0, 0.0
    while True:
        movable_clock.advance(1)
        position += 1
        seq += 1
        status, body = api.beat(session, seq, position)
        if body["popup"]:
            return body, seq


def test_popups_ask_a_published_question_without_revealing_the_answer(api, lesson, movable_clock):
    status, start = api.start(lesson.id)
    body, _ = play_to_popup(api, movable_clock, start["session"])
    popup = body["popup"]
    assert popup["kind"] == "question" and popup["prompt"] == QUESTION["prompt"]
    assert sorted(popup["choices"]) == sorted(QUESTION["choices"])
    assert set(popup) == {"id", "kind", "prompt", "choices"}
    assert "explanation" not in str(body) and "answer" not in popup


def test_a_right_answer_confirms_and_explains(api, lesson, movable_clock):
    status, start = api.start(lesson.id)
    body, _ = play_to_popup(api, movable_clock, start["session"])
    right = body["popup"]["choices"].index("尽职调查")
    status, reply = api.confirm(start["session"], body["popup"]["id"], answer=right)
    assert status == 200 and reply["confirmed"]
    assert reply["explanation"] == QUESTION["explanation"]


def test_a_wrong_answer_sends_progress_back_and_asks_again_reshuffled(
    api, lesson, learner, movable_clock
):
    status, start = api.start(lesson.id)
    body, seq = play_to_popup(api, movable_clock, start["session"])
    at = body["verified"]
    wrong = body["popup"]["choices"].index("产品推介")
    status, reply = api.confirm(start["session"], body["popup"]["id"], answer=wrong)
    assert status == 200 and not reply["confirmed"]
    back_to_ms = max(0, round(at * 1000) - 30_000)
    assert round(reply["verified"] * 1000) == back_to_ms
    db.session.expire_all()
    progress = db.session.query(LessonProgress).filter_by(user_id=learner.id).one()
    assert progress.verified_ms == back_to_ms
    # The same answer again is refused: the popup is no longer issued until it is reached again.
    status, again = api.confirm(start["session"], body["popup"]["id"], answer=wrong)
    assert status == 409 and again["error"]["code"] == "popup_not_issued"
    popup = db.session.query(Popup).filter_by(token=body["popup"]["id"]).one()
    assert popup.attempts == 1 and popup.confirmed_at is None


def test_guessing_every_choice_costs_a_rewatch_each_time(api, lesson, learner, movable_clock):
    """A client that tries choices in turn gets sent back after every wrong one."""
    status, start = api.start(lesson.id)
    session = start["session"]
    body, seq = play_to_popup(api, movable_clock, session)
    # Each wrong answer sends progress back 30 s, or to the start when the popup is earlier.
    rewatch = min(30, body["verified"])
    real_seconds_before = movable_clock.current
    wrong_tries = 0
    while True:
        choice = next(i for i, c in enumerate(body["popup"]["choices"]) if c != "尽职调查")
        status, reply = api.confirm(session, body["popup"]["id"], answer=choice)
        assert not reply["confirmed"]
        wrong_tries += 1
        position = reply["verified"]
        while True:  # watch the 30 s again to get the question back
            movable_clock.advance(1)
            position += 1
            seq += 1
            status, body = api.beat(session, seq, position)
            if body["popup"]:
                break
        if wrong_tries == 3:
            break
    spent = (movable_clock.current - real_seconds_before).total_seconds()
    assert spent >= 3 * (rewatch - 1)  # the player reports once a second


def test_without_the_setting_popups_stay_plain_confirmations(api, make, movable_clock):
    course = make.course(lessons=[60_000])
    make.insight(course.lessons[0])
    api.enroll(course.id)
    status, start = api.start(course.lessons[0].id)
    body, _ = play_to_popup(api, movable_clock, start["session"])
    assert body["popup"]["kind"] == "confirm"


def test_unpublished_questions_are_never_asked(api, make, movable_clock):
    course = make.course(lessons=[60_000])
    make.insight(course.lessons[0], publish=False)
    update_player_settings({"knowledge_checks": True})
    api.enroll(course.id)
    status, start = api.start(course.lessons[0].id)
    body, _ = play_to_popup(api, movable_clock, start["session"])
    assert body["popup"]["kind"] == "confirm"
