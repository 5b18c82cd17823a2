"""Paying orders: the provider, the payment URL, a notification's one effect (refunds: refunds.py).

A verified notification is recorded once (unique provider trade_no) and moves its order once
(conditional UPDATE ... WHERE status = 'pending'); granting what was bought happens in that
same transaction. Money for an order that can no longer take it (expired, cancelled, already
paid) is recorded as a payment flagged for refund, never dropped.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from academy import clock
from academy.commerce import orders, sandbox, sandbox_api
from academy.commerce.keys import app_key_paths, ensure_key_pair
from academy.commerce.models import (
    Order,
    OrderStatus,
    Payment,
    PaymentStatus,
)
from academy.commerce.providers import (
    AlipayProvider,
    InvalidNotification,
    PaymentProvider,
    PaymentRequest,
    ProviderError,
    ProviderTrade,
    fetch_url,
)
from academy.errors import Refusal
from academy.extensions import db

log = logging.getLogger(__name__)

NOTIFY_PATH = "/payments/alipay/notify"
RETURN_PATH = "/payments/alipay/return"
#: where the CLI sends the sandbox's notification when neither --site nor SITE_URL says
DEFAULT_SITE = "http://127.0.0.1:5000"


#: providers kept built (one per gateway address; the sandbox's follows the site's address)
MAX_CACHED_PROVIDERS = 8


def site_url(site: str | None = None) -> str:
    """The site's public base URL: given, else SITE_URL, else this request's, else local."""
    base = site or current_app.config["SITE_URL"]
    if not base:
        base = request.url_root if has_request_context() else DEFAULT_SITE
    return base.rstrip("/")


def provider(site: str | None = None) -> PaymentProvider:
    """The configured provider: Alipay, at the real gateway or at the built-in sandbox."""
    config = current_app.config
    private_path, public_path = app_key_paths()
    ensure_key_pair(private_path, public_path)
    if sandbox.enabled():
        sandbox.ensure_keys()
        gateway, transport = site_url(site) + sandbox.GATEWAY_PATH, sandbox_api.answer_url
    else:
        gateway, transport = config["ALIPAY_GATEWAY"], fetch_url
    cache = current_app.extensions.setdefault("academy.payment_providers", {})
    if gateway not in cache and len(cache) >= MAX_CACHED_PROVIDERS:
        cache.clear()  # one per site address: requests naming many hosts must not pile them up
    if gateway not in cache:
        if not os.path.isfile(config["ALIPAY_PUBLIC_KEY_PATH"]):
            raise RuntimeError(
                f"ALIPAY_PUBLIC_KEY_PATH {config['ALIPAY_PUBLIC_KEY_PATH']} is missing: "
                "download Alipay's public key from the Alipay open platform console"
            )
        with open(config["ALIPAY_PUBLIC_KEY_PATH"]) as alipay_public_key:
            cache[gateway] = AlipayProvider(
                app_id=config["ALIPAY_APP_ID"],
                app_private_key=private_path.read_text(),
                alipay_public_key=alipay_public_key.read(),
                gateway=gateway,
                transport=transport,
            )
    return cache[gateway]


def release_database() -> None:
    """End this session's transaction before waiting on the provider.

    On SQLite every transaction holds the write lock (BEGIN IMMEDIATE); the provider (the
    sandbox's own session, or a notification it sends back) must not wait for us.
    """
    db.session.commit()


def order_subject(order: Order) -> str:
    """What the payer sees at the gateway."""
    first = order.items[0].title if order.items else order.number
    if len(order.items) > 1:
        count = len(order.items)
        subject = ngettext(
            "%(title)s 等 %(n)d 门课程", "%(title)s 等 %(n)d 门课程", count, title=first, n=count
        )
        return subject[:256]
    return first[:256]


def payment_request(order: Order, site: str | None = None) -> PaymentRequest:
    base = site_url(site)
    return PaymentRequest(
        number=order.number,
        subject=order_subject(order),
        total_fen=order.total_fen,
        expires_at=order.expires_at,
        notify_url=base + NOTIFY_PATH,
        return_url=base + RETURN_PATH,
    )


def start_payment(user_id: int, order_id: int, site: str | None = None) -> str:
    """The URL to send the payer to, for the learner's order awaiting payment."""
    order = orders.get_user_order(user_id, order_id)
    if order.status != OrderStatus.PENDING:
        raise Refusal(
            "order_not_pending",
            _(
                "订单当前为「%(status)s」，无需支付。",
                status=orders.STATUS_LABELS.get(order.status, order.status),
            ),
            409,
        )
    if clock.now() >= order.expires_at:
        raise Refusal("order_expired", _("订单已超时，请重新下单。"), 409)
    return provider(site).payment_url(payment_request(order, site))


# -- notifications ------------------------------------------------------------------------------


def receive_notification(form: Mapping[str, str]) -> str:
    """Verify and apply an asynchronous notification; 'applied', 'duplicate', 'needs_refund'
    or 'ignored' (a verified notice of a trade not paid, e.g. closed). Refusal if not genuine.
    """
    source = provider()
    try:
        trade = source.verify_notification(form)
    except InvalidNotification as error:
        log.warning("payment notification refused: %s", error.reason)
        raise Refusal(error.reason, _("通知未通过验证。"), 400) from error
    if not trade.is_paid:
        return "ignored"
    return record_payment(source.name, trade)


def record_payment(provider_name: str, trade: ProviderTrade) -> str:
    """Record a verified, paid trade once and move its order once; returns the outcome.

    Refused (changing nothing) when the order is unknown or the amount is not its total.
    """
    order = orders.find_by_number(trade.out_trade_no)
    if order is None:
        db.session.rollback()
        raise Refusal("unknown_order", _("订单不存在。"), 404)
    if trade.total_fen != order.total_fen:
        db.session.rollback()
        log.warning(
            "payment %s: %s fen for an order of %s",
            trade.trade_no,
            trade.total_fen,
            order.total_fen,
        )
        raise Refusal("amount_mismatch", _("支付金额与订单金额不符。"), 400)
    now = clock.now()
    applied = orders.move_if(order.id, OrderStatus.PENDING, OrderStatus.PAID, paid_at=now)
    payment = Payment(
        provider=provider_name,
        trade_no=trade.trade_no,
        order_id=order.id,
        amount_fen=trade.total_fen,
        status=PaymentStatus.APPLIED if applied else PaymentStatus.NEEDS_REFUND,
        paid_at=trade.paid_at,
        received_at=now,
        details=dict(trade.details),
    )
    db.session.add(payment)
    try:
        db.session.flush()
    except IntegrityError:  # this trade was recorded before: its effect happened then
        db.session.rollback()
        if find_payment(provider_name, trade.trade_no) is None:
            raise
        return "duplicate"
    if applied:
        orders.fulfil(order)
    else:
        log.warning("payment %s for order %s flagged for refund", trade.trade_no, order.number)
    db.session.commit()
    return "applied" if applied else "needs_refund"


def find_payment(provider_name: str, trade_no: str) -> Payment | None:
    return db.session.scalar(
        select(Payment).where(Payment.provider == provider_name, Payment.trade_no == trade_no)
    )


def check_with_provider(order: Order) -> Order:
    """Ask the provider about an order still awaiting payment (the payer came back before the
    notification did); a paid trade is recorded exactly as its notification would be."""
    if order.status != OrderStatus.PENDING:
        return order
    source = provider()
    release_database()
    try:
        trade = source.query(order.number)
    except ProviderError as error:
        log.warning("query of order %s failed: %s", order.number, error)
        return order
    if trade is not None and trade.is_paid and trade.out_trade_no == order.number:
        try:
            record_payment(source.name, trade)
        except Refusal as refusal:
            log.warning("queried trade of order %s refused: %s", order.number, refusal.code)
    db.session.refresh(order)
    return order


def cancel_order(user_id: int, order_id: int) -> Order:
    """The learner cancels an order awaiting payment, and its trade is closed at the provider so
    that a cashier still open in another tab cannot take money for it. Closing is best effort:
    money that arrives all the same is flagged for refund and shown on the order."""
    order = orders.cancel_order(user_id, order_id)
    source = provider()
    release_database()
    try:
        source.close(order.number)
    except ProviderError as error:
        log.warning("closing the trade of cancelled order %s failed: %s", order.number, error)
    return order


def sandbox_settle(number: str, *, approve: bool, site: str | None = None) -> sandbox.Settlement:
    """The sandbox gateway approves (or declines) an order as its page's button does: the
    payment URL the shop would send the payer to, then the signed notification over HTTP to
    `site` (the `sandbox-pay` command)."""
    if not sandbox.enabled():
        raise Refusal("sandbox_off", _("已配置真实的支付宝网关，沙箱网关不可用。"), 409)
    order = orders.find_by_number(number)
    if order is None:
        raise Refusal("not_found", _("订单不存在。"), 404)
    url = provider(site).payment_url(payment_request(order, site))
    release_database()
    try:
        return sandbox.settle(urlsplit(url).query, approve)
    except sandbox.SandboxError as error:
        raise Refusal("sandbox_refused", str(error), 409) from error
