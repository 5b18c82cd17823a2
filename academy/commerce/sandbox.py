"""The built-in sandbox gateway: it plays Alipay on this machine, speaking Alipay's protocol.

It has its own RSA key pair (generated once into <instance>/alipay/); its public half is the
app's "Alipay public key", and it knows the app's public key as Alipay would from its console.
It reads the app's signed page-pay request, shows the payer the order, and on approval records
the trade, sends the asynchronous notification server-to-server over HTTP to the notify_url,
signed exactly as Alipay signs (RSA2 over the sorted key=value string), and sends the payer
back to the return_url. It answers alipay.trade.query and alipay.trade.refund with signed
JSON, as Alipay's gateway does (sandbox_api.py). No money moves; it is on only while
ALIPAY_GATEWAY is unset.

Its trades live in the sandbox_trades table, written through its own database session: the
shop's code never reads them, it only hears what the gateway says.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl, urlencode, urlsplit
from urllib.request import Request, urlopen

from Cryptodome.Hash import SHA256
from Cryptodome.PublicKey import RSA
from Cryptodome.Signature import pkcs1_15
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from academy import clock
from academy.commerce.keys import app_key_paths, ensure_key_pair, sandbox_key_paths
from academy.commerce.models import SandboxTrade
from academy.commerce.providers import beijing_text, parse_beijing, parse_yuan, yuan
from academy.extensions import db

log = logging.getLogger(__name__)

GATEWAY_PATH = "/sandbox-gateway/gateway.do"
PAGE_PAY = "alipay.trade.page.pay"
#: the sandbox's own seller and buyer ids, in Alipay's 2088… form
SELLER_ID = "2088000000000001"
BUYER_ID = "2088000000000002"


class SandboxError(Exception):
    """A request the gateway refuses; the message is shown to the payer."""


@dataclass(frozen=True)
class PagePay:
    """A verified alipay.trade.page.pay request."""

    out_trade_no: str
    total_fen: int
    subject: str
    notify_url: str
    return_url: str
    time_expire: datetime | None


@dataclass(frozen=True)
class Settlement:
    """What the gateway did: the trade, the notify_url's answer, where the payer goes next."""

    trade_no: str
    trade_status: str
    notify_answer: str
    return_url: str


def enabled() -> bool:
    return not current_app.config["ALIPAY_GATEWAY"]


def ensure_keys() -> None:
    ensure_key_pair(*sandbox_key_paths())
    ensure_key_pair(*app_key_paths())


# -- signatures ---------------------------------------------------------------------------------


def _content(fields: dict[str, str], *, drop: tuple[str, ...]) -> str:
    """Alipay's string to sign: sorted key=value pairs joined with '&', empty values left out."""
    return "&".join(f"{k}={v}" for k, v in sorted(fields.items()) if k not in drop and v != "")


def sign_text(content: str) -> str:
    """SHA256withRSA with the sandbox's private key, base64 (Alipay's RSA2)."""
    key = RSA.import_key(sandbox_key_paths()[0].read_bytes())
    return base64.b64encode(pkcs1_15.new(key).sign(SHA256.new(content.encode()))).decode()


def sign_fields(fields: dict[str, str]) -> dict[str, str]:
    """The fields with sign_type and sign added, as Alipay signs notifications and returns."""
    signed = {**fields, "sign_type": "RSA2"}
    signed["sign"] = sign_text(_content(signed, drop=("sign", "sign_type")))
    return signed


def _verify_app(params: dict[str, str]) -> bool:
    """A request from the app: signed by its private key over every parameter but sign."""
    signature = params.get("sign", "")
    key = RSA.import_key(app_key_paths()[1].read_bytes())
    try:
        pkcs1_15.new(key).verify(
            SHA256.new(_content(params, drop=("sign",)).encode()), base64.b64decode(signature)
        )
    except (ValueError, TypeError):
        return False
    return True


