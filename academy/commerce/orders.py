"""Orders: checkout from the cart or for a plan, the moves of their lifecycle, expiry, reading.

Every move is `transition` (or `move_if`): the transition table decides whether the move is
allowed at all, and a conditional UPDATE ... WHERE status = <current> decides who wins a race.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from academy import clock
from academy.auth.models import User
from academy.catalog.models import Course
from academy.commerce import cart, lifecycle, memberships
from academy.commerce.models import (
    ORDER_TRANSITIONS,
    CartItem,
    IllegalTransition,
    Order,
    OrderItem,
    OrderStatus,
    Plan,
    check_move,
)
from academy.errors import Refusal
from academy.extensions import db
from academy.learning import services as learning

STATUS_LABELS = {
    OrderStatus.PENDING: _l("待支付"),
    OrderStatus.PAID: _l("已支付"),
    OrderStatus.CANCELLED: _l("已取消"),
    OrderStatus.EXPIRED: _l("已超时"),
    OrderStatus.REFUNDED: _l("已退款"),
}


def member_price(price_fen: int, discount_percent: int) -> int:
    """A course's price after a member discount, in whole fen, rounded half up."""
    return (price_fen * (100 - discount_percent) + 50) // 100


def new_order_number(now: datetime) -> str:
    """Beijing date and time then six random digits, e.g. 20261123160000482913 (20 digits)."""
    local = now + timedelta(hours=8)
    return f"{local:%Y%m%d%H%M%S}{secrets.randbelow(10**6):06d}"


# -- reading ------------------------------------------------------------------------------------


def get_order(order_id: int) -> Order | None:
    return db.session.get(Order, order_id)


def get_user_order(user_id: int, order_id: int) -> Order:
    """The learner's own order; someone else's is as absent as a missing one (404)."""
    order = db.session.get(Order, order_id)
    if order is None or order.user_id != user_id:
        raise Refusal("not_found", _("订单不存在。"), 404)
    return order


def find_by_number(number: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.number == number))


def pending_order_of(user_id: int) -> Order | None:
    """The learner's order awaiting payment, if any (there is at most one)."""
    return db.session.scalar(
        select(Order).where(Order.user_id == user_id, Order.status == OrderStatus.PENDING)
    )


def list_orders_of(user_id: int) -> list[Order]:
    """The learner's orders, newest first, with their items."""
    return list(
        db.session.scalars(
            select(Order)
            .where(Order.user_id == user_id)
            .options(selectinload(Order.items))
            .order_by(Order.id.desc())
        )
    )


def search_orders(
    *,
    status: str = "",
    number: str = "",
    username: str = "",
    day_from: datetime | None = None,
    day_to: datetime | None = None,
    limit: int = 200,
) -> list[tuple[Order, User]]:
    """Orders for the admin list, newest first, filtered by each given value."""
    query = select(Order, User).join(User, User.id == Order.user_id)
    if status:
        query = query.where(Order.status == status)
    if number:
        query = query.where(Order.number.contains(number.strip()))
    if username:
        query = query.where(func.lower(User.username).contains(username.strip().lower()))
    if day_from is not None:
        query = query.where(Order.created_at >= day_from)
    if day_to is not None:
        query = query.where(Order.created_at < day_to)
    return [tuple(row) for row in db.session.execute(query.order_by(Order.id.desc()).limit(limit))]


# -- the lifecycle ------------------------------------------------------------------------------


def move_if(order_id: int, current: str, target: str, **values) -> bool:
    """Move an order from `current` to `target` if it is still there (lifecycle.move_if)."""
    return lifecycle.move_if(Order, ORDER_TRANSITIONS, order_id, current, target, **values)


def check_transition(order: Order, target: str) -> None:
    """Raise IllegalTransition, in words a person reads, unless the table allows the move."""
    try:
        check_move(ORDER_TRANSITIONS, order.status, target)
    except IllegalTransition as refusal:
        if order.status == target:  # cancelled twice, refunded twice: say it is done
            refusal.message = _(
                "订单已经是「%(current)s」了。", current=STATUS_LABELS.get(target, target)
            )
        else:
            refusal.message = _(
                "订单当前为「%(current)s」，不能变为「%(target)s」。",
                current=STATUS_LABELS.get(order.status, order.status),
                target=STATUS_LABELS.get(target, target),
            )
        raise


def transition(order: Order, target: str, **values) -> None:
    """Move `order` from the status it has to `target`, or raise (no commit)."""
    check_transition(order, target)
    if not move_if(order.id, order.status, target, **values):
        db.session.refresh(order)
        raise Refusal("order_changed", _("订单状态刚刚发生了变化，请刷新后再试。"), 409)
    db.session.refresh(order)


# -- checkout -----------------------------------------------------------------------------------


def _pending_refusal() -> Refusal:
    return Refusal("order_pending", _("您有一笔待支付的订单，请先支付或取消后再下新订单。"), 409)


def _place(order: Order) -> Order:
    """Insert a new pending order (no commit).

    The partial unique index on pending orders refuses a second one, even from racing
    requests; a collision of random numbers is retried with a fresh one.
    """
    for _attempt in range(3):
        order.number = new_order_number(order.created_at)
        try:
            with db.session.begin_nested():
                db.session.add(order)
        except IntegrityError:
            if pending_order_of(order.user_id) is not None:
                db.session.rollback()
                raise _pending_refusal() from None
            continue
        return order
    raise RuntimeError("could not draw a free order number")


