"""Enrolment: a learner's right to watch a course, free, bought or claimed with a membership.

Commerce grants and revokes access through these functions, in its own transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from academy import clock
from academy.catalog import services as catalog
from academy.catalog.models import Course
from academy.errors import Refusal
from academy.extensions import db
from academy.learning.models import Enrolment, WatchSession

if TYPE_CHECKING:
    from academy.auth.models import User


def not_enrolled(course: Course) -> Refusal:
    """Why a learner without an enrolment may not watch the course, saying what to do: a paid
    course is bought (or claimed by a member), a free one enrolled in."""
    if course.price_fen > 0:
        message = _("这是付费课程：购买（或 VIP 会员领取）后才能学习。")
    else:
        message = _("请先报名该课程（免费）。")
    return Refusal("not_enrolled", message, 403)


def find_enrolment(user_id: int, course_id: int) -> Enrolment | None:
    """The learner's access to a course, unless it was revoked (a refunded order)."""
    return db.session.scalar(
        select(Enrolment).where(
            Enrolment.user_id == user_id,
            Enrolment.course_id == course_id,
            Enrolment.revoked_at.is_(None),
        )
    )


def enrolled_course_ids(user_id: int, course_ids: list[int]) -> set[int]:
    """Which of these courses the learner has access to, in one query."""
    if not course_ids:
        return set()
    return set(
        db.session.scalars(
            select(Enrolment.course_id).where(
                Enrolment.user_id == user_id,
                Enrolment.course_id.in_(course_ids),
                Enrolment.revoked_at.is_(None),
            )
        )
    )


def enrol_free(user: User, course: Course) -> tuple[Enrolment, bool]:
    """Enrol a learner in a free course; returns the enrolment and whether it is new."""
    if not course.is_published:
        raise Refusal("not_found", _("课程不存在。"), 404)
    existing = find_enrolment(user.id, course.id)
    if existing:
        return existing, False
    if not course.is_free:
        raise Refusal("purchase_required", _("这是付费课程，需购买后才能学习。"), 403)
    enrolment = Enrolment(user_id=user.id, course_id=course.id, source="free")
    db.session.add(enrolment)
    try:
        db.session.commit()
    except IntegrityError:  # a racing request enrolled first
        db.session.rollback()
        return find_enrolment(user.id, course.id), False
    return enrolment, True


def list_enrolments(user_id: int, *, with_courses: bool = False) -> list[Enrolment]:
    """The learner's courses, newest first; access ended by a refund is not listed.

    `with_courses` loads each enrolment's course and its lessons too, in two more queries
    whatever the number of courses (pages that show them).
    """
    query = (
        select(Enrolment)
        .where(Enrolment.user_id == user_id, Enrolment.revoked_at.is_(None))
        .order_by(Enrolment.id.desc())
    )
    if with_courses:
        query = query.options(selectinload(Enrolment.course).selectinload(Course.lessons))
    return list(db.session.scalars(query))


def grant_purchase(user_id: int, course_id: int, order_id: int) -> None:
    """Access bought by a paid order, in the caller's transaction (the one marking it paid).

    (user_id, course_id) is unique, so the learner's row is reused: a revoked one after a
    refund, or a membership claim, which the purchase supersedes (purchased hours never use
    the member quota).
    """
    values = {"source": "purchase", "order_id": order_id, "membership_id": None}
    for _attempt in range(2):  # a racing insert of the same row: the second pass updates it
        if _grant(user_id, course_id, values, only_revoked=False):
            return
    raise RuntimeError(f"could not grant course {course_id} to user {user_id}")


def grant_membership_claim(user_id: int, course_id: int, membership_id: int) -> bool:
    """Access claimed with a membership period; False when the learner already has access.

    In the caller's transaction. The period is recorded: the credit rules count the hours
    against its quota.
    """
    values = {"source": "membership", "order_id": None, "membership_id": membership_id}
    return _grant(user_id, course_id, values, only_revoked=True)


def _grant(user_id: int, course_id: int, values: dict, *, only_revoked: bool) -> bool:
    """Update the learner's row for the course (only a revoked one if asked), else insert it."""
    conditions = [Enrolment.user_id == user_id, Enrolment.course_id == course_id]
    if only_revoked:
        conditions.append(Enrolment.revoked_at.is_not(None))
    result = db.session.execute(
        update(Enrolment)
        .where(*conditions)
        .values(revoked_at=None, **values)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount:
        return True
    try:
        with db.session.begin_nested():
            db.session.add(Enrolment(user_id=user_id, course_id=course_id, **values))
    except IntegrityError:  # the row exists and is active (or a racing grant made it)
        return False
    return True


def revoke_enrolments(*, order_id: int | None = None, membership_id: int | None = None):
    """End the access an order or a membership period granted; the rows stay for the record.

    In the caller's transaction (the refund's). Returns the (user_id, course_id) pairs revoked.
    """
    if (order_id is None) == (membership_id is None):
        raise ValueError("give exactly one of order_id and membership_id")
    granted_by = (
        Enrolment.order_id == order_id
        if order_id is not None
        else Enrolment.membership_id == membership_id
    )
    now = clock.now()
    rows = db.session.execute(
        update(Enrolment)
        .where(granted_by, Enrolment.revoked_at.is_(None))
        .values(revoked_at=now)
        .returning(Enrolment.user_id, Enrolment.course_id)
        .execution_options(synchronize_session="fetch")
    ).all()
    revoked = [(row.user_id, row.course_id) for row in rows]
    for user_id, course_id in revoked:
        # a lesson being watched stops earning now: its next beat is refused (session_ended)
        db.session.execute(
            update(WatchSession)
            .where(
                WatchSession.user_id == user_id,
                WatchSession.lesson_id.in_(catalog.lesson_ids_of(course_id)),
                WatchSession.ended_at.is_(None),
            )
            .values(ended_at=now, ended_reason="access_revoked")
            .execution_options(synchronize_session=False)
        )
    return revoked
