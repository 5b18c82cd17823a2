"""VIP plans as the admin defines them: price, length, member discount, hour quota."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from academy.commerce.models import Plan
from academy.errors import Refusal
from academy.extensions import db

#: each value's allowed range; the form says the same in yuan and hours
PLAN_BOUNDS = {
    # up to ¥100,000: far above any real plan, so a slipped digit is refused
    "price_fen": (0, 10_000_000),
    # up to ten years
    "days": (1, 3650),
    "discount_percent": (0, 100),
    # up to 1,000 hours; the product's default is 25 (PRODUCT.md)
    "quota_centihours": (0, 100_000),
}
PLAN_FIELDS = ("name", *PLAN_BOUNDS, "active")


def list_plans(*, on_sale_only: bool = False) -> list[Plan]:
    query = select(Plan).order_by(Plan.price_fen, Plan.id)
    if on_sale_only:
        query = query.where(Plan.active.is_(True))
    return list(db.session.scalars(query))


def get_plan(plan_id: int) -> Plan | None:
    return db.session.get(Plan, plan_id)


def check_plan_values(values: dict) -> dict:
    """The values, checked; Refusal('invalid_<field>') names the field that is wrong."""
    name = (values.get("name") or "").strip()
    if not name or len(name) > 60:
        raise Refusal("invalid_name", _("请填写方案名称（最多 60 个字）。"), 422)
    for field, (low, high) in PLAN_BOUNDS.items():
        value = values.get(field)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Refusal(f"invalid_{field}", _("取值超出允许范围。"), 422)
    return {**values, "name": name, "active": bool(values.get("active", True))}


def save_plan(plan: Plan | None, values: dict) -> Plan:
    """Create a plan (plan None) or change one; periods already bought keep what they had."""
    values = check_plan_values(values)
    same_name = select(Plan.id).where(Plan.name == values["name"])
    if plan is not None:
        same_name = same_name.where(Plan.id != plan.id)
    if db.session.scalar(same_name) is not None:  # two 年度 VIP at two prices on /vip
        raise Refusal(
            "invalid_name",
            _("已有同名的会员方案「%(name)s」，请换一个名称。", name=values["name"]),
            422,
        )
    if plan is None:
        plan = Plan()
        db.session.add(plan)
    for field in PLAN_FIELDS:
        setattr(plan, field, values[field])
    db.session.commit()
    return plan
