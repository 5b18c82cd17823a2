"""A cheating client tries what public cheat scripts do; none of it earns progress or credit.

Each test plays the cheater against the real API and then checks the ledger and the verified
position against what honest real-time watching could have earned.
"""

import secrets
import threading

import pytest

from academy.credits.models import CreditEntry
from academy.extensions import db
from academy.learning import rules
from academy.learning.models import LessonProgress, Popup, WatchEvent, WatchSession
from tests.factories import ApiClient, HonestPlayer

DURATION_S = 120
CAP_S = rules.allowance_cap_ms(100, 5, 2000) / 1000


@pytest.fixture
def course(make):
    return make.course(lessons=[DURATION_S * 1000], credits={"afp-cfp": 200})


@pytest.fixture
def lesson(course, api):
    api.enroll(course.id)
    return course.lessons[0]


def release_db() -> None:
    """End this thread's transaction: on SQLite it holds the write lock the racers need."""
    db.session.commit()


def verified_s(user_id, lesson_id) -> float:
    db.session.expire_all()
    progress = (
        db.session.query(LessonProgress).filter_by(user_id=user_id, lesson_id=lesson_id).one()
    )
    return progress.verified_ms / 1000


def credits_of(user_id) -> int:
    return db.session.query(CreditEntry).filter_by(user_id=user_id).count()


def test_posting_the_end_position_at_once_earns_nothing(api, lesson, learner, movable_clock):
    status, start = api.start(lesson.id)
    movable_clock.advance(1)
    status, body = api.beat(start["session"], 1, DURATION_S)
    assert status == 200 and body["verified"] == 0 and not body["lesson_complete"]
    assert credits_of(learner.id) == 0


def test_waiting_out_the_duration_then_jumping_to_the_end_earns_nothing(
    api, lesson, learner, movable_clock
):
    status, start = api.start(lesson.id)
    movable_clock.advance(DURATION_S + 60)
    status, body = api.beat(start["session"], 1, DURATION_S)
    assert body["verified"] == 0
    assert credits_of(learner.id) == 0


def test_beats_faster_than_real_time_earn_only_real_time(api, lesson, learner, movable_clock):
    status, start = api.start(lesson.id)
    position = 0.0
    for seq in range(1, 61):  # claims 2 s of video per 1 s of real time, at "rate 1.0"
        movable_clock.advance(1)
        position = min(DURATION_S, position + 2)
        status, body = api.beat(start["session"], seq, position)
        if body["popup"]:
            api.confirm(start["session"], body["popup"]["id"])
            position = body["verified"]
    # 60 s of real time can verify at most 60 s (+ the jitter tolerance), never the whole lesson.
    assert verified_s(learner.id, lesson.id) <= 60 + CAP_S
    assert credits_of(learner.id) == 0


def test_many_tiny_beats_do_not_beat_the_clock(api, lesson, learner, movable_clock):
    status, start = api.start(lesson.id)
    for seq in range(1, 201):  # 200 beats in 2 s of real time, each claiming a little more
        movable_clock.advance(0.01)
        api.beat(start["session"], seq, seq * 0.5)
    assert verified_s(learner.id, lesson.id) <= 2 + 0.01


def test_seeking_ahead_earns_nothing_past_the_verified_point(api, lesson, learner, movable_clock):
    status, start = api.start(lesson.id)
    movable_clock.advance(5)
    api.beat(start["session"], 1, 5)
    for seq in range(2, 30):  # jumped to 60 s and keeps "playing" from there
        movable_clock.advance(1)
        status, body = api.beat(start["session"], seq, 60 + seq)
        assert body["note"] == "ahead_of_verified"
    assert verified_s(learner.id, lesson.id) == 5