def read_request(query: str) -> tuple[dict[str, str], dict]:
    """The verified parameters of a request from the app, and its biz_content."""
    params = dict(parse_qsl(query, keep_blank_values=True))
    if not params.get("sign") or params.get("sign_type") != "RSA2" or not _verify_app(params):
        raise SandboxError(_("请求签名无效。"))
    if params.get("app_id") != current_app.config["ALIPAY_APP_ID"]:
        raise SandboxError(_("应用 ID 不匹配。"))
    try:
        biz = json.loads(params.get("biz_content") or "{}")
    except ValueError:
        biz = None
    if not isinstance(biz, dict):
        raise SandboxError(_("请求内容无效。"))
    return params, biz


def read_page_pay(query: str) -> PagePay:
    """A verified page-pay request; SandboxError for anything else."""
    params, biz = read_request(query)
    if params.get("method") != PAGE_PAY:
        raise SandboxError(_("不支持的接口。"))
    try:
        total_fen = parse_yuan(str(biz.get("total_amount", "")))
    except ValueError:
        raise SandboxError(_("金额无效。")) from None
    if total_fen <= 0 or not biz.get("out_trade_no"):
        raise SandboxError(_("金额无效。"))
    return PagePay(
        out_trade_no=str(biz["out_trade_no"]),
        total_fen=total_fen,
        subject=str(biz.get("subject", "")),
        notify_url=params.get("notify_url", ""),
        return_url=params.get("return_url", ""),
        time_expire=parse_beijing(biz.get("time_expire")),
    )


# -- paying -------------------------------------------------------------------------------------


def new_trade_no(now: datetime) -> str:
    """A trade number in Alipay's shape: Beijing date, 2200, 16 random digits (28 digits)."""
    return f"{now + timedelta(hours=8):%Y%m%d}2200{secrets.randbelow(10**16):016d}"


def settle(query: str, approve: bool) -> Settlement:
    """The payer approves (or declines) a page-pay request: record it, notify, send them back.

    The trade is committed before the notification is sent, and the sandbox holds no database
    lock while the shop handles it.
    """
    request = read_page_pay(query)
    now = clock.now()
    if request.time_expire is not None and now >= request.time_expire:
        raise SandboxError(_("交易已超时关闭，请回到商户重新下单。"))
    trade = _settle_trade(request, approve, now)
    fields = notification_fields(trade, request, now)
    answer = post_notification(request.notify_url, fields) if request.notify_url else ""
    return_url = request.return_url
    if return_url:
        # approved: Alipay's signed return parameters; declined: the payer just goes back
        back = return_fields(trade) if approve else {"out_trade_no": trade.out_trade_no}
        return_url = _with_query(return_url, back)
    return Settlement(trade.trade_no, trade.status, answer, return_url)


def open_trade(request: PagePay) -> SandboxTrade:
    """The payer opened the cashier: the trade exists from now on (WAIT_BUYER_PAY), as on
    Alipay, so that the shop can close it; refused if the shop closed it already."""
    app_id = current_app.config["ALIPAY_APP_ID"]
    with Session(db.engine, expire_on_commit=False) as session, session.begin():
        trade = _trade_for(session, app_id, request, clock.now())
    if trade.closed_by_shop:
        raise SandboxError(_("交易已关闭（商户已取消该订单），不能付款。"))
    return trade


def _settle_trade(request: PagePay, approve: bool, now: datetime) -> SandboxTrade:
    app_id = current_app.config["ALIPAY_APP_ID"]
    with Session(db.engine, expire_on_commit=False) as session, session.begin():
        trade = _trade_for(session, app_id, request, now)
        if trade.status == "TRADE_SUCCESS" or trade.refund_request_no:
            raise SandboxError(_("该订单已付款，不能重复付款。"))
        if trade.closed_by_shop:
            raise SandboxError(_("交易已关闭（商户已取消该订单），不能付款。"))
        if approve:
            target = {"status": "TRADE_SUCCESS", "paid_at": now}
        else:
            target = {"status": "TRADE_CLOSED"}
        # conditional: of two approvals at once, one pays; a refunded trade stays closed
        moved = session.execute(
            update(SandboxTrade)
            .where(
                SandboxTrade.id == trade.id,
                SandboxTrade.status != "TRADE_SUCCESS",
                SandboxTrade.refund_request_no == "",
                SandboxTrade.closed_by_shop.is_(False),  # closed while the payer was here
            )
            .values(**target)
        ).rowcount
        if not moved:
            raise SandboxError(_("该订单已付款，不能重复付款。"))
        session.refresh(trade)
        return trade


