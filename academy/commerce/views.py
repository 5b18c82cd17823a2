"""Cart, orders, VIP plans, claims, and the payment provider's notify and return URLs."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.commerce import cart, claims, memberships, orders, payments, plans, refunds
from academy.commerce.limits import commerce_writes
from academy.commerce.models import OrderStatus
from academy.commerce.orders import STATUS_LABELS
from academy.errors import Refusal
from academy.extensions import csrf, limiter
from academy.templating import join_list

log = logging.getLogger(__name__)

bp = Blueprint("commerce", __name__, template_folder="templates")


@bp.app_context_processor
def pending_order_banner() -> dict:
    """Every page: the learner's order awaiting payment, for the banner in base.html."""
    pending = None
    if current_user.is_authenticated:
        pending = orders.pending_order_of(current_user.id)
    return {"pending_order": pending, "order_status_labels": STATUS_LABELS}


def _refused(refusal: Refusal, target: str):
    """A refusal as the page shows it: not found is a 404, anything else a message at `target`."""
    if refusal.status == 404:
        abort(404)
    flash(refusal.message, "error")
    return redirect(target)


# -- cart -----------------------------------------------------------------------------------------


@bp.get("/cart")
@login_required
def show_cart():
    lines = cart.cart_lines(current_user.id)
    discount, member_total_fen = orders.cart_quote(current_user.id, lines)
    return render_template(
        "commerce/cart.html",
        lines=lines,
        buyable=[line for line in lines if line.unavailable is None],
        total_fen=cart.cart_total(lines),
        discount=discount,
        member_total_fen=member_total_fen,
    )


@bp.post("/cart/items")
@commerce_writes
@login_required
def add_cart_item():
    course_id = request.form.get("course_id", type=int) or 0
    back = (
        url_for("catalog.course", course_id=course_id)
        if course_id
        else url_for("commerce.show_cart")
    )
    try:
        cart.add_to_cart(current_user.id, course_id)
    except Refusal as refusal:
        return _refused(refusal, back)
    flash(_("已加入购物车。"), "success")
    return redirect(back)


@bp.post("/cart/items/<int:course_id>/remove")
@commerce_writes
@login_required
def remove_cart_item(course_id: int):
    try:
        cart.remove_from_cart(current_user.id, course_id)
    except Refusal as refusal:
        return _refused(refusal, url_for("commerce.show_cart"))
    flash(_("已从购物车移除。"), "success")
    return redirect(url_for("commerce.show_cart"))


@bp.post("/cart/checkout")
@commerce_writes
@login_required
def checkout():
    try:
        order = orders.checkout_cart(current_user.id)
    except Refusal as refusal:
        return _refused(refusal, url_for("commerce.show_cart"))
    left = [line.course.title for line in cart.cart_lines(current_user.id)]
    if left:  # what checkout left out, as the cart marked it
        flash(_("以下课程已不能购买，未加入订单，仍留在购物车：%(titles)s", titles=join_list(left)))
    return redirect(url_for("commerce.show_order", order_id=order.id))


# -- orders ---------------------------------------------------------------------------------------


@bp.get("/me/orders")
@login_required
def my_orders():
    return render_template("commerce/orders.html", orders=orders.list_orders_of(current_user.id))


@bp.get("/me/orders/<int:order_id>")
@login_required
def show_order(order_id: int):
    try:
        order = orders.get_user_order(current_user.id, order_id)
    except Refusal as refusal:
        return _refused(refusal, url_for("commerce.my_orders"))
    return render_template(
        "commerce/order.html",
        order=order,
        OrderStatus=OrderStatus,
        stray_payments=refunds.stray_payments(order),
    )


@bp.get("/me/orders/<int:order_id>/pay")
@commerce_writes
@login_required
def pay_order(order_id: int):
    """Off to the gateway. A link, not a form: a form's redirect to another origin would be
    blocked by the form-action rule of our Content-Security-Policy."""
    try:
        url = payments.start_payment(current_user.id, order_id)
    except Refusal as refusal:
        return _refused(refusal, url_for("commerce.show_order", order_id=order_id))
    return redirect(url)


@bp.post("/me/orders/<int:order_id>/cancel")
@commerce_writes
@login_required
def cancel_order(order_id: int):
    try:
        payments.cancel_order(current_user.id, order_id)
    except Refusal as refusal:
        return _refused(refusal, url_for("commerce.show_order", order_id=order_id))
    flash(_("订单已取消。"), "success")
    return redirect(url_for("commerce.show_order", order_id=order_id))


# -- VIP ------------------------------------------------------------------------------------------


@bp.get("/vip")
def vip():
    membership = end = None
    if current_user.is_authenticated:
        membership = memberships.active_membership(current_user.id)
        end = memberships.membership_end(current_user.id)
    return render_template(
        "commerce/vip.html",
        plans=plans.list_plans(on_sale_only=True),
        membership=membership,
        membership_end=end,
    )


@bp.post("/vip/plans/<int:plan_id>/buy")
@commerce_writes
@login_required
def buy_plan(plan_id: int):
    try:
        order = orders.order_plan(current_user.id, plan_id)
    except Refusal as refusal:
        return _refused(refusal, url_for("commerce.vip"))
    return redirect(url_for("commerce.show_order", order_id=order.id))


@bp.post("/courses/<int:course_id>/claim")
@commerce_writes
@login_required
def claim(course_id: int):
    back = url_for("catalog.course", course_id=course_id)
    try:
        claims.claim_course(current_user.id, course_id)
    except Refusal as refusal:
        return _refused(refusal, back)
    flash(_("领取成功，可以开始学习了。"), "success")
    return redirect(back)


# -- the provider's side --------------------------------------------------------------------------


@bp.post(payments.NOTIFY_PATH)
@csrf.exempt
@limiter.exempt
def alipay_notify():
    """Alipay's asynchronous notification: form-encoded, no login, no CSRF token, never rate
    limited. The text `success` tells Alipay to stop resending; anything else, it retries."""
    try:
        outcome = payments.receive_notification(request.form.to_dict())
    except Refusal as refusal:
        log.warning("notification refused: %s", refusal.code)
        return Response("fail", status=400, mimetype="text/plain")
    log.info("notification accepted: %s", outcome)
    return Response("success", mimetype="text/plain")


@bp.get(payments.RETURN_PATH)
@login_required
def alipay_return():
    """Where the gateway sends the payer back; the order page says how it stands."""
    order = orders.find_by_number(request.args.get("out_trade_no", ""))
    if order is None or order.user_id != current_user.id:
        abort(404)
    order = payments.check_with_provider(order)
    if order.status == OrderStatus.PAID:
        flash(_("支付成功。"), "success")
    elif order.status == OrderStatus.PENDING:
        flash(_("支付未完成，订单仍待支付；如已付款，请稍后刷新本页。"), "error")
    return redirect(url_for("commerce.show_order", order_id=order.id))
