"""Writing the ledger: awards on completion, reversals on refund, admin corrections; reading it.

The ledger only grows. What must happen once is held by unique indexes (one award per learner,
course and type; one reversal per award), and a racing writer's insert fails and is skipped.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from academy import clock
from academy.catalog.models import Course
from academy.commerce import memberships
from academy.credits import certificates, quota, rules
from academy.credits.models import (
    CourseCredit,
    CreditEntry,
    CreditType,
    DeclaredCertificate,
    EntryKind,
    EntrySource,
)
from academy.errors import Refusal
from academy.extensions import db
from academy.templating import format_hours

#: the longest note an entry keeps (the column's width)
NOTE_MAX = 200


def course_credits(course_id: int) -> list[CourseCredit]:
    """The hours per credit type a course gives."""
    return credits_by_course([course_id]).get(course_id, [])


def credits_by_course(course_ids: list[int]) -> dict[int, list[CourseCredit]]:
    """The hours per credit type of many courses in one query (a catalog page's cards), keyed
    by course id; a course that gives no hours has no key."""
    found: dict[int, list[CourseCredit]] = defaultdict(list)
    if not course_ids:
        return {}
    for offer in db.session.scalars(
        select(CourseCredit)
        .where(CourseCredit.course_id.in_(course_ids))
        .options(joinedload(CourseCredit.credit_type))
        .order_by(CourseCredit.id)
    ):
        found[offer.course_id].append(offer)
    return dict(found)


def list_credit_types() -> list[CreditType]:
    return list(db.session.scalars(select(CreditType).order_by(CreditType.id)))


def _enrolment(user_id: int, course_id: int):
    # learning calls into credits when a course completes; read its enrolment through its own
    # read function, imported here so that neither module needs the other at import time
    from academy.learning.services import find_enrolment

    return find_enrolment(user_id, course_id)


def _certificate_type_ids(user_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(DeclaredCertificate.credit_type_id).where(DeclaredCertificate.user_id == user_id)
        )
    )


def _source_of(enrolment) -> str:
    if enrolment is None:
        return EntrySource.FREE
    return {
        "purchase": EntrySource.PURCHASE,
        "membership": EntrySource.MEMBERSHIP,
    }.get(enrolment.source, EntrySource.FREE)


def award_course_credits(user_id: int, course_id: int) -> list[CreditEntry]:
    """Add the course's hours to the learner's ledger, once per credit type, by the rules.

    Runs inside the caller's transaction (the one that completes the course). The unique
    index on awards decides a race: the loser's insert fails and the winner's row stands; the
    quota the loser took goes back with its savepoint. Issues the completion certificate too.
    A paid course without an active enrolment (revoked by a refund) awards nothing.
    """
    course = db.session.get(Course, course_id)
    enrolment = _enrolment(user_id, course_id)
    if enrolment is None and not course.is_free:
        # access to a paid course was revoked (a refund) while its last lesson was still being
        # watched: the hours and the certificate go with the access
        return []
    source = _source_of(enrolment)
    period_id = enrolment.membership_id if enrolment is not None else None
    period = memberships.get_membership(period_id) if period_id is not None else None
    holds = _certificate_type_ids(user_id)
    now = clock.now()
    awarded = []
    for offer in course_credits(course_id):

        def decide(used: int, offer=offer) -> tuple[rules.Award, int]:
            award = rules.decide_award(
                full_centihours=offer.centihours,
                source=source,
                member_recommended=course.member_recommended,
                holds_certificate=offer.credit_type_id in holds,
                quota_centihours=period.quota_centihours if period is not None else None,
                used_centihours=used,
            )
            return award, award.centihours if award.uses_quota else 0

        try:
            with db.session.begin_nested():
                if period is not None and source == EntrySource.MEMBERSHIP:
                    award = quota.change_serially(period.id, offer.credit_type_id, decide)
                else:
                    award = decide(0)[0]
                entry = CreditEntry(
                    user_id=user_id,
                    course_id=course_id,
                    credit_type_id=offer.credit_type_id,
                    kind=EntryKind.AWARD,
                    source=source,
                    rule=award.rule,
                    centihours=award.centihours,
                    capped_centihours=award.capped_centihours,
                    membership_id=period.id if period is not None else None,
                    quota_before_centihours=award.quota_before,
                    quota_after_centihours=award.quota_after,
                    required_course=offer.required_course,
                    awarded_at=now,
                    earned_on=rules.beijing_date(now),
                )
                db.session.add(entry)
        except IntegrityError:
            continue
        awarded.append(entry)
    certificates.issue_certificate(user_id, course_id)
    return awarded


def hours_reversed(user_id: int, course_id: int) -> bool:
    """Whether the learner's hours from this course were reversed (their order refunded): an
    award happens once per learner and course, so the course cannot earn them again."""
    return (
        db.session.scalar(
            select(CreditEntry.id)
            .where(
                CreditEntry.user_id == user_id,
                CreditEntry.course_id == course_id,
                CreditEntry.kind == EntryKind.REVERSAL,
            )
            .limit(1)
        )
        is not None
    )


def reverse_course_credits(user_id: int, course_ids: list[int], note: str) -> list[CreditEntry]:
    """Cancel what these courses' awards gave the learner (their order was refunded), once.

    Adds one negative 'reversal' entry per award, with the award's source and day, gives back
    the membership quota it took, and revokes the courses' completion certificates. Runs in
    the caller's transaction; running it again adds nothing (a unique index per award).
    """
    awards = list(
        db.session.scalars(
            select(CreditEntry)
            .where(
                CreditEntry.user_id == user_id,
                CreditEntry.course_id.in_(course_ids),
                CreditEntry.kind == EntryKind.AWARD,
            )
            .order_by(CreditEntry.id)
        )
    )
    now = clock.now()
    reversed_entries = []
    for award in awards:

        def give_back(used: int, award=award) -> tuple[rules.Award, int]:
            period = memberships.get_membership(award.membership_id)
            left = max(0, period.quota_centihours - used) if period is not None else None
            after = (
                max(0, period.quota_centihours - (used - award.centihours))
                if period is not None
                else None
            )
            decision = rules.Award(-award.centihours, 0, rules.REFUND_REVERSAL, left, after)
            return decision, -award.centihours

        try:
            with db.session.begin_nested():
                if award.rule in rules.QUOTA_RULES and award.centihours and award.membership_id:
                    decision = quota.change_serially(
                        award.membership_id, award.credit_type_id, give_back
                    )
                else:
                    decision = rules.Award(-award.centihours, 0, rules.REFUND_REVERSAL)
                entry = CreditEntry(
                    user_id=user_id,
                    course_id=award.course_id,
                    credit_type_id=award.credit_type_id,
                    kind=EntryKind.REVERSAL,
                    source=award.source,
                    rule=decision.rule,
                    centihours=decision.centihours,
                    capped_centihours=0,
                    membership_id=award.membership_id,
                    quota_before_centihours=decision.quota_before,
                    quota_after_centihours=decision.quota_after,
                    reverses_id=award.id,
                    required_course=award.required_course,
                    awarded_at=now,
                    earned_on=award.earned_on,
                    note=note[:NOTE_MAX],
                )
                db.session.add(entry)
        except IntegrityError:
            continue
        reversed_entries.append(entry)
    certificates.revoke_certificates(user_id, course_ids, note[:NOTE_MAX])
    return reversed_entries


def add_correction(
    user_id: int,
    credit_type_id: int,
    centihours: int,
    note: str,
    *,
    course_id: int | None = None,
    earned_on: date | None = None,
) -> CreditEntry:
    """An admin's signed adjustment, as a new entry with its reason; commits. Refused when the
    reason is missing or longer than is kept, or when it would leave the learner's hours of the
    type below zero (a correction takes back what was given, never more)."""
    if not note.strip():
        raise Refusal("note_required", _("请填写调整原因。"), 422)
    if len(note.strip()) > NOTE_MAX:
        raise Refusal("note_too_long", _("调整原因最多 %(n)d 个字。", n=NOTE_MAX), 422)
    if centihours == 0:
        raise Refusal("invalid_field", _("调整学时不能为 0。"), 422)
    balance = db.session.scalar(
        select(func.coalesce(func.sum(CreditEntry.centihours), 0)).where(
            CreditEntry.user_id == user_id, CreditEntry.credit_type_id == credit_type_id
        )
    )
    if balance + centihours < 0:
        raise Refusal(
            "negative_total",
            _(
                "该学员此类学时合计 %(have)s，最多只能扣减这么多。",
                have=format_hours(balance),
            ),
            422,
        )
    now = clock.now()
    entry = CreditEntry(
        user_id=user_id,
        course_id=course_id,
        credit_type_id=credit_type_id,
        kind=EntryKind.CORRECTION,
        source=EntrySource.CORRECTION,
        rule=rules.ADMIN_CORRECTION,
        centihours=centihours,
        awarded_at=now,
        earned_on=earned_on or rules.beijing_date(now),
        note=note.strip()[:NOTE_MAX],
    )
    db.session.add(entry)
    db.session.commit()
    return entry


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


def entry_day(entry: CreditEntry) -> date:
    """The day an entry counts on (older rows without one: the day it was written)."""
    return entry.earned_on or rules.beijing_date(entry.awarded_at)


@event.listens_for(Session, "before_flush")
def _ledger_is_append_only(session: Session, _context, _instances) -> None:
    """Refuse to change or delete ledger rows through the ORM: corrections are new entries."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, CreditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("credit_entries is append-only: add a correction entry instead")
