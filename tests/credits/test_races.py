"""Races on a file SQLite database (and PostgreSQL where said): awards and reversals happen
once, the quota holds."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from academy.credits import quota, rules
from academy.credits import services as credits
from academy.credits.models import CompletionCertificate, CreditEntry, QuotaUse
from academy.extensions import db
from tests.conftest import DATABASES
from tests.credits.conftest import declare, enrol, membership


def at_once(app, calls) -> list:
    """Run each call in its own thread and transaction, released together; their results."""
    db.session.commit()  # the test's own session must not hold SQLite's write lock
    db.session.remove()
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = []

    def run(index, call):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results[index] = call()
                db.session.commit()
            except Exception as error:  # surfaced below, in the test's thread
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def count_entries(user_id: int, kind: str) -> int:
    return db.session.scalar(
        select(func.count(CreditEntry.id)).where(
            CreditEntry.user_id == user_id, CreditEntry.kind == kind
        )
    )


def test_same_course_completed_twice_at_once_awards_once(app, make, learner, afp, period):
    declare(learner, afp)
    course = make.course(credits={"afp-cfp": 400}, price_fen=9900)
    enrol(learner, course, "membership", period)
    user_id, course_id = learner.id, course.id
    results = at_once(app, [lambda: credits.award_course_credits(user_id, course_id)] * 4)
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    assert count_entries(user_id, "award") == 1
    # the losers' quota went back with their savepoints
    assert quota.used(period.id, afp.id) == 400


def test_capped_claims_racing_do_not_exceed_the_quota(app, make, learner, afp):
    period = membership(learner, quota_centihours=2500)
    declare(learner, afp)
    db.session.add(QuotaUse(membership_id=period.id, credit_type_id=afp.id, used_centihours=2000))
    courses = [make.course(credits={"afp-cfp": 300}, price_fen=9900) for _ in range(4)]
    for course in courses:
        enrol(learner, course, "membership", period)
    user_id = learner.id
    calls = [lambda c=c.id: credits.award_course_credits(user_id, c) for c in courses]
    at_once(app, calls)
    entries = list(db.session.scalars(select(CreditEntry).where(CreditEntry.user_id == user_id)))
    assert sum(e.centihours for e in entries) == 500  # exactly what was left: 25 h - 20 h
    assert quota.used(period.id, afp.id) == 2500
    assert sorted(e.rule for e in entries).count(rules.QUOTA_CAPPED) >= 2
    assert all(e.centihours + e.capped_centihours == 300 for e in entries)


def test_reversal_racing_itself_reverses_once(app, make, learner, afp):
    course = make.course(credits={"afp-cfp": 150}, price_fen=9900)
    enrol(learner, course, "purchase")
    credits.award_course_credits(learner.id, course.id)
    db.session.commit()
    user_id, course_id = learner.id, course.id
    calls = [lambda: credits.reverse_course_credits(user_id, [course_id], "退款单 R1")] * 3
    results = at_once(app, calls)
    assert sorted(len(r) for r in results) == [0, 0, 1]
    assert count_entries(user_id, "reversal") == 1


@pytest.mark.parametrize("database_url", DATABASES, indirect=True)
def test_fifty_learners_completing_one_course_at_once_get_one_award_each(app, make, afp):
    course = make.course(credits={"afp-cfp": 400}, price_fen=9900)
    learners = [make.user(f"racer{n}") for n in range(50)]
    for learner in learners:
        enrol(learner, course, "purchase")
    user_ids, course_id = [learner.id for learner in learners], course.id
    # every learner's completion at once, each delivered twice (a retried request racing it)
    calls = [lambda u=u: credits.award_course_credits(u, course_id) for u in user_ids * 2]
    results = at_once(app, calls)
    assert sorted(len(r) for r in results) == [0] * 50 + [1] * 50
    entries = db.session.execute(
        select(CreditEntry.user_id, CreditEntry.kind, CreditEntry.course_id, CreditEntry.centihours)
    ).all()
    assert sorted(entries) == [(u, "award", course_id, 400) for u in sorted(user_ids)]
    certificates = db.session.scalars(select(CompletionCertificate.user_id)).all()
    assert sorted(certificates) == sorted(user_ids)
