"""Refunds from the admin: the provider's refund, the order refunded, access ended, hours
reversed by new ledger entries; and money flagged for refund sent back."""

import pytest
from sqlalchemy import func, select

from academy.commerce import cart, claims, memberships, orders, refunds
from academy.commerce.models import (
    IllegalTransition,
    Order,
    OrderStatus,
    Payment,
    PaymentStatus,
    SandboxTrade,
)
from academy.credits import services as credits
from academy.credits.models import CreditEntry
from academy.errors import Refusal
from academy.extensions import db
from academy.learning import services as learning
from academy.learning.models import Enrolment
from tests.commerce.support import cart_order, notification, notify
from tests.factories import ApiClient, HonestPlayer
from tests.web import login


@pytest.fixture
def admin(make):
    return make.user("admin1", role="admin")


def _hours(user_id):
    return db.session.scalar(
        select(func.coalesce(func.sum(CreditEntry.centihours), 0)).where(
            CreditEntry.user_id == user_id
        )
    )


def _earn(user_id, course_id):
    credits.award_course_credits(user_id, course_id)
    db.session.commit()


def test_a_paid_course_order_refunded_ends_access_and_reverses_hours(
    learner, paid_course, admin, pay
):
    order = cart_order(learner, paid_course)
    assert pay(order).notify_answer == "success"
    _earn(learner.id, paid_course.id)
    assert _hours(learner.id) == 200

    refunds.refund_order(order.id, admin.id, "学员申请退款")

    db.session.expire_all()
    refunded = db.session.get(Order, order.id)
    assert refunded.status == OrderStatus.REFUNDED and refunded.refunded_by == admin.id
    assert refunded.refund_note == "学员申请退款"
    assert refunds.applied_payment(order.id).status == PaymentStatus.REFUNDED
    assert learning.find_enrolment(learner.id, paid_course.id) is None
    entries = credits.ledger_for(learner.id)
    assert sorted(e.centihours for e in entries) == [-200, 200]  # a new entry, nothing deleted
    assert _hours(learner.id) == 0
    trade = db.session.scalar(select(SandboxTrade).where(SandboxTrade.out_trade_no == order.number))
    assert trade.refunded_fen == 9900 and trade.status == "TRADE_CLOSED"


def test_a_refunded_plan_ends_the_period_and_the_courses_claimed_in_it(
    learner, plan, make, admin, pay
):
    order = orders.order_plan(learner.id, plan.id)
    pay(order)
    period = memberships.active_membership(learner.id)
    assert period.order_id == order.id and period.quota_centihours == 2500
    claimable = make.course(price_fen=9900)
    claimable.member_claimable = True
    db.session.commit()
    claims.claim_course(learner.id, claimable.id)
    _earn(learner.id, claimable.id)
    assert _hours(learner.id) > 0

    refunds.refund_order(order.id, admin.id)

    db.session.expire_all()
    assert memberships.active_membership(learner.id) is None
    assert db.session.get(type(period), period.id).revoked_at is not None
    assert learning.find_enrolment(learner.id, claimable.id) is None
    assert _hours(learner.id) == 0


def test_buying_again_after_a_refund_reuses_the_enrolment_row(learner, paid_course, admin, pay):
    first = cart_order(learner, paid_course)
    pay(first)
    row_id = learning.find_enrolment(learner.id, paid_course.id).id
    refunds.refund_order(first.id, admin.id)
    second = cart_order(learner, paid_course)
    pay(second)
    enrolment = learning.find_enrolment(learner.id, paid_course.id)
    assert enrolment.id == row_id and enrolment.order_id == second.id
    assert enrolment.revoked_at is None and enrolment.source == "purchase"
    assert db.session.scalar(select(func.count(Enrolment.id))) == 1


def test_a_course_whose_hours_a_refund_reversed_is_not_sold_or_claimed_again(
    app, learner, paid_course, admin, pay, plan
):
    order = cart_order(learner, paid_course)
    pay(order)
    _earn(learner.id, paid_course.id)
    refunds.refund_order(order.id, admin.id)

    # buying it again would take money for hours that can never come back (an award is once)
    with pytest.raises(Refusal) as refused:
        cart.add_to_cart(learner.id, paid_course.id)
    assert refused.value.code == "hours_reversed"
    pay(orders.order_plan(learner.id, plan.id))
    paid_course.member_claimable = True
    db.session.commit()
    with pytest.raises(Refusal) as refused:
        claims.claim_course(learner.id, paid_course.id)
    assert refused.value.code == "hours_reversed"
    client = app.test_client()
    login(client, "learner1")
    page = client.get(f"/courses/{paid_course.id}").get_data(as_text=True)
    assert 'id="hours-reversed"' in page and "加入购物车" not in page
    assert _hours(learner.id) == 0


