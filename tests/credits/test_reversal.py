"""reverse_course_credits: a refunded order's hours are cancelled by new entries, once."""

from __future__ import annotations

import pytest

from academy.credits import certificates, quota, rules
from academy.credits import services as credits
from academy.extensions import db
from tests.credits.conftest import complete, declare, enrol, membership


@pytest.fixture
def bought(api, movable_clock, make, learner, afp):
    course = make.course(credits={"afp-cfp": 150, "ctp": 100}, price_fen=9900)
    enrol(learner, course, "purchase")
    complete(api, movable_clock, course)
    return course


def test_reversal_cancels_each_award_with_a_negative_entry(bought, learner, movable_clock):
    movable_clock.advance(86_400 * 400)  # refunded long after: the hours leave the old cycle
    made = credits.reverse_course_credits(learner.id, [bought.id], "订单 A100 已退款")
    db.session.commit()
    assert sorted(e.centihours for e in made) == [-150, -100]
    assert all(e.kind == "reversal" and e.source == "purchase" for e in made)
    assert all(e.rule == rules.REFUND_REVERSAL for e in made)
    entries = credits.ledger_for(learner.id)
    assert credits.totals_by_type(entries) == {"afp-cfp": 0, "ctp": 0}
    awards = {e.id: e for e in entries if e.kind == "award"}
    for reversal in made:
        assert reversal.earned_on == awards[reversal.reverses_id].earned_on
    assert "订单 A100 已退款" in credits.explain(made[0])


def test_reversing_twice_adds_nothing(bought, learner):
    first = credits.reverse_course_credits(learner.id, [bought.id], "退款 R1")
    db.session.commit()
    again = credits.reverse_course_credits(learner.id, [bought.id], "退款 R1")
    db.session.commit()
    assert len(first) == 2 and again == []
    assert len(credits.ledger_for(learner.id)) == 4


def test_reversal_revokes_the_completion_certificate(bought, learner):
    assert certificates.find_certificate(learner.id, bought.id).revoked_at is None
    credits.reverse_course_credits(learner.id, [bought.id], "退款 R1")
    db.session.commit()
    revoked = certificates.find_certificate(learner.id, bought.id)
    assert revoked.revoked_at is not None and revoked.revoked_reason == "退款 R1"


def test_reversal_gives_back_the_membership_quota_it_took(api, movable_clock, make, learner, afp):
    period = membership(learner, quota_centihours=100)
    declare(learner, afp)
    course = make.course(credits={"afp-cfp": 250}, price_fen=9900)
    enrol(learner, course, "membership", period)
    complete(api, movable_clock, course)
    assert quota.used(period.id, afp.id) == 100
    [made] = credits.reverse_course_credits(learner.id, [course.id], "会员订单退款")
    db.session.commit()
    assert made.centihours == -100
    assert (made.quota_before_centihours, made.quota_after_centihours) == (0, 100)
    assert quota.used(period.id, afp.id) == 0


def test_other_courses_are_untouched(api, movable_clock, make, learner, bought):
    other = make.course(credits={"afp-cfp": 300})
    enrol(learner, other, "free")
    complete(api, movable_clock, other)
    credits.reverse_course_credits(learner.id, [bought.id], "退款")
    db.session.commit()
    assert credits.totals_by_type(credits.ledger_for(learner.id))["afp-cfp"] == 300


def test_ledger_rows_cannot_be_changed(bought, learner):
    entry = credits.ledger_for(learner.id)[0]
    entry.centihours = 9999
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_no_award_when_access_was_revoked_before_the_course_completed(make, learner, afp):
    course = make.course(credits={"afp-cfp": 150}, price_fen=9900)
    enrolment = enrol(learner, course, "purchase")
    enrolment.revoked_at = enrolment.created_at
    db.session.commit()
    assert credits.award_course_credits(learner.id, course.id) == []
    assert certificates.find_certificate(learner.id, course.id) is None
