"""End to end against a real LRS (ralph's, tests/xapi/conftest.py): what a learner does through
the API arrives there as statements, exactly once, even across an outage of the LRS."""

import json
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import update

from academy.catalog.models import Lesson
from academy.extensions import db
from academy.xapi import outbox, records
from academy.xapi import statements as xs
from academy.xapi.models import XapiFeed
from academy.xapi.tasks import send_statements
from tests.factories import HonestPlayer
from tests.xapi.conftest import LRS_PYTHON, LrsServer


@pytest.fixture
def course(make, api):
    course = make.course(lessons=[30_000, 20_000], credits={"ctp": 25})
    api.enroll(course.id)
    return course


def play_course(api, clock, course) -> None:
    for lesson in course.lessons:
        HonestPlayer(api, clock, lesson.id).play_to_end()


def agent(site_url: str, user_id: int) -> dict:
    return xs.actor(xs.Site.at(site_url), user_id)


def stored(lrs_server, site_url: str, user_id: int) -> list[dict]:
    return lrs_server.statements(agent=agent(site_url, user_id))


def exported(site_url: str, user_id: int) -> list[dict]:
    return list(records.learner_statements(xs.Site.at(site_url), user_id))


def rewind_cursors() -> None:
    """As after a crash between a send and its record: every batch goes again."""
    db.session.execute(update(XapiFeed).values(last_id=0))
    db.session.commit()


def test_an_honest_learners_records_arrive_in_the_lrs(
    lrs_app, lrs_server, site_url, api, learner, course, movable_clock
):
    lrs_app.config["XAPI_BATCH_SIZE"] = 5  # several requests, not one
    play_course(api, movable_clock, course)
    report = outbox.drain()
    assert report.error == "" and report.skipped == ""

    sent = exported(site_url, learner.id)
    held = stored(lrs_server, site_url, learner.id)
    assert sum(report.sent.values()) == len(sent) == len(held)
    assert sorted(s["id"] for s in held) == sorted(s["id"] for s in sent)
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in sent]
    assert verbs.count("initialized") == 2 and verbs.count("answered") == 2
    assert verbs.count("completed") == 3  # two lessons and the course
    assert verbs.count("progressed") == len(sent) - 7
    site = xs.Site.at(site_url)
    objects = {s["object"]["id"] for s in held}
    lessons = {site.iri(f"learn/lessons/{lesson.id}") for lesson in course.lessons}
    assert lessons | {site.iri(f"courses/{course.id}")} <= objects
    assert {json.dumps(s["actor"], sort_keys=True) for s in held} == {
        json.dumps(agent(site_url, learner.id), sort_keys=True)
    }
    held_verbs = sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in held)
    assert held_verbs == sorted(verbs)


def test_the_video_statements_pass_ralphs_video_profile_models(
    lrs_app, lrs_server, site_url, api, learner, course, movable_clock
):
    play_course(api, movable_clock, course)
    outbox.drain()
    video = [
        s
        for s in stored(lrs_server, site_url, learner.id)
        if s["verb"]["id"] in (xs.VERBS["initialized"], xs.VERBS["completed"])
        and s["object"]["definition"]["type"] == xs.VIDEO
    ]
    assert len(video) == 4
    check = (
        "import json, sys\n"
        "from ralph.models.xapi.video.statements import VideoCompleted, VideoInitialized\n"
        "for line in sys.stdin:\n"
        "    s = json.loads(line)\n"
        "    initialized = s['verb']['id'].endswith('initialized')\n"
        "    model = VideoInitialized if initialized else VideoCompleted\n"
        "    model(**s)\n"
        "print('valid')\n"
    )
    checked = subprocess.run(
        [str(LRS_PYTHON), "-c", check],
        input="\n".join(json.dumps(s) for s in video),
        capture_output=True,
        text=True,
    )
    assert checked.stdout.strip() == "valid", checked.stderr


def test_sending_again_stores_nothing_twice(
    lrs_app, lrs_server, site_url, api, learner, course, movable_clock
):
    play_course(api, movable_clock, course)
    first = outbox.drain()
    count = len(stored(lrs_server, site_url, learner.id))
    rewind_cursors()
    again = outbox.drain(burst=True)
    assert again.error == "" and sum(again.sent.values()) == sum(first.sent.values())
    assert len(stored(lrs_server, site_url, learner.id)) == count


