"""Admin pages of commerce: VIP plans, orders (filters, refunds), payments flagged for refund."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.admin.views import bp
from academy.auth.decorators import admin_required
from academy.catalog import services as catalog
from academy.commerce import orders, plans, refunds
from academy.commerce.forms import PlanForm
from academy.commerce.models import OrderStatus
from academy.errors import Refusal

#: the service's value names and the form's fields that show their errors
PLAN_FORM_FIELDS = {
    "name": "name",
    "price_fen": "price",
    "days": "days",
    "discount_percent": "discount_percent",
    "quota_centihours": "quota_hours",
}


@bp.get("/plans")
@admin_required
def plans_list():
    return render_template("admin/plans.html", plans=plans.list_plans())


@bp.route("/plans/new", methods=["GET", "POST"])
@admin_required
def plan_new():
    return _plan_form(None)


@bp.route("/plans/<int:plan_id>", methods=["GET", "POST"])
@admin_required
def plan_edit(plan_id: int):
    return _plan_form(plans.get_plan(plan_id) or abort(404))


def _plan_form(plan):
    data = None
    if plan is not None:
        data = {
            "name": plan.name,
            "price": Decimal(plan.price_fen) / 100,
            "days": plan.days,
            "discount_percent": plan.discount_percent,
            "quota_hours": Decimal(plan.quota_centihours) / 100,
            "active": plan.active,
        }
    form = PlanForm(data=data)
    if form.validate_on_submit():
        try:
            saved = plans.save_plan(plan, form.values())
        except Refusal as refusal:
            name = PLAN_FORM_FIELDS.get(refusal.code.removeprefix("invalid_"), "name")
            getattr(form, name).errors.append(refusal.message)
        else:
            flash(_("会员方案「%(name)s」已保存。", name=saved.name), "success")
            return redirect(url_for("admin.plans_list"))
    status = 422 if request.method == "POST" else 200  # refused: said beside the fields
    return render_template("admin/plan_form.html", form=form, plan=plan), status


@bp.get("/member-courses")
@admin_required
def member_courses():
    """Which courses members may claim free, and which are member-recommended."""
    courses = [c for c in catalog.list_published_courses() if not c.is_free]
    return render_template("admin/member_courses.html", courses=courses)


@bp.post("/member-courses/<int:course_id>")
@admin_required
def set_member_flags(course_id: int):
    course = catalog.get_published_course(course_id) or abort(404)
    try:
        catalog.set_member_flags(
            course,
            claimable=request.form.get("claimable") == "1",
            recommended=request.form.get("recommended") == "1",
        )
    except Refusal as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("admin.member_courses"))
    flash(_("课程「%(title)s」的会员设置已保存。", title=course.title), "success")
    return redirect(url_for("admin.member_courses"))


def _day(text: str | None, *, end: bool = False) -> datetime | None:
    """A Beijing calendar day from the filter as the naive-UTC start (or end) of that day."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    start = datetime(day.year, day.month, day.day) - timedelta(hours=8)
    return start + timedelta(days=1) if end else start


@bp.get("/orders")
@admin_required
def orders_list():
    filters = {
        name: request.args.get(name, "").strip()[:40] for name in ("status", "number", "user")
    }
    filters["from"] = request.args.get("from", "")[:10]
    filters["to"] = request.args.get("to", "")[:10]
    if filters["status"] not in {*OrderStatus, ""}:
        filters["status"] = ""
    rows = orders.search_orders(
        status=filters["status"],
        number=filters["number"],
        username=filters["user"],
        day_from=_day(filters["from"]),
        day_to=_day(filters["to"], end=True),
    )
    return render_template(
        "admin/orders.html",
        rows=rows,
        filters=filters,
        statuses=list(OrderStatus),
        flagged=refunds.flagged_payments(),
    )


@bp.get("/orders/<int:order_id>")
@admin_required
def order_detail(order_id: int):
    order = orders.get_order(order_id) or abort(404)
    return render_template("admin/order.html", order=order, OrderStatus=OrderStatus)


def _refund(refund, done: str, back: str):
    """Run a refund; its refusal is a message on the page (not found: 404)."""
    try:
        refund()
    except Refusal as refusal:
        if refusal.status == 404:
            abort(404)
        flash(refusal.message, "error")
    else:
        flash(done, "success")
    return redirect(back)


@bp.post("/orders/<int:order_id>/refund")
@admin_required
def refund_order(order_id: int):
    return _refund(
        lambda: refunds.refund_order(order_id, current_user.id, request.form.get("note", "")),
        _("订单已退款，相关学习权限已收回。"),
        url_for("admin.order_detail", order_id=order_id),
    )


@bp.post("/payments/<int:payment_id>/refund")
@admin_required
def refund_payment(payment_id: int):
    return _refund(
        lambda: refunds.refund_flagged_payment(payment_id),
        _("款项已原路退回。"),
        url_for("admin.orders_list"),
    )
