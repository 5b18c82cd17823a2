"""Awarding hours into the ledger, and reading a learner's totals."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from academy.credits.models import CourseCredit, CreditEntry, CreditType
from academy.extensions import db


def course_credits(course_id: int) -> list[CourseCredit]:
    """The hours per credit type a course gives."""
    return list(
        db.session.scalars(
            select(CourseCredit)
            .where(CourseCredit.course_id == course_id)
            .order_by(CourseCredit.id)
        )
    )


def list_credit_types() -> list[CreditType]:
    return list(db.session.scalars(select(CreditType).order_by(CreditType.id)))


def award_course_credits(user_id: int, course_id: int) -> list[CreditEntry]:
    """Add the course's hours to the learner's ledger, once per credit type.

    Runs inside the caller's transaction (the one that completes the course). The unique
    index on awards decides a race: the loser's insert fails and the winner's row stands.
    """
    awarded = []
    for rule in course_credits(course_id):
        entry = CreditEntry(
            user_id=user_id,
            course_id=course_id,
            credit_type_id=rule.credit_type_id,
            kind="award",
            centihours=rule.centihours,
        )
        try:
            with db.session.begin_nested():
                db.session.add(entry)
        except IntegrityError:
            continue
        awarded.append(entry)
    return awarded


def ledger_for(user_id: int) -> list[CreditEntry]:
    """A learner's ledger, newest first."""
    return list(
        db.session.scalars(
            select(CreditEntry)
            .where(CreditEntry.user_id == user_id)
            .order_by(CreditEntry.awarded_at.desc(), CreditEntry.id.desc())
        )
    )


def totals_by_type(entries: list[CreditEntry]) -> dict[str, int]:
    """Sum of centihours per credit type code."""
    totals: dict[str, int] = defaultdict(int)
    for entry in entries:
        totals[entry.credit_type.code] += entry.centihours
    return dict(totals)


def centihours_to_hours(centihours: int) -> float:
    """For JSON and display: 150 -> 1.5. Sums are done in integers before this."""
    return centihours / 100


@event.listens_for(Session, "before_flush")
def _ledger_is_append_only(session: Session, _context, _instances) -> None:
    """Refuse to change or delete ledger rows through the ORM: corrections are new entries."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, CreditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("credit_entries is append-only: add a correction entry instead")