def test_pausing_to_bank_time_then_jumping_gains_at_most_the_cap(
    api, lesson, learner, movable_clock
):
    status, start = api.start(lesson.id)
    movable_clock.advance(600)
    status, body = api.beat(start["session"], 1, CAP_S)
    assert body["verified"] <= CAP_S
    movable_clock.advance(0.5)
    status, body = api.beat(start["session"], 2, 2 * CAP_S)
    assert body["verified"] <= CAP_S + 0.5


def test_a_forced_playback_rate_earns_nothing(api, lesson, learner, movable_clock):
    status, start = api.start(lesson.id)
    for seq in range(1, 11):
        movable_clock.advance(5)
        status, body = api.beat(start["session"], seq, seq * 10, rate=2.0)
        assert body["note"] == "rate_not_allowed"
    assert verified_s(learner.id, lesson.id) == 0


def test_a_hidden_tab_earns_nothing(api, lesson, learner, movable_clock):
    status, start = api.start(lesson.id)
    for seq in range(1, 11):
        movable_clock.advance(5)
        status, body = api.beat(start["session"], seq, seq * 5, hidden=True)
    assert verified_s(learner.id, lesson.id) == 0


def test_a_replayed_beat_is_refused_and_earns_nothing(api, lesson, learner, movable_clock):
    status, start = api.start(lesson.id)
    movable_clock.advance(5)
    assert api.beat(start["session"], 1, 5)[0] == 200
    movable_clock.advance(5)
    status, body = api.beat(start["session"], 1, 10)
    assert status == 409 and body["error"]["code"] == "stale_seq"
    status, body = api.beat(start["session"], 1, 5)
    assert status == 409
    assert verified_s(learner.id, lesson.id) == 5
    refused = db.session.query(WatchEvent).filter_by(kind="refused", detail="stale_seq").count()
    assert refused == 2


def test_racing_beats_with_the_same_seq_are_accepted_once(app, api, lesson, learner, movable_clock):
    status, start = api.start(lesson.id)
    movable_clock.advance(5)
    results = []

    def fire():
        with app.app_context():
            results.append(api.beat(start["session"], 1, 5)[0])
            db.session.remove()

    release_db()
    threads = [threading.Thread(target=fire) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200] + [409] * 5


def test_confirming_a_popup_that_was_never_issued_is_refused(api, lesson, learner, movable_clock):
    status, start = api.start(lesson.id)
    popup = db.session.query(Popup).filter_by(user_id=learner.id).first()
    # Even knowing the secret id (a leak), a popup cannot be confirmed before it is issued.
    status, body = api.confirm(start["session"], popup.token)
    assert status == 409 and body["error"]["code"] == "popup_not_issued"
    status, body = api.confirm(start["session"], secrets.token_urlsafe(16))
    assert status == 404 and body["error"]["code"] == "popup_not_found"
    db.session.expire_all()
    assert db.session.get(Popup, popup.id).confirmed_at is None


def test_a_popup_cannot_be_confirmed_twice(api, lesson, learner, movable_clock):
    player = HonestPlayer(api, movable_clock, lesson.id)
    while not player.popups_seen:
        player.step()
    status, body = api.confirm(player.session, player.popups_seen[0]["id"])
    assert status == 409 and body["error"]["code"] == "popup_already_confirmed"


def test_a_popup_issued_to_an_old_session_cannot_be_confirmed_from_it(
    api, lesson, learner, movable_clock
):
    status, start = api.start(lesson.id)
    popup = db.session.query(Popup).filter_by(user_id=learner.id).order_by(Popup.at_ms).first()
    seq, position = 0, 0.0
    while True:
        movable_clock.advance(1)
        position += 1
        seq += 1
        body = api.beat(start["session"], seq, position)[1]
        if body["popup"]:
            break
    status, newer = api.start(lesson.id)
    status, body = api.confirm(start["session"], popup.token)
    assert status == 409 and body["error"]["code"] == "session_ended"
    # The new session gets the popup again at the same point, and only it may confirm.
    movable_clock.advance(1)
    body = api.beat(newer["session"], 1, position)[1]
    assert body["popup"]["id"] == popup.token
    assert api.confirm(newer["session"], popup.token)[0] == 200