@pytest.mark.parametrize("status", [OrderStatus.PENDING, OrderStatus.CANCELLED])
def test_only_a_paid_order_can_be_refunded(learner, paid_course, admin, status):
    order = cart_order(learner, paid_course)
    if status == OrderStatus.CANCELLED:
        orders.cancel_order(learner.id, order.id)
    with pytest.raises(IllegalTransition) as refused:
        refunds.refund_order(order.id, admin.id)
    assert refused.value.status == 409
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == status


def test_refunding_twice_refunds_once(learner, paid_course, admin, pay):
    order = cart_order(learner, paid_course)
    pay(order)
    refunds.refund_order(order.id, admin.id)
    with pytest.raises(IllegalTransition):
        refunds.refund_order(order.id, admin.id)
    assert db.session.scalar(select(func.count(CreditEntry.id))) == 0


def test_a_refund_the_provider_refuses_changes_nothing(app, anon, learner, paid_course, admin):
    """Paid by a notification the gateway never made: the gateway knows no such trade."""
    order = cart_order(learner, paid_course)
    notify(anon, notification(app, order))
    with pytest.raises(Refusal) as refused:
        refunds.refund_order(order.id, admin.id)
    assert refused.value.code == "refund_failed" and refused.value.status == 502
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == OrderStatus.PAID
    assert learning.find_enrolment(learner.id, paid_course.id) is not None


def test_money_for_a_cancelled_order_is_flagged_then_sent_back(learner, paid_course, pay):
    order = cart_order(learner, paid_course)
    orders.cancel_order(learner.id, order.id)
    assert pay(order).notify_answer == "success"
    (flagged,) = refunds.flagged_payments()
    assert flagged.order_id == order.id and flagged.status == PaymentStatus.NEEDS_REFUND
    assert learning.find_enrolment(learner.id, paid_course.id) is None

    refunds.refund_flagged_payment(flagged.id)

    assert refunds.flagged_payments() == []
    assert db.session.get(Payment, flagged.id).status == PaymentStatus.REFUNDED
    assert db.session.get(Order, order.id).status == OrderStatus.CANCELLED
    with pytest.raises(Refusal) as refused:
        refunds.refund_flagged_payment(flagged.id)
    assert refused.value.code == "not_flagged"


def test_the_learner_is_told_money_for_a_cancelled_order_goes_back(
    app, learner, paid_course, pay, admin
):
    order = cart_order(learner, paid_course)
    orders.cancel_order(learner.id, order.id)
    pay(order)  # the cashier was still open in another tab
    client = app.test_client()
    login(client, "learner1")
    page = client.get(f"/me/orders/{order.id}").get_data(as_text=True)
    assert "收到了一笔 ¥99.00 的付款" in page and "将原路退回" in page

    (flagged,) = refunds.flagged_payments()
    refunds.refund_flagged_payment(flagged.id)
    page = client.get(f"/me/orders/{order.id}").get_data(as_text=True)
    assert "已于" in page and "原路退回" in page and "将原路退回" not in page


def test_a_paid_order_shows_no_stray_payment(learner, paid_course, pay):
    order = cart_order(learner, paid_course)
    pay(order)
    db.session.expire_all()
    assert refunds.stray_payments(db.session.get(Order, order.id)) == []


def test_a_refund_stops_the_lesson_being_watched_and_no_completion_follows(
    app, learner, paid_course, admin, pay, movable_clock
):
    order = cart_order(learner, paid_course)
    pay(order)
    player = HonestPlayer(ApiClient(app, "learner1"), movable_clock, paid_course.lessons[0].id)
    player.step()

    refunds.refund_order(order.id, admin.id)

    movable_clock.advance(5)
    status, body = player.api.beat(player.session, player.seq + 1, player.position + 5)
    assert (status, body["error"]["code"]) == (409, "session_ended")
    assert learning.course_completion(learner.id, paid_course.id) is None
    # and a completion is never recorded without an enrolment in force, whoever asks
    assert learning.complete_where_finished(paid_course.id) == []


def test_refunding_the_current_period_moves_a_stacked_one_up(learner, plan, admin, pay):
    first = orders.order_plan(learner.id, plan.id)
    pay(first)
    second = orders.order_plan(learner.id, plan.id)
    pay(second)  # stacked: starts when the first ends
    refunds.refund_order(first.id, admin.id)

    db.session.expire_all()
    current = memberships.active_membership(learner.id)
    assert current is not None and current.order_id == second.id  # a member now, no gap
    assert (current.ends_at - current.starts_at).days == plan.days
