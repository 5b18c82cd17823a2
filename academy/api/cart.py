"""/api/v1/cart: the learner's cart."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user, login_required

from academy.api import bp, id_field, json_body
from academy.commerce import cart, orders
from academy.commerce.limits import commerce_writes


def item_json(line: cart.CartLine) -> dict:
    refusal = line.unavailable
    return {
        "course_id": line.item.course_id,
        "title": line.course.title,
        "price_fen": line.course.price_fen,
        "available": refusal is None,
        "unavailable": None
        if refusal is None
        else {"code": refusal.code, "message": line.unavailable_label},
    }


@bp.get("/cart")
@login_required
def get_cart():
    lines = cart.cart_lines(current_user.id)
    discount, to_pay = orders.cart_quote(current_user.id, lines)
    return jsonify(
        {
            "items": [item_json(line) for line in lines],
            "total_fen": cart.cart_total(lines),
            "discount_percent": discount,
            "checkout_total_fen": to_pay,
        }
    )


@bp.post("/cart/items")
@commerce_writes
@login_required
def add_cart_item():
    course_id = id_field(json_body(), "course_id")
    item, created = cart.add_to_cart(current_user.id, course_id)
    line = cart.CartLine(item, cart.why_not_buyable(current_user.id, item.course))
    return jsonify({"item": item_json(line), "created": created}), 201 if created else 200


@bp.delete("/cart/items/<int:course_id>")
@commerce_writes
@login_required
def remove_cart_item(course_id: int):
    cart.remove_from_cart(current_user.id, course_id)
    return "", 204