def _new_order(user_id: int, kind: str) -> Order:
    now = clock.now()
    if pending_order_of(user_id) is not None:
        raise _pending_refusal()
    minutes = current_app.config["ORDER_EXPIRY_MINUTES"]
    return Order(
        user_id=user_id,
        kind=kind,
        status=OrderStatus.PENDING,
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
        total_fen=0,
    )


def cart_quote(user_id: int, lines: list[cart.CartLine]) -> tuple[int, int]:
    """(discount percent, total in fen) that checking the cart out now would charge: the
    courses that can be bought, at the member price when a membership is current."""
    membership = memberships.active_membership(user_id)
    discount = membership.plan.discount_percent if membership else 0
    total = sum(
        member_price(line.course.price_fen, discount) for line in lines if not line.unavailable
    )
    return discount, total


def checkout_cart(user_id: int) -> Order:
    """Turn the learner's cart into an order awaiting payment, prices frozen now.

    A member's plan discount applies to every course. The courses ordered leave the cart in the
    same transaction; one that can no longer be bought (withdrawn, made free, owned meanwhile)
    is left out and stays in the cart, marked, as shops do with 失效商品. Refused, changing
    nothing, if the cart is empty, an order already awaits payment, or nothing in it can be
    bought.
    """
    items = list(
        db.session.scalars(
            select(CartItem).where(CartItem.user_id == user_id).order_by(CartItem.id)
        )
    )
    if not items:
        raise Refusal("cart_empty", _("购物车是空的。"), 422)
    order = _new_order(user_id, "courses")
    items = [item for item in items if cart.why_not_buyable(user_id, item.course) is None]
    if not items:
        raise Refusal(
            "nothing_buyable",
            _("购物车里的课程现在都不能购买（已下架、已改为免费或已拥有），请移除后再选课。"),
            409,
        )
    membership = memberships.active_membership(user_id)
    order.discount_percent = membership.plan.discount_percent if membership else 0
    for item in items:
        course: Course = item.course
        order.items.append(
            OrderItem(
                course_id=course.id,
                title=course.title,
                list_price_fen=course.price_fen,
                price_fen=member_price(course.price_fen, order.discount_percent),
            )
        )
    order.total_fen = sum(item.price_fen for item in order.items)
    _place(order)
    db.session.execute(delete(CartItem).where(CartItem.id.in_([item.id for item in items])))
    _settle_if_free(order)
    db.session.commit()
    return order


def order_plan(user_id: int, plan_id: int) -> Order:
    """An order for one period of a plan, at the plan's price now."""
    plan = db.session.get(Plan, plan_id)
    if plan is None or not plan.active:
        raise Refusal("not_found", _("会员方案不存在。"), 404)
    order = _new_order(user_id, "plan")
    order.items.append(
        OrderItem(
            plan_id=plan.id,
            title=plan.name,
            list_price_fen=plan.price_fen,
            price_fen=plan.price_fen,
        )
    )
    order.total_fen = plan.price_fen
    _place(order)
    _settle_if_free(order)
    db.session.commit()
    return order


def _settle_if_free(order: Order) -> None:
    """An order that costs nothing (a full member discount) is paid as it is placed."""
    if order.total_fen == 0 and move_if(
        order.id, OrderStatus.PENDING, OrderStatus.PAID, paid_at=clock.now()
    ):
        fulfil(order)


def fulfil(order: Order) -> None:
    """Grant what a paid order bought, in the transaction that marked it paid."""
    if order.kind == "plan":
        plan = db.session.get(Plan, order.items[0].plan_id)
        memberships.add_period(order.user_id, plan, order.id)
        return
    course_ids = [item.course_id for item in order.items]
    for course_id in course_ids:
        learning.grant_purchase(order.user_id, course_id, order.id)
    cart.drop_owned(order.user_id, course_ids)


def revoke_access(order: Order) -> list[int]:
    """End what a refunded order granted: its courses, or its membership period and the
    courses claimed in that period. In the caller's transaction; returns the course ids."""
    revoked = learning.revoke_enrolments(order_id=order.id)
    if order.kind == "plan":
        period = memberships.revoke_period(order.id)
        if period is not None:
            revoked += learning.revoke_enrolments(membership_id=period.id)
    return [course_id for _user_id, course_id in revoked]


def cancel_order(user_id: int, order_id: int) -> Order:
    """The learner cancels an order that awaits payment."""
    order = get_user_order(user_id, order_id)
    transition(order, OrderStatus.CANCELLED, closed_at=clock.now())
    db.session.commit()
    return order


def expire_overdue_orders() -> int:
    """Expire every order still unpaid at its expiry time; returns how many (the periodic job).

    Each move is conditional, so a payment landing at the same moment wins or loses cleanly,
    and running this twice changes nothing the second time.
    """
    now = clock.now()
    overdue = db.session.scalars(
        select(Order.id).where(Order.status == OrderStatus.PENDING, Order.expires_at <= now)
    ).all()
    expired = sum(
        move_if(order_id, OrderStatus.PENDING, OrderStatus.EXPIRED, closed_at=now)
        for order_id in overdue
    )
    db.session.commit()
    return expired
