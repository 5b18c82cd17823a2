"""Helpers of the commerce tests: orders through the cart, notifications signed as Alipay signs."""

from __future__ import annotations

import secrets

from academy import clock
from academy.commerce import cart, orders, sandbox
from academy.commerce.providers import beijing_text, yuan


def cart_order(user, *courses):
    """A pending order for these courses, through the cart."""
    for course in courses:
        cart.add_to_cart(user.id, course.id)
    return orders.checkout_cart(user.id)


def notification(app, order, **overrides) -> dict:
    """The form Alipay posts to the notify URL for a paid order, signed by the sandbox key.

    Overrides change fields before signing; None removes one.
    """
    now = beijing_text(clock.now())
    fields = {
        "notify_time": now,
        "notify_type": "trade_status_sync",
        "notify_id": secrets.token_hex(16),
        "app_id": app.config["ALIPAY_APP_ID"],
        "charset": "utf-8",
        "version": "1.0",
        "trade_no": "2026112322001400000000000001",
        "out_trade_no": order.number,
        "total_amount": yuan(order.total_fen),
        "trade_status": "TRADE_SUCCESS",
        "gmt_create": now,
        "gmt_payment": now,
        "seller_id": sandbox.SELLER_ID,
        "buyer_id": sandbox.BUYER_ID,
    }
    fields.update(overrides)
    return sandbox.sign_fields({k: v for k, v in fields.items() if v is not None})


def notify(client, fields: dict):
    """POST a notification as Alipay does; (status, body text)."""
    response = client.post("/payments/alipay/notify", data=fields)
    return response.status_code, response.get_data(as_text=True)
