"""The sandbox gateway's synchronous API: alipay.trade.query and alipay.trade.refund.

Answered as Alipay's gateway.do answers them: JSON {"<method>_response": {...}, "sign": ...},
the response object signed with the sandbox's key, so the SDK verifies it as it would a real
answer. The app reaches it in-process (payments.provider's transport) or over HTTP (GET
/sandbox-gateway/gateway.do).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from academy.commerce.models import SandboxTrade
from academy.commerce.providers import beijing_text, parse_yuan, yuan
from academy.commerce.sandbox import BUYER_ID, SandboxError, read_request, sign_text
from academy.extensions import db


def answer_url(url: str) -> str:
    """The gateway's answer to a synchronous call (the SDK's GET gateway.do?...), in-process."""
    return answer_sync(urlsplit(url).query)


def answer_sync(query: str) -> str:
    """Signed JSON, shaped as Alipay's gateway answers: {"<method>_response": {...}, "sign"}."""
    try:
        params, biz = read_request(query)
    except SandboxError as error:
        body = {"code": "40002", "msg": "Invalid Arguments", "sub_msg": str(error)}
        return json.dumps({"error_response": body}, ensure_ascii=False)
    method = params.get("method", "")
    handlers = {
        "alipay.trade.query": _query,
        "alipay.trade.refund": _refund,
        "alipay.trade.close": _close,
    }
    if method not in handlers:
        body = {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.INVALID_METHOD"}
    else:
        with Session(db.engine, expire_on_commit=False) as session, session.begin():
            body = handlers[method](session, params["app_id"], biz)
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    key = method.replace(".", "_") + "_response"
    return f'{{"{key}":{content},"sign":"{sign_text(content)}"}}'


def _find_trade(session: Session, app_id: str, biz: dict) -> SandboxTrade | None:
    query = select(SandboxTrade).where(SandboxTrade.app_id == app_id)
    if biz.get("trade_no"):
        query = query.where(SandboxTrade.trade_no == str(biz["trade_no"]))
    elif biz.get("out_trade_no"):
        query = query.where(SandboxTrade.out_trade_no == str(biz["out_trade_no"]))
    else:
        return None
    return session.scalar(query)


_NOT_FOUND = {
    "code": "40004",
    "msg": "Business Failed",
    "sub_code": "ACQ.TRADE_NOT_EXIST",
    "sub_msg": "交易不存在",
}


def _query(session: Session, app_id: str, biz: dict) -> dict:
    trade = _find_trade(session, app_id, biz)
    if trade is None:
        return _NOT_FOUND
    body = {
        "code": "10000",
        "msg": "Success",
        "trade_no": trade.trade_no,
        "out_trade_no": trade.out_trade_no,
        "trade_status": trade.status,
        "total_amount": yuan(trade.total_fen),
        "buyer_user_id": BUYER_ID,
    }
    if trade.paid_at is not None:
        body["send_pay_date"] = beijing_text(trade.paid_at)
    return body


def _close(session: Session, app_id: str, biz: dict) -> dict:
    """The shop closes an unpaid trade (its order was cancelled): no one can pay it now."""
    trade = _find_trade(session, app_id, biz)
    if trade is None:
        return _NOT_FOUND
    if trade.status == "TRADE_SUCCESS":
        return {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_STATUS_ERROR"}
    trade.status = "TRADE_CLOSED"
    trade.closed_by_shop = True
    return {
        "code": "10000",
        "msg": "Success",
        "trade_no": trade.trade_no,
        "out_trade_no": trade.out_trade_no,
    }


def _refund(session: Session, app_id: str, biz: dict) -> dict:
    trade = _find_trade(session, app_id, biz)
    if trade is None:
        return _NOT_FOUND
    request_no = str(biz.get("out_request_no") or trade.out_trade_no)
    done = {
        "code": "10000",
        "msg": "Success",
        "trade_no": trade.trade_no,
        "out_trade_no": trade.out_trade_no,
        "buyer_user_id": BUYER_ID,
        "refund_fee": yuan(trade.refunded_fen),
        "fund_change": "N",
    }
    if trade.refund_request_no == request_no:  # asked again: Alipay refunds once
        return done
    try:
        amount = parse_yuan(str(biz.get("refund_amount", "")))
    except ValueError:
        amount = 0
    if trade.paid_at is None or trade.refund_request_no:
        return {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_STATUS_ERROR"}
    if not 0 < amount <= trade.total_fen - trade.refunded_fen:
        return {
            "code": "40004",
            "msg": "Business Failed",
            "sub_code": "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL",
        }
    trade.refunded_fen += amount
    trade.refund_request_no = request_no
    if trade.refunded_fen == trade.total_fen:
        trade.status = "TRADE_CLOSED"  # a fully refunded trade is closed, as on Alipay
    return done | {"refund_fee": yuan(trade.refunded_fen), "fund_change": "Y"}
