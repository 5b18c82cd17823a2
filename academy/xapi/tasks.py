"""Huey task of xAPI: the periodic send of new statements to the LRS."""

from huey import crontab

from academy.jobs import periodic_task
from academy.xapi import outbox


@periodic_task(crontab(minute="*"))
def send_statements() -> None:
    """Every minute: send what was recorded since, unless a failure's backoff says wait."""
    outbox.drain()
