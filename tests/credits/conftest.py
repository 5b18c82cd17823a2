"""Builders for the credit tests: enrolments by source, membership periods, declarations, and
completing a course through the real player protocol."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from academy import clock
from academy.commerce.models import Membership, Plan
from academy.credits.models import DeclaredCertificate
from academy.extensions import db
from academy.learning.models import Enrolment
from tests.factories import HonestPlayer


def enrol(user, course, source: str = "free", membership: Membership | None = None) -> Enrolment:
    """An enrolment as commerce would write it: bought, claimed in a period, or free."""
    enrolment = Enrolment(
        user_id=user.id,
        course_id=course.id,
        source=source,
        membership_id=membership.id if membership else None,
    )
    db.session.add(enrolment)
    db.session.commit()
    return enrolment


def membership(user, quota_centihours: int = 2500, days: int = 365) -> Membership:
    plan = Plan(name="年度会员", price_fen=36_000, days=days, quota_centihours=quota_centihours)
    db.session.add(plan)
    db.session.flush()
    now = clock.now()
    period = Membership(
        user_id=user.id,
        plan_id=plan.id,
        starts_at=now,
        ends_at=now + timedelta(days=days),
        quota_centihours=quota_centihours,
    )
    db.session.add(period)
    db.session.commit()
    return period


def declare(user, credit_type, number: str = "AFP-2025-0001", obtained_on=date(2025, 3, 1)):
    row = DeclaredCertificate(
        user_id=user.id, credit_type_id=credit_type.id, number=number, obtained_on=obtained_on
    )
    db.session.add(row)
    db.session.commit()
    return row


def complete(api, movable_clock, course) -> dict:
    """Play every lesson of the course to the end like the browser; the last reply."""
    last = {}
    for lesson in course.lessons:
        last = HonestPlayer(api, movable_clock, lesson.id).play_to_end()
    assert last["course_complete"], last
    return last


@pytest.fixture
def afp(make):
    """FPSB China's AFP/CFP re-certification: 30 h per 2 years, 5 h each year, 2 h required."""
    credit_type = make.credit_type("afp-cfp", "继续教育再认证")
    credit_type.yearly_min_centihours = 500
    credit_type.required_course_centihours = 200
    db.session.commit()
    return credit_type


@pytest.fixture
def period(learner):
    return membership(learner)
