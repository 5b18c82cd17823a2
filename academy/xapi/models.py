"""The outbox's state: how far each source of records has been sent to the LRS."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from academy.db import Model


class XapiFeed(Model):
    """A cursor over one source table of records (watch_events, course_completions).

    The source rows past `last_id` are the queue: nothing is copied, so the beat path writes
    nothing more and a crash loses nothing (a batch sent but not yet marked is sent again, and
    its statement ids make that a no-op in the LRS).
    """

    __tablename__ = "xapi_feeds"

    #: the source table's name
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: every source row with an id up to this one has been sent (or makes no statement)
    last_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: statements the LRS accepted from this feed, all time
    sent_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: failed sends in a row; each doubles the wait before the next try (outbox.retry_delay)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: no periodic send before this (the CLI's burst ignores it)
    retry_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: what the last failure was, for the operator; '' after a success
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: a sender holds the feed until then: two senders never post the same batch at once
    leased_until: Mapped[datetime | None] = mapped_column(DateTime)
