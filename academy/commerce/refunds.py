"""Refunds: a paid order sent back (access ended, hours reversed), and money flagged for refund.

The provider's refund comes first, with the same request number every time (asking twice
refunds once); then one transaction moves the order and its payment, ends the access and adds
the reversing ledger entries. A refusal by the provider changes nothing here.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from academy import clock
from academy.commerce import lifecycle, orders
from academy.commerce.models import PAYMENT_TRANSITIONS, Order, OrderStatus, Payment, PaymentStatus
from academy.commerce.payments import provider, release_database
from academy.commerce.providers import ProviderError
from academy.credits import services as credits
from academy.errors import Refusal
from academy.extensions import db


def flagged_payments() -> list[Payment]:
    """Money that arrived for orders that could not take it, waiting for an admin's refund."""
    return list(
        db.session.scalars(
            select(Payment).where(Payment.status == PaymentStatus.NEEDS_REFUND).order_by(Payment.id)
        )
    )


def applied_payment(order_id: int) -> Payment | None:
    return db.session.scalar(
        select(Payment).where(
            Payment.order_id == order_id,
            Payment.status.in_([PaymentStatus.APPLIED, PaymentStatus.REFUNDED]),
        )
    )


def stray_payments(order: Order) -> list[Payment]:
    """Money that arrived for the order but did not pay it (it was cancelled, expired or paid
    already when the payment landed): flagged for refund, or already sent back."""
    paid_with = applied_payment(order.id) if order.paid_at is not None else None
    return [
        payment
        for payment in sorted(order.payments, key=lambda p: p.id)
        if paid_with is None or payment.id != paid_with.id
    ]


def _send_back(payment: Payment, request_no: str) -> None:
    """The provider's refund of a payment; Refusal(502) if it fails (nothing changed here)."""
    release_database()
    try:
        provider().refund(payment.order.number, payment.trade_no, payment.amount_fen, request_no)
    except ProviderError as error:
        raise Refusal(
            "refund_failed", _("支付平台退款失败：%(reason)s", reason=str(error)[:200]), 502
        ) from error


def refund_order(order_id: int, admin_id: int, note: str = "") -> Order:
    """Refund a paid order: the provider's refund, then in one transaction the order goes to
    refunded, access ends (its courses; a plan's period and the courses claimed in it) and
    the hours those courses earned are reversed by new ledger entries."""
    order = orders.get_order(order_id)
    if order is None:
        raise Refusal("not_found", _("订单不存在。"), 404)
    orders.check_transition(order, OrderStatus.REFUNDED)
    payment = applied_payment(order.id)
    if payment is not None:
        # the same request number every time: asking twice refunds once
        _send_back(payment, f"{order.number}R")
    now = clock.now()
    note = (note or "").strip()[:200]
    if not orders.move_if(
        order.id,
        OrderStatus.PAID,
        OrderStatus.REFUNDED,
        refunded_at=now,
        refunded_by=admin_id,
        refund_note=note,
    ):
        db.session.rollback()
        raise Refusal("order_changed", _("订单状态刚刚发生了变化，请刷新后再试。"), 409)
    if payment is not None:
        lifecycle.move_if(
            Payment,
            PAYMENT_TRANSITIONS,
            payment.id,
            PaymentStatus.APPLIED,
            PaymentStatus.REFUNDED,
            refunded_at=now,
        )
    course_ids = orders.revoke_access(order)
    if course_ids:
        credits.reverse_course_credits(
            order.user_id, course_ids, _("订单 %(number)s 退款", number=order.number)
        )
    db.session.commit()
    db.session.refresh(order)
    return order


def refund_flagged_payment(payment_id: int) -> Payment:
    """Send back money flagged for refund (it paid nothing); the order stays as it is."""
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        raise Refusal("not_found", _("支付记录不存在。"), 404)
    if payment.status != PaymentStatus.NEEDS_REFUND:
        raise Refusal("not_flagged", _("这笔支付没有待退款标记；已支付订单请在订单上退款。"), 409)
    _send_back(payment, f"{payment.trade_no}R")
    if not lifecycle.move_if(
        Payment,
        PAYMENT_TRANSITIONS,
        payment.id,
        PaymentStatus.NEEDS_REFUND,
        PaymentStatus.REFUNDED,
        refunded_at=clock.now(),
    ):
        db.session.rollback()
        raise Refusal("payment_changed", _("这笔支付刚刚已被处理。"), 409)
    db.session.commit()
    db.session.refresh(payment)
    return payment