def _trade_for(session: Session, app_id: str, request: PagePay, now: datetime) -> SandboxTrade:
    """The trade of this out_trade_no, created on first sight (one per out_trade_no)."""
    query = select(SandboxTrade).where(
        SandboxTrade.app_id == app_id, SandboxTrade.out_trade_no == request.out_trade_no
    )
    trade = session.scalar(query)
    if trade is not None:
        if trade.total_fen != request.total_fen:
            raise SandboxError(_("同一订单号的金额与之前不一致。"))
        return trade
    trade = SandboxTrade(
        trade_no=new_trade_no(now),
        app_id=app_id,
        out_trade_no=request.out_trade_no,
        total_fen=request.total_fen,
        subject=request.subject[:256],
        status="WAIT_BUYER_PAY",
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(trade)
    except IntegrityError:
        return session.scalar(query)
    return trade


def notification_fields(trade: SandboxTrade, request: PagePay, now: datetime) -> dict[str, str]:
    """The asynchronous notification Alipay sends for a page-pay trade, signed."""
    fields = {
        "notify_time": beijing_text(now),
        "notify_type": "trade_status_sync",
        "notify_id": secrets.token_hex(16),
        "app_id": trade.app_id,
        "auth_app_id": trade.app_id,
        "charset": "utf-8",
        "version": "1.0",
        "trade_no": trade.trade_no,
        "out_trade_no": trade.out_trade_no,
        "trade_status": trade.status,
        "total_amount": yuan(trade.total_fen),
        "subject": request.subject,
        "seller_id": SELLER_ID,
        "buyer_id": BUYER_ID,
        "gmt_create": beijing_text(trade.created_at),
    }
    if trade.status == "TRADE_SUCCESS":
        paid = yuan(trade.total_fen)
        fields |= {
            "receipt_amount": paid,
            "invoice_amount": paid,
            "buyer_pay_amount": paid,
            "point_amount": "0.00",
            "gmt_payment": beijing_text(trade.paid_at),
            "fund_bill_list": json.dumps([{"amount": paid, "fundChannel": "ALIPAYACCOUNT"}]),
        }
    else:
        fields["gmt_close"] = beijing_text(now)
    return sign_fields(fields)


def return_fields(trade: SandboxTrade) -> dict[str, str]:
    """What Alipay appends to the return_url when it sends the payer back, signed."""
    return sign_fields(
        {
            "charset": "utf-8",
            "out_trade_no": trade.out_trade_no,
            "method": "alipay.trade.page.pay.return",
            "total_amount": yuan(trade.total_fen),
            "trade_no": trade.trade_no,
            "auth_app_id": trade.app_id,
            "version": "1.0",
            "app_id": trade.app_id,
            "seller_id": SELLER_ID,
            "timestamp": beijing_text(clock.now()),
        }
    )


def post_notification(url: str, fields: dict[str, str]) -> str:
    """POST the notification form-encoded to the shop, as Alipay does; the shop's answer."""
    body = urlencode(fields).encode()
    request = Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    try:
        with urlopen(request, timeout=15) as response:  # noqa: S310  (the notify_url)
            answer = response.read().decode("utf-8", "replace")
    except HTTPError as error:
        answer = error.read().decode("utf-8", "replace") or str(error)
    except (URLError, OSError) as error:
        answer = f"unreachable: {error}"
    log.info("sandbox notified %s: %s", url, answer[:100])
    return answer.strip()


def _with_query(url: str, fields: dict[str, str]) -> str:
    return f"{url}{'&' if urlsplit(url).query else '?'}{urlencode(fields)}"
