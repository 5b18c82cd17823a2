"""/api/v1/cart: the learner's cart."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user, login_required

from academy.api import bp, id_field, json_body
from academy.commerce import cart
from academy.commerce.limits import commerce_writes


def item_json(item) -> dict:
    return {
        "course_id": item.course_id,
        "title": item.course.title,
        "price_fen": item.course.price_fen,
    }


@bp.get("/cart")
@login_required
def get_cart():
    items = cart.list_cart(current_user.id)
    return jsonify({"items": [item_json(i) for i in items], "total_fen": cart.cart_total(items)})


@bp.post("/cart/items")
@commerce_writes
@login_required
def add_cart_item():
    course_id = id_field(json_body(), "course_id")
    item, created = cart.add_to_cart(current_user.id, course_id)
    return jsonify({"item": item_json(item), "created": created}), 201 if created else 200


@bp.delete("/cart/items/<int:course_id>")
@commerce_writes
@login_required
def remove_cart_item(course_id: int):
    cart.remove_from_cart(current_user.id, course_id)
    return "", 204
