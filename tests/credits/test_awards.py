"""Awards through the real completion path (the player protocol), one per source and rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from academy.credits import declarations, quota, rules
from academy.credits.models import CourseCredit, CreditEntry
from academy.errors import Refusal
from academy.extensions import db
from tests.credits.conftest import complete, declare, enrol, membership


def entries_of(user) -> list[CreditEntry]:
    return list(
        db.session.scalars(
            select(CreditEntry).where(CreditEntry.user_id == user.id).order_by(CreditEntry.id)
        )
    )


def test_free_course_awards_its_full_hours(api, movable_clock, make, learner, afp):
    course = make.course(credits={"afp-cfp": 150})
    enrol(learner, course, "free")
    last = complete(api, movable_clock, course)
    assert last["awarded"] == [{"credit_type": "afp-cfp", "name": afp.name, "hours": 1.5}]
    [entry] = entries_of(learner)
    assert (entry.source, entry.rule, entry.centihours, entry.capped_centihours) == (
        "free",
        rules.FREE_FULL,
        150,
        0,
    )


def test_purchased_course_is_never_capped_even_with_the_quota_spent(
    api, movable_clock, make, learner, afp
):
    period = membership(learner, quota_centihours=0)
    declare(learner, afp)
    course = make.course(credits={"afp-cfp": 300}, price_fen=9900)
    enrol(learner, course, "purchase")
    complete(api, movable_clock, course)
    [entry] = entries_of(learner)
    assert (entry.source, entry.rule, entry.centihours) == ("purchase", rules.PURCHASE_FULL, 300)
    assert quota.used(period.id, afp.id) == 0


def test_membership_claim_by_a_certificate_holder_uses_the_period_quota(
    api, movable_clock, make, learner, afp, period
):
    declare(learner, afp)
    course = make.course(credits={"afp-cfp": 400}, price_fen=9900)
    enrol(learner, course, "membership", period)
    complete(api, movable_clock, course)
    [entry] = entries_of(learner)
    assert (entry.source, entry.rule, entry.centihours) == ("membership", rules.WITHIN_QUOTA, 400)
    assert (entry.quota_before_centihours, entry.quota_after_centihours) == (2500, 2100)
    assert entry.membership_id == period.id
    assert quota.used(period.id, afp.id) == 400


def test_membership_claim_beyond_the_quota_is_capped_and_says_by_how_much(
    api, movable_clock, make, learner, afp
):
    period = membership(learner, quota_centihours=100)
    declare(learner, afp)
    course = make.course(credits={"afp-cfp": 250}, price_fen=9900)
    enrol(learner, course, "membership", period)
    last = complete(api, movable_clock, course)
    assert last["awarded"][0]["hours"] == 1.0
    [entry] = entries_of(learner)
    assert (entry.rule, entry.centihours, entry.capped_centihours) == (rules.QUOTA_CAPPED, 100, 150)
    status, body = api.get("/api/v1/me/credits")
    assert status == 200
    [shown] = body["entries"]
    assert shown["source"] == "membership"
    assert shown["capped_hours"] == 1.5
    assert "1.5" in shown["why"] and "超出额度" in shown["why"]


def test_learner_with_no_declared_certificate_is_not_capped(api, movable_clock, make, learner, afp):
    period = membership(learner, quota_centihours=100)
    course = make.course(credits={"afp-cfp": 250}, price_fen=9900)
    enrol(learner, course, "membership", period)
    complete(api, movable_clock, course)
    [entry] = entries_of(learner)
    assert (entry.rule, entry.centihours, entry.capped_centihours) == (
        rules.NO_CERTIFICATE,
        250,
        0,
    )
    assert quota.used(period.id, afp.id) == 0


def test_member_recommended_course_does_not_use_the_quota(
    api, movable_clock, make, learner, afp, db
):
    period = membership(learner, quota_centihours=100)
    declare(learner, afp)
    course = make.course(credits={"afp-cfp": 250}, price_fen=9900)
    course.member_recommended = True
    db.session.commit()
    enrol(learner, course, "membership", period)
    complete(api, movable_clock, course)
    [entry] = entries_of(learner)
    assert (entry.rule, entry.centihours) == (rules.MEMBER_RECOMMENDED, 250)
    assert quota.used(period.id, afp.id) == 0


def test_quota_is_counted_per_credit_type(api, movable_clock, make, learner, afp):
    ctp = make.credit_type("ctp", "CTP")
    period = membership(learner, quota_centihours=200)
    declare(learner, afp)
    declare(learner, ctp, number="CTP-1")
    course = make.course(credits={"afp-cfp": 150, "ctp": 150}, price_fen=9900)
    enrol(learner, course, "membership", period)
    complete(api, movable_clock, course)
    assert [(e.credit_type_id, e.centihours) for e in entries_of(learner)] == [
        (afp.id, 150),
        (ctp.id, 150),
    ]
    assert quota.used(period.id, afp.id) == quota.used(period.id, ctp.id) == 150


def test_api_lists_cycles_from_the_declared_certificate(api, movable_clock, make, learner, afp):
    declare(learner, afp, obtained_on=movable_clock.current.date().replace(month=3, day=1))
    course = make.course(credits={"afp-cfp": 150})
    course_required = make.course(credits={"afp-cfp": 200})
    db.session.scalars(
        select(CourseCredit).where(CourseCredit.course_id == course_required.id)
    ).one().required_course = True
    db.session.commit()
    for c in (course, course_required):
        enrol(learner, c, "free")
        complete(api, movable_clock, c)
    status, body = api.get("/api/v1/me/credits")
    assert status == 200
    assert body["totals"] == {"afp-cfp": 3.5}
    [cycle] = body["cycles"]
    assert cycle["credit_type"] == "afp-cfp"
    assert (cycle["start"], cycle["end"]) == ("2026-03-01", "2028-02-29")
    assert (cycle["earned"], cycle["required"]) == (3.5, 30.0)
    assert [(y["start"], y["earned"], y["required"]) for y in cycle["years"]] == [
        ("2026-03-01", 3.5, 5.0),
        ("2027-03-01", 0.0, 5.0),
    ]
    assert cycle["required_courses"]["earned"] == 2.0
    assert cycle["met"] is False


def test_the_quota_is_not_dodged_by_taking_the_certificate_back_while_a_member(
    api, movable_clock, make, learner, afp
):
    """The cheat: withdraw the declaration, watch claimed courses uncapped, declare it again."""
    declare(learner, afp)
    membership(learner, quota_centihours=100)
    with pytest.raises(Refusal) as refused:
        declarations.declare_certificates(learner.id, [])
    assert refused.value.code == "declaration_locked"
    assert [d.credit_type_id for d in declarations.list_declarations(learner.id)] == [afp.id]


def test_a_certificate_is_not_declared_over_hours_earned_uncapped_as_a_non_holder(
    api, movable_clock, make, learner, afp
):
    period = membership(learner, quota_centihours=100)
    course = make.course(credits={"afp-cfp": 250}, price_fen=9900)
    enrol(learner, course, "membership", period)
    complete(api, movable_clock, course)  # 2.5 hours, uncapped: no certificate declared
    old = declarations.Declaration(afp.id, "AFP-1", date(2025, 3, 1))
    with pytest.raises(Refusal) as refused:
        declarations.declare_certificates(learner.id, [old])
    assert refused.value.code == "declaration_locked"
    # a certificate obtained after those hours does not cover them: it is declared
    movable_clock.advance(2 * 86_400)
    later = entries_of(learner)[0].earned_on + timedelta(days=2)
    declarations.declare_certificates(
        learner.id, [declarations.Declaration(afp.id, "AFP-1", later)]
    )
    assert [d.obtained_on for d in declarations.list_declarations(learner.id)] == [later]