def test_another_learners_session_and_popups_are_refused(
    app, api, lesson, make, learner, movable_clock
):
    make.user("mallory")
    mallory = ApiClient(app, "mallory")
    status, start = api.start(lesson.id)
    movable_clock.advance(5)
    status, body = mallory.beat(start["session"], 1, 5)
    assert status == 403 and body["error"]["code"] == "not_your_session"
    popup = db.session.query(Popup).filter_by(user_id=learner.id).first()
    mallory.enroll(lesson.course_id)
    status, own = mallory.start(lesson.id)
    status, body = mallory.confirm(own["session"], popup.token)
    assert status == 404
    status, body = mallory.confirm(start["session"], popup.token)
    assert status == 403
    assert verified_s(learner.id, lesson.id) == 0


def test_two_lessons_in_parallel_only_the_newest_session_earns(api, make, learner, movable_clock):
    course = make.course(lessons=[60_000, 60_000])
    api.enroll(course.id)
    first, second = course.lessons
    status, a = api.start(first.id)
    status, b = api.start(second.id)
    for seq in range(1, 7):
        movable_clock.advance(5)
        status_a, body_a = api.beat(a["session"], seq, seq * 5)
        status_b, body_b = api.beat(b["session"], seq, seq * 5)
        assert status_a == 409 and body_a["error"]["code"] == "session_ended"
        assert status_b == 200
    assert verified_s(learner.id, first.id) == 0
    assert verified_s(learner.id, second.id) <= 30


def test_racing_starts_leave_exactly_one_active_session(app, api, lesson, learner):
    results = []

    def start():
        with app.app_context():
            results.append(api.start(lesson.id)[0])
            db.session.remove()

    release_db()
    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [201] * 6
    db.session.expire_all()
    active = db.session.query(WatchSession).filter_by(user_id=learner.id, ended_at=None).count()
    assert active == 1


def test_restarting_sessions_to_reset_the_clock_earns_nothing(api, lesson, learner, movable_clock):
    for _ in range(20):
        status, start = api.start(lesson.id)
        status, body = api.beat(start["session"], 1, CAP_S)
    assert verified_s(learner.id, lesson.id) == 0


def test_racing_completion_awards_the_hours_exactly_once(app, make, movable_clock):
    """Five requests race to award the same completion; the unique index lets one through."""
    from academy.credits.services import award_course_credits

    course = make.course(lessons=[10_000])
    user = make.user("racer")
    results = []

    def award():
        with app.app_context():
            results.append(len(award_course_credits(user.id, course.id)))
            db.session.commit()
            db.session.remove()

    release_db()
    threads = [threading.Thread(target=award) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 0, 0, 0, 1]
    assert credits_of(user.id) == 1


def test_an_unenrolled_learner_cannot_watch_or_fetch_media(app, make, movable_clock):
    course = make.course(lessons=[10_000])
    make.user("outsider")
    outsider = ApiClient(app, "outsider")
    status, body = outsider.start(course.lessons[0].id)
    assert status == 403
    with outsider.client.get(f"/media/lessons/{course.lessons[0].id}") as response:
        assert response.status_code == 403


def test_the_full_cheat_script_earns_no_credit(api, lesson, learner, movable_clock):
    """Everything at once, for 3 real minutes: nothing reaches the ledger."""
    status, start = api.start(lesson.id)
    session, seq = start["session"], 0
    for second in range(180):
        movable_clock.advance(1)
        seq += 1
        api.beat(session, seq, min(DURATION_S, second * 3), rate=1.0)
        seq += 1
        api.beat(session, seq, DURATION_S, rate=4.0)
        api.beat(session, seq, DURATION_S)  # replay
        if second % 30 == 0:
            session = api.start(lesson.id)[1]["session"]
            seq = 0
    assert credits_of(learner.id) == 0
    assert verified_s(learner.id, lesson.id) < DURATION_S
