"""Alipay's asynchronous notification: verified, one effect however often it comes, and money
for an order that cannot take it recorded and flagged for refund, never dropped."""

import threading

import pytest
from sqlalchemy import func, select

from academy.commerce import orders
from academy.commerce.models import Order, OrderStatus, Payment, PaymentStatus
from academy.extensions import db
from academy.learning import services as learning
from academy.learning.models import Enrolment
from tests.commerce.support import cart_order, notification, notify


@pytest.fixture
def order(learner, paid_course):
    return cart_order(learner, paid_course)


def _state(order):
    db.session.rollback()
    db.session.expire_all()  # read what the requests (other threads too) committed
    payments = db.session.scalars(select(Payment).where(Payment.order_id == order.id)).all()
    return db.session.get(Order, order.id).status, payments


def _enrolments(user_id):
    db.session.rollback()
    return db.session.scalar(
        select(func.count(Enrolment.id)).where(
            Enrolment.user_id == user_id, Enrolment.revoked_at.is_(None)
        )
    )


def test_a_genuine_notification_pays_the_order_and_grants_the_course(
    app, anon, order, learner, paid_course
):
    assert notify(anon, notification(app, order)) == (200, "success")
    status, (payment,) = _state(order)
    assert status == OrderStatus.PAID and payment.status == PaymentStatus.APPLIED
    enrolment = learning.find_enrolment(learner.id, paid_course.id)
    assert enrolment.source == "purchase" and enrolment.order_id == order.id


def test_the_answer_is_plain_text_success(app, anon, order):
    response = anon.post("/payments/alipay/notify", data=notification(app, order))
    assert response.mimetype == "text/plain" and response.get_data() == b"success"


def _tampered(app, order):
    fields = notification(app, order)
    fields["total_amount"] = "0.01"  # changed after signing
    return fields


@pytest.mark.parametrize(
    "make_fields",
    [
        pytest.param(_tampered, id="tampered signature"),
        pytest.param(
            lambda app, order: {**notification(app, order), "sign": "bm90IGEgc2lnbmF0dXJl"},
            id="signature of nothing",
        ),
        pytest.param(
            lambda app, order: {k: v for k, v in notification(app, order).items() if k != "sign"},
            id="unsigned",
        ),
        pytest.param(
            lambda app, order: {**notification(app, order), "sign_type": "RSA"}, id="RSA1"
        ),
        pytest.param(
            lambda app, order: notification(app, order, total_amount="1.00"), id="wrong amount"
        ),
        pytest.param(
            lambda app, order: notification(app, order, app_id="2021000000000000"),
            id="wrong app id",
        ),
        pytest.param(
            lambda app, order: notification(app, order, out_trade_no="20990101000000000000"),
            id="unknown order",
        ),
        pytest.param(
            lambda app, order: notification(app, order, total_amount="-99.00"), id="negative"
        ),
    ],
)
def test_a_notification_that_is_not_genuine_changes_nothing(app, anon, order, make_fields):
    status, body = notify(anon, make_fields(app, order))
    assert status == 400 and body != "success"
    assert _state(order) == (OrderStatus.PENDING, [])
    assert _enrolments(order.user_id) == 0


def test_the_amount_must_equal_the_order_total_even_in_yuan_spelled_differently(app, anon, order):
    """99.00 and 99.0 are the same money; 98.99 is not."""
    assert notify(anon, notification(app, order, total_amount="98.99"))[0] == 400
    assert notify(anon, notification(app, order, total_amount="99.0")) == (200, "success")


def test_the_same_notification_ten_times_has_one_effect(app, anon, order):
    fields = notification(app, order)
    answers = [notify(anon, fields) for _ in range(10)]
    assert answers == [(200, "success")] * 10  # Alipay stops resending only on success
    status, payments = _state(order)
    assert status == OrderStatus.PAID and len(payments) == 1
    assert _enrolments(order.user_id) == 1


def _post_at_once(app, forms: list[dict]) -> list[tuple[int, str]]:
    """Each notification from its own thread, all released together; their answers."""
    db.session.commit()  # the test holds no SQLite lock while the threads run
    answers, barrier = [], threading.Barrier(len(forms))

    def post(fields):
        with app.app_context():
            client = app.test_client()
            barrier.wait()
            answers.append(notify(client, fields))

    threads = [threading.Thread(target=post, args=(fields,)) for fields in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_concurrent_notifications_have_one_effect(app, order):
    """Twelve threads post the same notification at once to the file SQLite database."""
    answers = _post_at_once(app, [notification(app, order)] * 12)
    assert answers == [(200, "success")] * 12
    status, payments = _state(order)
    assert status == OrderStatus.PAID and len(payments) == 1
    assert payments[0].status == PaymentStatus.APPLIED
    assert _enrolments(order.user_id) == 1


def test_the_same_order_paid_by_two_trades_is_paid_once_and_the_second_flagged(app, order):
    """Two payments (two trade numbers) for one order, racing: one pays it, the other is kept
    for refund."""
    first = notification(app, order, trade_no="2026112322001400000000000001")
    second = notification(app, order, trade_no="2026112322001400000000000002")
    assert _post_at_once(app, [first, second]) == [(200, "success")] * 2
    status, payments = _state(order)
    assert status == OrderStatus.PAID
    assert sorted(p.status for p in payments) == [
        PaymentStatus.APPLIED,
        PaymentStatus.NEEDS_REFUND,
    ]
    assert _enrolments(order.user_id) == 1


@pytest.mark.parametrize("closed_as", ["expired", "cancelled"])
def test_a_late_notification_is_recorded_and_flagged_for_refund(
    app, anon, order, learner, paid_course, movable_clock, closed_as
):
    if closed_as == "expired":
        movable_clock.advance(31 * 60)
        assert orders.expire_overdue_orders() == 1
    else:
        orders.cancel_order(learner.id, order.id)
    assert notify(anon, notification(app, order)) == (200, "success")
    status, (payment,) = _state(order)
    assert status == closed_as
    assert payment.status == PaymentStatus.NEEDS_REFUND and payment.amount_fen == 9900
    assert learning.find_enrolment(learner.id, paid_course.id) is None
    # and replaying it changes nothing more
    assert notify(anon, notification(app, order)) == (200, "success")
    assert len(_state(order)[1]) == 1


def test_a_notice_of_a_closed_trade_is_acknowledged_and_changes_nothing(app, anon, order):
    assert notify(anon, notification(app, order, trade_status="TRADE_CLOSED")) == (
        200,
        "success",
    )
    assert _state(order) == (OrderStatus.PENDING, [])


def test_the_notify_url_needs_no_login_no_csrf_and_is_never_rate_limited(app, anon, order):
    app.config["COMMERCE_WRITE_LIMIT"] = "1/minute"
    fields = notification(app, order)
    assert [notify(anon, fields)[0] for _ in range(5)] == [200] * 5
