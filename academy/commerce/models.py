"""VIP plans and membership periods (orders, cart and payments join them here)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.db import CreatedAtMixin, Model


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