def test_a_statement_the_lrs_holds_otherwise_counts_as_sent(
    lrs_app, lrs_server, site_url, api, learner, course, movable_clock
):
    play_course(api, movable_clock, course)
    outbox.drain()
    held = {s["id"]: s for s in stored(lrs_server, site_url, learner.id)}
    # a lesson renamed since: the same ids now come with other content (409 from the LRS)
    db.session.execute(update(Lesson).values(title="改过的标题"))
    db.session.commit()
    rewind_cursors()
    report = outbox.drain(burst=True)
    assert report.error == ""
    assert db.session.get(XapiFeed, "watch_events").failures == 0
    again = {s["id"]: s for s in stored(lrs_server, site_url, learner.id)}
    assert again.keys() == held.keys()
    assert "改过的标题" not in json.dumps(again, ensure_ascii=False)  # the LRS keeps its copy


def test_records_wait_while_the_lrs_is_down_and_go_once_it_is_up(
    lrs_app, site_url, api, learner, course, movable_clock, tmp_path
):
    down = LrsServer(tmp_path / "lrs")  # not started: nothing listens on its port
    lrs_app.config["XAPI_ENDPOINT"] = down.url
    play_course(api, movable_clock, course)  # beats never wait on the LRS
    assert outbox.pending("watch_events") > 0
    queued = outbox.pending("watch_events")

    failed = outbox.drain()
    assert "ConnectionError" in failed.error
    feed = db.session.get(XapiFeed, "watch_events")
    assert feed.last_id == 0 and feed.failures == 1
    assert feed.retry_at == movable_clock.current + timedelta(seconds=60)
    assert outbox.pending("watch_events") == queued

    down.start()
    try:
        movable_clock.advance(30)
        waiting = outbox.drain()  # the periodic sender waits out the backoff
        assert waiting.skipped == "waiting" and sum(waiting.sent.values()) == 0
        movable_clock.advance(31)
        send_statements.call_local()  # the worker's minute
        feed = db.session.get(XapiFeed, "watch_events")
        assert feed.failures == 0 and feed.last_error == "" and feed.retry_at is None
        assert outbox.pending("watch_events") == 0
        held = down.statements(agent=agent(site_url, learner.id))
        assert len(held) == len(exported(site_url, learner.id))
    finally:
        down.stop()


def test_failures_in_a_row_wait_longer_each_time():
    assert [outbox.retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 8, 30)] == [
        60,
        120,
        240,
        3600,
        3600,
        3600,
    ]


def test_wrong_credentials_keep_the_records_queued(lrs_app, api, learner, course, movable_clock):
    lrs_app.config["XAPI_PASSWORD"] = "not-the-password"
    HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()
    report = outbox.drain()
    assert report.error.startswith("watch_events: HTTP 401")
    assert db.session.get(XapiFeed, "watch_events").last_id == 0


def test_records_are_only_sent_once_settled(
    lrs_app, lrs_server, site_url, api, learner, course, movable_clock
):
    lrs_app.config["XAPI_SETTLE_SECONDS"] = 30
    HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()
    outbox.drain()
    early = len(stored(lrs_server, site_url, learner.id))
    movable_clock.advance(30)
    outbox.drain()
    assert 0 < early < len(stored(lrs_server, site_url, learner.id))


def test_two_senders_never_hold_a_feed_at_once(lrs_app, api, learner, course, movable_clock):
    HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()
    outbox.feed_state("watch_events")
    db.session.execute(
        update(XapiFeed).values(leased_until=movable_clock.current + timedelta(seconds=60))
    )
    db.session.commit()
    report = outbox.drain(burst=True)
    assert report.skipped == "busy" and "watch_events" not in report.sent


def test_the_cli_sends_a_burst(lrs_app, lrs_server, site_url, api, learner, course, movable_clock):
    HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()
    result = lrs_app.test_cli_runner().invoke(args=["academy", "xapi-send"])
    assert result.exit_code == 0, result.output
    count = len(stored(lrs_server, site_url, learner.id))
    assert f"watch_events: {count} statements sent" in result.output
    assert "watch_events: 0 records still to go through" in result.output


def test_without_an_endpoint_nothing_is_sent_and_the_cli_says_so(app, api, course, movable_clock):
    HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()
    assert outbox.drain().skipped == "not_configured"
    result = app.test_cli_runner().invoke(args=["academy", "xapi-send"])
    assert result.exit_code != 0 and "not_configured" in result.output


def test_without_a_site_address_nothing_is_sent(lrs_app, api, course, movable_clock):
    lrs_app.config["SITE_URL"] = ""
    HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()
    with lrs_app.test_request_context("/"):  # not even the address of a request
        assert outbox.drain().skipped == "no_site_url"
    assert outbox.pending("watch_events") > 0
