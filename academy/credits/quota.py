"""The membership quota counters: one row per period and credit type, changed serially.

Every change reads the row FOR UPDATE (PostgreSQL locks it; SQLite's BEGIN IMMEDIATE already
holds the database's write lock) and writes with a compare-and-set on the value it read, so
two awards at the same moment cannot both take the last hours, whatever the database.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from academy.credits.models import QuotaUse
from academy.credits.rules import Award
from academy.extensions import db

#: compare-and-set attempts before giving up; with the row locked the first one succeeds
ATTEMPTS = 5


def _counter(membership_id: int, credit_type_id: int) -> int:
    """The counter row's id, created at zero on first use (a racing creator's row wins)."""
    found = db.session.scalar(
        select(QuotaUse.id).where(
            QuotaUse.membership_id == membership_id, QuotaUse.credit_type_id == credit_type_id
        )
    )
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            row = QuotaUse(
                membership_id=membership_id, credit_type_id=credit_type_id, used_centihours=0
            )
            db.session.add(row)
        return row.id
    except IntegrityError:
        return _counter(membership_id, credit_type_id)


def used(membership_id: int, credit_type_id: int) -> int:
    """Hours of the quota used so far (no lock: for display)."""
    return (
        db.session.scalar(
            select(QuotaUse.used_centihours).where(
                QuotaUse.membership_id == membership_id,
                QuotaUse.credit_type_id == credit_type_id,
            )
        )
        or 0
    )


def change_serially(
    membership_id: int, credit_type_id: int, decide: Callable[[int], tuple[Award, int]]
) -> Award:
    """Lock the period's counter, let `decide(used)` say what happens and by how much the
    counter moves (`delta`), and move it; returns the decision.

    Runs in the caller's transaction: the counter moves only if that transaction commits.
    """
    counter_id = _counter(membership_id, credit_type_id)
    for _attempt in range(ATTEMPTS):
        current = db.session.scalar(
            select(QuotaUse.used_centihours).where(QuotaUse.id == counter_id).with_for_update()
        )
        award, delta = decide(current)
        if delta == 0:
            return award
        moved = db.session.execute(
            update(QuotaUse)
            .where(QuotaUse.id == counter_id, QuotaUse.used_centihours == current)
            .values(used_centihours=current + delta)
        )
        if moved.rowcount == 1:
            return award
    raise RuntimeError("quota counter kept changing under a lock")
