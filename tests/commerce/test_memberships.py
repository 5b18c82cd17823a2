"""VIP plans bought through orders: periods that stack, and members claiming courses."""

from datetime import timedelta

import pytest

from academy.commerce import cart, claims, memberships, orders
from academy.errors import Refusal
from academy.extensions import db
from academy.learning import services as learning
from tests.commerce.support import cart_order


@pytest.fixture
def claimable(make):
    course = make.course(price_fen=12900, title="家族信托入门")
    course.member_claimable = True
    db.session.commit()
    return course


def test_paying_a_plan_order_adds_a_period(learner, plan, pay, movable_clock):
    order = orders.order_plan(learner.id, plan.id)
    pay(order)
    period = memberships.active_membership(learner.id)
    assert period.order_id == order.id and period.plan_id == plan.id
    assert period.ends_at - period.starts_at == timedelta(days=365)


def test_periods_stack_from_the_current_end(learner, plan, pay, movable_clock):
    pay(orders.order_plan(learner.id, plan.id))
    first_end = memberships.membership_end(learner.id)
    movable_clock.advance(86400)
    pay(orders.order_plan(learner.id, plan.id))
    assert memberships.membership_end(learner.id) == first_end + timedelta(days=365)


def test_a_member_claims_a_claimable_course_in_the_current_period(member, claimable):
    period = memberships.active_membership(member.id)
    assert claims.claim_course(member.id, claimable.id) == period.id
    enrolment = learning.find_enrolment(member.id, claimable.id)
    assert enrolment.source == "membership" and enrolment.membership_id == period.id


def _refused(call, code, status):
    with pytest.raises(Refusal) as refused:
        call()
    assert (refused.value.code, refused.value.status) == (code, status)


def test_claiming_needs_a_current_membership(learner, claimable, plan, movable_clock):
    _refused(lambda: claims.claim_course(learner.id, claimable.id), "membership_required", 403)
    memberships.add_period(learner.id, plan, None)
    db.session.commit()
    movable_clock.advance(366 * 86400)  # the period ended
    _refused(lambda: claims.claim_course(learner.id, claimable.id), "membership_required", 403)
    assert learning.find_enrolment(learner.id, claimable.id) is None


def test_only_claimable_courses_can_be_claimed(member, paid_course):
    _refused(lambda: claims.claim_course(member.id, paid_course.id), "not_claimable", 403)


def test_claiming_twice_or_an_owned_course_is_refused(member, claimable, make):
    claims.claim_course(member.id, claimable.id)
    _refused(lambda: claims.claim_course(member.id, claimable.id), "already_owned", 409)
    bought = make.course(price_fen=100)
    bought.member_claimable = True
    learning.grant_purchase(member.id, bought.id, order_id=77)
    db.session.commit()
    _refused(lambda: claims.claim_course(member.id, bought.id), "already_owned", 409)
    assert learning.find_enrolment(member.id, bought.id).source == "purchase"


def test_a_claimed_course_cannot_be_bought(member, claimable):
    claims.claim_course(member.id, claimable.id)
    _refused(lambda: cart.add_to_cart(member.id, claimable.id), "already_owned", 409)


def test_claiming_takes_the_course_out_of_the_cart(member, claimable):
    cart.add_to_cart(member.id, claimable.id)
    claims.claim_course(member.id, claimable.id)
    assert cart.list_cart(member.id) == []


def test_a_course_in_a_pending_order_is_not_claimed(member, claimable):
    cart_order(member, claimable)
    _refused(lambda: claims.claim_course(member.id, claimable.id), "in_pending_order", 409)
