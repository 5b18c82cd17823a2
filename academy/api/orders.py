"""/api/v1/orders: checkout, the learner's orders, cancelling and paying them."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy import clock
from academy.api import bp, field, id_field, json_body
from academy.commerce import orders, payments
from academy.commerce.limits import commerce_writes
from academy.commerce.models import Order
from academy.errors import Refusal


def order_json(order: Order) -> dict:
    return {
        "id": order.id,
        "number": order.number,
        "status": order.status,
        "kind": order.kind,
        "total_fen": order.total_fen,
        "discount_percent": order.discount_percent,
        "items": [
            {
                "course_id": item.course_id,
                "plan_id": item.plan_id,
                "title": item.title,
                "list_price_fen": item.list_price_fen,
                "price_fen": item.price_fen,
            }
            for item in order.items
        ],
        "created_at": clock.iso(order.created_at),
        "expires_at": clock.iso(order.expires_at),
        "paid_at": clock.iso(order.paid_at),
    }


@bp.post("/orders")
@commerce_writes
@login_required
def create_order():
    """{"from_cart": true} checks the cart out; {"plan_id": N} buys a membership period."""
    data = json_body()
    from_cart = field(data, "from_cart", bool, required=False)
    plan_id = id_field(data, "plan_id", required=False)
    if bool(from_cart) == (plan_id is not None):
        raise Refusal("invalid_field", _("请给出 from_cart: true 或 plan_id 之一。"), 422)
    if from_cart:
        order = orders.checkout_cart(current_user.id)
    else:
        order = orders.order_plan(current_user.id, plan_id)
    return jsonify({"order": order_json(order)}), 201


@bp.get("/orders")
@login_required
def list_orders():
    return jsonify({"orders": [order_json(o) for o in orders.list_orders_of(current_user.id)]})


@bp.get("/orders/<int:order_id>")
@login_required
def get_order(order_id: int):
    return jsonify({"order": order_json(orders.get_user_order(current_user.id, order_id))})


@bp.post("/orders/<int:order_id>/cancel")
@commerce_writes
@login_required
def cancel_order(order_id: int):
    return jsonify({"order": order_json(payments.cancel_order(current_user.id, order_id))})


@bp.post("/orders/<int:order_id>/pay")
@commerce_writes
@login_required
def pay_order(order_id: int):
    return jsonify({"payment_url": payments.start_payment(current_user.id, order_id)})
