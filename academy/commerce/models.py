"""Commerce tables: VIP plans and membership periods, the cart, orders and the payments on them.

Orders and payments have a lifecycle: a StrEnum status and one table of allowed moves beside
it (`ORDER_TRANSITIONS`, `PAYMENT_TRANSITIONS`); `check_move` refuses anything else. The moves
themselves are conditional updates in commerce/orders.py and commerce/payments.py.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.catalog.models import Course
from academy.db import CreatedAtMixin, Model, unique_where
from academy.errors import Refusal


class Plan(CreatedAtMixin, Model):
    """A VIP membership plan as the admin defines it."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    #: in fen
    price_fen: Mapped[int] = mapped_column(Integer)
    days: Mapped[int] = mapped_column(Integer)
    #: members pay this much less for courses they buy (0–100)
    discount_percent: Mapped[int] = mapped_column(Integer, default=0)
    #: hours a certificate holder may earn per period through claimed courses (hundredths)
    quota_centihours: Mapped[int] = mapped_column(Integer, default=2500)
    #: offered for sale; old plans stay for the periods bought with them
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Membership(CreatedAtMixin, Model):
    """One paid membership period; buying again adds a period starting where the last ends."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    #: the order that paid for it (unique: one period per paid order)
    order_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    #: copied from the plan when bought, so a later plan change does not touch this period
    quota_centihours: Mapped[int] = mapped_column(Integer)
    #: set when the paying order is refunded: the period ends then
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    plan: Mapped[Plan] = relationship()


class CartItem(CreatedAtMixin, Model):
    """A course a learner put in the cart; checkout turns the cart into an order."""

    __tablename__ = "cart_items"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))

    course: Mapped[Course] = relationship()


# -- the order's lifecycle ----------------------------------------------------------------------


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REFUNDED = "refunded"


#: every move an order may make; the state-machine tests walk this table
ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED, OrderStatus.EXPIRED}),
    OrderStatus.PAID: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.EXPIRED: frozenset(),
    OrderStatus.REFUNDED: frozenset(),
}


class PaymentStatus(StrEnum):
    #: it paid its order
    APPLIED = "applied"
    #: money arrived for an order that could not take it (expired, cancelled, already paid):
    #: kept and shown to admins, who send it back
    NEEDS_REFUND = "needs_refund"
    REFUNDED = "refunded"


#: every move a payment may make
PAYMENT_TRANSITIONS: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    PaymentStatus.APPLIED: frozenset({PaymentStatus.REFUNDED}),
    PaymentStatus.NEEDS_REFUND: frozenset({PaymentStatus.REFUNDED}),
    PaymentStatus.REFUNDED: frozenset(),
}


class IllegalTransition(Refusal):
    """A move the transition table does not allow."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(
            "illegal_transition",
            _("状态不能从 %(current)s 变为 %(target)s。", current=current, target=target),
            409,
        )
        self.current, self.target = current, target


def check_move(table: dict, current: str, target: str) -> None:
    """Raise IllegalTransition unless `table` allows current -> target."""
    allowed = table.get(current)
    if allowed is None or target not in allowed:
        raise IllegalTransition(str(current), str(target))


class Order(CreatedAtMixin, Model):
    """What a learner agreed to pay, with the prices frozen at checkout."""

    __tablename__ = "orders"
    __table_args__ = (
        # One order awaits payment per account: the banner has one thing to point at, and a
        # course cannot sit in two payable orders at once.
        unique_where("uq_orders_pending_user", "user_id", where="status = 'pending'"),
        CheckConstraint("total_fen >= 0", name="total_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: what the learner and the provider see (Alipay's out_trade_no)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: 'courses' (from the cart) or 'plan' (a membership period)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.PENDING, index=True)
    #: in fen, the sum of the items' frozen prices
    total_fen: Mapped[int] = mapped_column(Integer)
    #: the member discount applied at checkout (0: none)
    discount_percent: Mapped[int] = mapped_column(Integer, default=0)
    #: unpaid by then, the expiry job moves it to expired (ORDER_EXPIRY_MINUTES)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: the admin who refunded it, and why
    refunded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    refund_note: Mapped[str] = mapped_column(String(200), default="")

    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", order_by="OrderItem.id", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="order", order_by="Payment.id", viewonly=True
    )


class OrderItem(Model):
    """One course or plan of an order, at the price it had when the order was made."""

    __tablename__ = "order_items"
    __table_args__ = (
        CheckConstraint("price_fen >= 0 AND list_price_fen >= 0", name="prices_not_negative"),
        CheckConstraint("(course_id IS NULL) <> (plan_id IS NULL)", name="course_or_plan"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    #: copied, so the order reads the same after the course or plan is renamed
    title: Mapped[str] = mapped_column(String(120))
    #: the catalog price at checkout, and what the learner pays after the member discount
    list_price_fen: Mapped[int] = mapped_column(Integer)
    price_fen: Mapped[int] = mapped_column(Integer)

    order: Mapped[Order] = relationship(back_populates="items")


class Payment(Model):
    """Money the provider says it took for an order: one row per provider trade."""

    __tablename__ = "payments"
    __table_args__ = (
        # The same notification ten times, or concurrently, makes one row.
        UniqueConstraint("provider", "trade_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    #: the provider's id of the trade (Alipay's trade_no)
    trade_no: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    #: when the payer paid, as the provider says (naive UTC)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: the verified fields of the notification or query that reported it
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    order: Mapped[Order] = relationship(back_populates="payments")


class SandboxTrade(CreatedAtMixin, Model):
    """The built-in sandbox gateway's own record of a trade (it plays Alipay on this machine).

    Only academy/commerce/sandbox.py reads or writes it; the shop's tables above never do.
    """

    __tablename__ = "sandbox_trades"
    __table_args__ = (UniqueConstraint("app_id", "out_trade_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trade_no: Mapped[str] = mapped_column(String(64), unique=True)
    app_id: Mapped[str] = mapped_column(String(32))
    out_trade_no: Mapped[str] = mapped_column(String(64))
    total_fen: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(256), default="")
    #: Alipay's trade states: WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_CLOSED
    status: Mapped[str] = mapped_column(String(20))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime)
    refunded_fen: Mapped[int] = mapped_column(Integer, default=0)
    #: out_request_no of the refund made, so that asking twice refunds once (as Alipay does)
    refund_request_no: Mapped[str] = mapped_column(String(64), default="")
    #: closed by the shop (alipay.trade.close, its order cancelled): it takes no payment after
    closed_by_shop: Mapped[bool] = mapped_column(Boolean, default=False)
