"""Membership periods: reading them (the credit rules do) and adding one when a plan is paid."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from academy import clock
from academy.commerce.models import Membership, Plan
from academy.extensions import db


def get_membership(membership_id: int) -> Membership | None:
    return db.session.get(Membership, membership_id)


def active_membership(user_id: int, at: datetime | None = None) -> Membership | None:
    """The period that covers `at` (default now), if the learner is a member then."""
    at = at or clock.now()
    return db.session.scalar(
        select(Membership)
        .where(
            Membership.user_id == user_id,
            Membership.starts_at <= at,
            Membership.ends_at > at,
            Membership.revoked_at.is_(None),
        )
        .order_by(Membership.starts_at)
    )


def list_memberships(user_id: int) -> list[Membership]:
    """Every period the learner had, revoked ones too, oldest first (their personal data)."""
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.user_id == user_id)
            .order_by(Membership.starts_at, Membership.id)
        )
    )


def membership_end(user_id: int) -> datetime | None:
    """When the learner's last unrevoked period ends (None: never a member)."""
    return db.session.scalar(
        select(Membership.ends_at)
        .where(Membership.user_id == user_id, Membership.revoked_at.is_(None))
        .order_by(Membership.ends_at.desc())
        .limit(1)
    )


def add_period(user_id: int, plan: Plan, order_id: int | None) -> Membership:
    """A new period of `plan.days`, from now or from the end of the current one (they stack).

    Runs in the caller's transaction (the one that marks the order paid).
    """
    now = clock.now()
    current_end = membership_end(user_id)
    starts_at = current_end if current_end and current_end > now else now
    period = Membership(
        user_id=user_id,
        plan_id=plan.id,
        order_id=order_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=plan.days),
        quota_centihours=plan.quota_centihours,
    )
    db.session.add(period)
    db.session.flush()
    return period


def revoke_period(order_id: int) -> Membership | None:
    """End the period a refunded order paid for, in the caller's transaction (the refund's).

    Conditional on it not being revoked already, so a second refund attempt changes nothing.
    """
    period = db.session.scalar(select(Membership).where(Membership.order_id == order_id))
    if period is None:
        return None
    now = clock.now()
    result = db.session.execute(
        update(Membership)
        .where(Membership.id == period.id, Membership.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )
    if not result.rowcount:
        return None
    # Periods bought after it were stacked on its end: they move up by what it had left, so a
    # learner who still holds a paid period is a member now, not after a year's gap.
    left = period.ends_at - max(period.starts_at, now)
    if left > timedelta(0):
        later = db.session.scalars(
            select(Membership).where(
                Membership.user_id == period.user_id,
                Membership.revoked_at.is_(None),
                Membership.starts_at >= period.ends_at,
            )
        )
        for following in later:
            following.starts_at -= left
            following.ends_at -= left
    return period
