"""A heartbeat sends only the statements its rules need, and its audit rows come in one INSERT.

Counted as in production: each request starts with a fresh database session (gunicorn's
request teardown), so nothing is served from an earlier request's identity map.
"""

import pytest

from academy.extensions import db
from academy.learning.models import WatchEvent
from tests.queries import counting_queries

#: the login with its account · the session with its lesson, progress and next popup ·
#: compare-and-set on seq · compare-and-set on verified · the audit rows
STEADY_BEAT = 5
#: and the popup's issue to this session
POPUP_BEAT = STEADY_BEAT + 1


@pytest.fixture
def session(api, make, movable_clock) -> str:
    course = make.course(lessons=[600_000])
    api.enroll(course.id)
    return api.start(course.lessons[0].id)[1]["session"]


def counted_beat(api, session: str, seq: int, position: float):
    """A beat's statements, less the login's last_seen refresh: any request makes that one once
    every LAST_SEEN_GRANULARITY, and a beat that issued a popup at that moment counted 7 (seen
    once in CI, on PostgreSQL)."""
    db.session.remove()
    with counting_queries() as seen:
        status, body = api.beat(session, seq, position)
    assert status == 200, body
    refresh = [s for s in seen if s.lstrip().upper().startswith("UPDATE LOGIN_SESSIONS")]
    assert len(refresh) <= 1, refresh
    return [s for s in seen if s not in refresh], body


def play_until_a_popup(api, session: str, movable_clock) -> tuple[list, dict, int]:
    seq = 0
    while True:
        movable_clock.advance(5)
        seq += 1
        seen, body = counted_beat(api, session, seq, seq * 5)
        if body["popup"]:
            return seen, body, seq


def test_a_steady_beat_sends_at_most_five_statements(api, session, movable_clock):
    for seq in range(1, 4):
        movable_clock.advance(5)
        seen, body = counted_beat(api, session, seq, seq * 5)
        assert body["verified"] == seq * 5 and body["popup"] is None
        assert len(seen) <= STEADY_BEAT, seen


def test_a_beat_that_issues_a_popup_sends_one_more(api, session, movable_clock):
    seen, body, _ = play_until_a_popup(api, session, movable_clock)
    assert len(seen) <= POPUP_BEAT, seen


def test_a_beat_writes_its_audit_rows_in_one_insert_in_its_own_transaction(
    api, session, movable_clock
):
    seen, body, seq = play_until_a_popup(api, session, movable_clock)
    inserts = [s for s in seen if s.lstrip().upper().startswith("INSERT INTO WATCH_EVENTS")]
    assert len(inserts) == 1
    db.session.expire_all()
    last_two = db.session.query(WatchEvent).order_by(WatchEvent.id.desc()).limit(2).all()
    assert [(e.kind, e.seq) for e in reversed(last_two)] == [("beat", seq), ("popup_issued", None)]
    assert last_two[0].detail == body["popup"]["id"]


def test_a_beat_waiting_at_a_popup_issues_it_once(api, session, movable_clock):
    """Beats that stop at a popup already issued to this session write nothing for it."""
    _, body, seq = play_until_a_popup(api, session, movable_clock)
    movable_clock.advance(5)
    seen, again = counted_beat(api, session, seq + 1, body["verified"] + 5)
    assert again["popup"]["id"] == body["popup"]["id"] and again["note"] == "popup_pending"
    assert len(seen) <= STEADY_BEAT, seen
    db.session.expire_all()
    assert db.session.query(WatchEvent).filter_by(kind="popup_issued").count() == 1
