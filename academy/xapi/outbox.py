"""Sending the statements to the Learning Record Store: batches behind a cursor, retried.

The queue is the source rows past each feed's cursor (models.XapiFeed), so a beat writes
nothing for xAPI and waits on no network. A sender leases a feed, reads a batch, ends its
transaction, posts the batch, and only then moves the cursor; a crash in between sends the
batch again, which the statements' fixed ids make harmless. A failure leaves the cursor where
it was and sets a time to try again, doubling the wait each time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests
from flask import current_app, has_request_context, request
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from academy import clock
from academy.extensions import db
from academy.learning.models import CourseCompletion, WatchEvent
from academy.xapi import records
from academy.xapi.models import XapiFeed
from academy.xapi.statements import PROTOCOL_VERSION, Site

log = logging.getLogger(__name__)

#: each source of records: how to read its next rows and how to make their statements
FEEDS = {
    "watch_events": (records.event_batch, records.event_statements),
    "course_completions": (records.completion_batch, records.completion_statements),
}
#: the wait after a first failure; each further failure doubles it
FIRST_RETRY_SECONDS = 60
#: the longest wait: an LRS back from an outage has everything again within the hour
MAX_RETRY_SECONDS = 3600
#: the least time a sender holds a feed (a crashed sender's lease runs out after it)
LEASE_SECONDS = 120
#: an LRS's answer is kept this long in last_error
ERROR_CHARS = 300


def retry_delay(failures: int) -> timedelta:
    """How long to wait after `failures` failed sends in a row: 1, 2, 4 ... 60 minutes."""
    return timedelta(
        seconds=min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** max(0, failures - 1))
    )


def site() -> Site | None:
    """The site statements name: ACADEMY_SITE_URL, else (an admin's export) the request's."""
    configured = current_app.config["SITE_URL"]
    if configured:
        return Site.at(configured)
    if has_request_context():
        return Site.at(request.host_url)
    return None


# -- the LRS ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What the LRS said to one POST: its status (None: no answer at all) and why."""

    status: int | None
    text: str = ""

    @property
    def stored(self) -> bool:
        return self.status in (200, 204)

    def describe(self) -> str:
        said = f"HTTP {self.status}" if self.status is not None else "no answer"
        return f"{said}: {self.text}"[:ERROR_CHARS] if self.text else said


class Lrs:
    """POST /statements of one LRS, over one kept-alive connection, TLS verified."""

    def __init__(self, endpoint: str, username: str, password: str, timeout: float) -> None:
        self.url = endpoint.rstrip("/") + "/statements"
        self.http = requests.Session()
        self.http.auth = (username, password) if username else None
        self.http.headers["X-Experience-API-Version"] = PROTOCOL_VERSION
        self.timeout = timeout

    @classmethod
    def from_config(cls, config) -> Lrs:
        return cls(
            config["XAPI_ENDPOINT"],
            config["XAPI_USERNAME"],
            config["XAPI_PASSWORD"],
            config["XAPI_TIMEOUT"],
        )

    def post(self, statements: list[dict]) -> Answer:
        try:
            response = self.http.post(
                self.url, json=statements, timeout=self.timeout, allow_redirects=False
            )
        except requests.RequestException as error:
            return Answer(None, f"{type(error).__name__}: {error}")
        return Answer(response.status_code, response.text.strip())

    def close(self) -> None:
        self.http.close()


def deliver(lrs: Lrs, statements: list[dict]) -> tuple[int, str]:
    """Send statements in order: how many from the first the LRS now holds, and why not more.

    200 and 204 (all were stored already) mean stored. 409 means the LRS holds a statement
    with one of these ids and other content (a title edited since): its copy stands, so that
    one counts as sent; in a batch the LRS refuses the whole request, so the batch is sent
    again one statement at a time.
    """
    answer = lrs.post(statements)
    if answer.stored:
        return len(statements), ""
    if answer.status != 409:
        return 0, answer.describe()
    if len(statements) == 1:
        log.warning("xapi: the LRS keeps its own copy of statement %s", statements[0]["id"])
        return 1, ""
    for index, statement in enumerate(statements):
        sent, error = deliver(lrs, [statement])
        if not sent:
            return index, error
    return len(statements), ""


# -- the feeds --------------------------------------------------------------------------------


@dataclass
class Report:
    """What one drain did: statements sent per feed, and why it stopped early, if it did."""

    sent: dict[str, int] = field(default_factory=dict)
    #: 'not_configured', 'no_site_url', 'busy' (another sender holds a feed) or 'waiting'
    skipped: str = ""
    error: str = ""

    def lines(self) -> list[str]:
        said = [f"{name}: {count} statements sent" for name, count in self.sent.items()]
        if self.skipped:
            said.append(f"skipped: {self.skipped}")
        if self.error:
            said.append(f"failed: {self.error}")
        return said


def feed_state(name: str) -> XapiFeed:
    """The feed's row, made on first use."""
    feed = db.session.get(XapiFeed, name)
    if feed is None:
        try:
            with db.session.begin_nested():
                db.session.add(XapiFeed(name=name))
        except IntegrityError:  # a racing sender made it
            pass
        db.session.commit()
        feed = db.session.get(XapiFeed, name)
    return feed


def _lease_end(now: datetime) -> datetime:
    timeout = current_app.config["XAPI_TIMEOUT"]
    return now + timedelta(seconds=max(LEASE_SECONDS, 4 * timeout))


def _claim(name: str) -> bool:
    """Lease the feed for this sender; False while another sender holds it."""
    feed_state(name)
    now = clock.now()
    claimed = db.session.execute(
        update(XapiFeed)
        .where(
            XapiFeed.name == name,
            or_(XapiFeed.leased_until.is_(None), XapiFeed.leased_until <= now),
        )
        .values(leased_until=_lease_end(now))
    ).rowcount
    db.session.commit()
    return claimed == 1


def _backing_off() -> bool:
    """Whether a failure's wait is still running: the LRS failed, whichever feed saw it."""
    retry_at = db.session.scalar(select(func.max(XapiFeed.retry_at)))
    db.session.commit()
    return retry_at is not None and retry_at > clock.now()


def _release(name: str) -> None:
    db.session.execute(update(XapiFeed).where(XapiFeed.name == name).values(leased_until=None))
    db.session.commit()


def _advance(name: str, old_id: int, new_id: int, sent: int) -> bool:
    """Move the cursor past what was sent; False if another sender moved it meanwhile."""
    now = clock.now()
    values = {
        "last_id": new_id,
        "sent_count": XapiFeed.sent_count + sent,
        "failures": 0,
        "retry_at": None,
        "last_error": "",
        "leased_until": _lease_end(now),
    }
    if sent:
        values["last_sent_at"] = now
    moved = db.session.execute(
        update(XapiFeed).where(XapiFeed.name == name, XapiFeed.last_id == old_id).values(**values)
    ).rowcount
    db.session.commit()
    return moved == 1


def _failed(name: str, error: str) -> None:
    now = clock.now()
    feed = db.session.scalar(
        select(XapiFeed).where(XapiFeed.name == name).execution_options(populate_existing=True)
    )
    failures = feed.failures + 1
    db.session.execute(
        update(XapiFeed)
        .where(XapiFeed.name == name)
        .values(
            failures=failures,
            retry_at=now + retry_delay(failures),
            last_error=error[:ERROR_CHARS],
            leased_until=None,
        )
    )
    db.session.commit()
    log.warning("xapi: sending %s failed (%d in a row): %s", name, failures, error)


def _drain_feed(name: str, lrs: Lrs, where: Site, report: Report) -> bool:
    """Send the feed's queue batch by batch while the LRS takes it; False on a failure."""
    read, make = FEEDS[name]
    config = current_app.config
    report.sent[name] = 0
    while True:
        last_id = db.session.scalar(select(XapiFeed.last_id).where(XapiFeed.name == name))
        settled = clock.now() - timedelta(seconds=config["XAPI_SETTLE_SECONDS"])
        rows = read(last_id, config["XAPI_BATCH_SIZE"], settled)
        made = make(where, rows)
        # end the read's transaction before the network: a slow LRS must hold no lock
        db.session.commit()
        if not rows:
            return True
        sent, error = deliver(lrs, [statement for _id, statement in made]) if made else (0, "")
        if error:
            # the rows before the first statement the LRS did not take are done
            done = made[sent][0] - 1
            if done > last_id:
                _advance(name, last_id, done, sent)
            report.sent[name] += sent
            _failed(name, error)
            report.error = f"{name}: {error}"
            return False
        if not _advance(name, last_id, rows[-1].id, sent):
            report.skipped = "busy"
            return True
        report.sent[name] += sent


def drain(*, burst: bool = False) -> Report:
    """Send every settled record past the cursors; `burst` (the CLI) ignores the backoff."""
    config = current_app.config
    report = Report()
    if not config["XAPI_ENDPOINT"]:
        report.skipped = "not_configured"
        return report
    if not config["SITE_URL"]:  # never the address of whatever request runs this
        report.skipped = "no_site_url"
        log.error("xapi: ACADEMY_SITE_URL must be set to send statements (their ids name it)")
        return report
    where = Site.at(config["SITE_URL"])
    if not burst and _backing_off():  # an operator's burst does not wait
        report.skipped = "waiting"
        return report
    lrs = Lrs.from_config(config)
    try:
        for name in FEEDS:
            if not _claim(name):
                report.skipped = "busy"
                continue
            try:
                if not _drain_feed(name, lrs, where, report):
                    break  # the LRS is failing: the other feed would fail too
            finally:
                _release(name)
    finally:
        lrs.close()
    return report


def pending(name: str) -> int:
    """Source rows past the feed's cursor that may make a statement (the queue's length)."""
    last_id = feed_state(name).last_id
    if name == "watch_events":
        query = select(func.count(WatchEvent.id)).where(
            WatchEvent.id > last_id, WatchEvent.kind.in_(records.STATEMENT_KINDS)
        )
    else:
        query = select(func.count(CourseCompletion.id)).where(CourseCompletion.id > last_id)
    count = db.session.scalar(query)
    db.session.commit()
    return count
