"""The order and payment state machines: every move in the tables works, every other is refused."""

from itertools import product

import pytest

from academy.commerce import lifecycle, orders
from academy.commerce.models import (
    ORDER_TRANSITIONS,
    PAYMENT_TRANSITIONS,
    IllegalTransition,
    Order,
    OrderStatus,
    Payment,
    PaymentStatus,
)
from academy.extensions import db
from tests.commerce.support import cart_order

ORDER_MOVES = list(product(OrderStatus, OrderStatus))
PAYMENT_MOVES = list(product(PaymentStatus, PaymentStatus))


def test_the_table_is_the_issue_s_state_machine():
    assert {
        OrderStatus.PENDING: {OrderStatus.PAID, OrderStatus.CANCELLED, OrderStatus.EXPIRED},
        OrderStatus.PAID: {OrderStatus.REFUNDED},
        OrderStatus.CANCELLED: set(),
        OrderStatus.EXPIRED: set(),
        OrderStatus.REFUNDED: set(),
    } == ORDER_TRANSITIONS


@pytest.fixture
def order(learner, paid_course):
    return cart_order(learner, paid_course)


def _set_status(row, status):
    # test set-up only: put the row where the move starts, bypassing the table on purpose
    row.status = status
    db.session.commit()


@pytest.mark.parametrize(("current", "target"), ORDER_MOVES, ids=lambda s: str(s))
def test_order_moves_only_along_the_table(order, current, target):
    _set_status(order, current)
    if target in ORDER_TRANSITIONS[current]:
        orders.transition(order, target)
        db.session.commit()
        assert db.session.get(Order, order.id).status == target
    else:
        with pytest.raises(IllegalTransition) as refused:
            orders.transition(order, target)
        said = "已经是" if current == target else "不能变为"  # twice: it says it is done
        assert refused.value.status == 409 and said in refused.value.message
        db.session.rollback()
        assert db.session.get(Order, order.id).status == current


@pytest.mark.parametrize(("current", "target"), PAYMENT_MOVES, ids=lambda s: str(s))
def test_payment_moves_only_along_the_table(order, current, target):
    payment = Payment(
        provider="alipay",
        trade_no="T1",
        order_id=order.id,
        amount_fen=order.total_fen,
        status=current,
        received_at=order.created_at,
    )
    db.session.add(payment)
    db.session.commit()
    if target in PAYMENT_TRANSITIONS[current]:
        assert lifecycle.move_if(Payment, PAYMENT_TRANSITIONS, payment.id, current, target)
    else:
        with pytest.raises(IllegalTransition):
            lifecycle.move_if(Payment, PAYMENT_TRANSITIONS, payment.id, current, target)
    db.session.commit()
    expected = target if target in PAYMENT_TRANSITIONS[current] else current
    assert db.session.get(Payment, payment.id).status == expected


def test_a_move_from_a_status_the_order_left_changes_nothing(order):
    """Two racing moves: the loser's conditional update matches no row."""
    assert orders.move_if(order.id, OrderStatus.PENDING, OrderStatus.CANCELLED)
    assert not orders.move_if(order.id, OrderStatus.PENDING, OrderStatus.PAID)
    db.session.commit()
    assert db.session.get(Order, order.id).status == OrderStatus.CANCELLED
