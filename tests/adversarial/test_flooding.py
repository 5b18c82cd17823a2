"""A client flooding the watch API earns nothing extra and fills no audit log.

ASVS 5.0 2.4.1 (anti-automation against excessive calls and garbage-data creation) and 2.4.2
(realistic timing): a watch session has at most BEATS_PER_SECOND_MAX beats accepted a second;
the rest are refused with 429 too_many_beats and leave no row, and other refused requests are
recorded at most as often.
"""

import pytest

from academy.extensions import db
from academy.learning.models import LessonProgress, WatchEvent

DURATION_S = 120


@pytest.fixture
def lesson(make, api):
    course = make.course(lessons=[DURATION_S * 1000])
    api.enroll(course.id)
    return course.lessons[0]


@pytest.fixture
def session(api, lesson, movable_clock) -> str:
    """A session that has had one honest beat, five seconds in."""
    token = api.start(lesson.id)[1]["session"]
    movable_clock.advance(5)
    assert api.beat(token, 1, 5)[0] == 200
    return token


def rows(kind: str | None = None) -> int:
    db.session.expire_all()
    query = db.session.query(WatchEvent)
    return (query.filter_by(kind=kind) if kind else query).count()


def test_asvs_2_4_2_a_flood_of_beats_is_refused_unlogged_and_earns_nothing_extra(
    api, app, lesson, learner, session, movable_clock
):
    before = rows()
    answers = []
    for seq in range(2, 102):  # 100 beats in one second, each claiming 10 ms more
        movable_clock.advance(0.01)
        answers.append(api.beat(session, seq, 5 + (seq - 1) * 0.01))
    accepted = [body for status, body in answers if status == 200]
    refused = [body for status, body in answers if status != 200]
    assert len(accepted) <= app.config["BEATS_PER_SECOND_MAX"]
    assert {(status, body["error"]["code"]) for status, body in answers if status != 200} == {
        (429, "too_many_beats")
    }
    assert len(refused) >= 98
    # only the accepted beats wrote a row; the refused ones none
    assert rows() - before == len(accepted) and rows("refused") == 0
    progress = db.session.query(LessonProgress).filter_by(user_id=learner.id).one()
    assert progress.verified_ms <= 6_000  # six seconds of real time, no more


@pytest.mark.parametrize(
    ("seq", "position", "code"),
    [(1, 5, "stale_seq"), (2, -1, "invalid_field")],
)
def test_asvs_2_4_1_a_flood_of_refused_beats_writes_at_most_the_limit_of_rows_a_second(
    api, app, session, movable_clock, seq, position, code
):
    for _ in range(100):  # 100 replayed or malformed beats in one second
        movable_clock.advance(0.01)
        status, body = api.beat(session, seq, position)
        assert body["error"]["code"] == code
    assert rows("refused") == app.config["BEATS_PER_SECOND_MAX"]


def test_restarting_sessions_in_a_loop_is_stopped_per_account(app, api, make):
    """ASVS 5.0 V2.4.1: a script restarting watch sessions is refused after the limit."""
    app.config["WATCH_START_LIMIT"] = "5/minute"
    course = make.course()
    api.enroll(course.id)
    statuses = [api.start(course.lessons[0].id)[0] for _ in range(8)]
    assert statuses == [201] * 5 + [429] * 3
    status, body = api.start(course.lessons[0].id)
    assert body["error"]["code"] == "too_many_requests"
