"""The sandbox gateway's pages: Alipay's cashier and gateway.do, played on this machine."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request

from academy.commerce import sandbox, sandbox_api
from academy.commerce.providers import yuan
from academy.extensions import db

bp = Blueprint("sandbox", __name__, url_prefix="/sandbox-gateway", template_folder="templates")


@bp.before_request
def only_while_sandboxed():
    """Gone as soon as a real gateway is configured: it must never approve real orders."""
    if not sandbox.enabled():
        abort(404)


@bp.get("/gateway.do")
def gateway():
    """alipay.trade.page.pay: the cashier page; the synchronous methods: signed JSON."""
    query = request.query_string.decode("utf-8", "replace")
    if request.args.get("method") != sandbox.PAGE_PAY:
        answer = sandbox_api.answer_sync(query)
        return Response(answer, mimetype="application/json")
    try:
        page_pay = sandbox.read_page_pay(query)
    except sandbox.SandboxError as error:
        return render_template("commerce/sandbox_gateway.html", error=str(error)), 400
    db.session.commit()  # hold no SQLite lock while the gateway opens the trade
    try:
        sandbox.open_trade(page_pay)
    except sandbox.SandboxError as error:
        return render_template("commerce/sandbox_gateway.html", error=str(error)), 409
    return render_template(
        "commerce/sandbox_gateway.html", pay=page_pay, amount=yuan(page_pay.total_fen), query=query
    )


@bp.post("/pay")
def pay():
    """The payer's 确认付款 or 取消: the gateway settles, notifies the shop, sends them back."""
    query = request.form.get("request", "")
    # hold no SQLite lock while the gateway records the trade and the shop takes its notice
    db.session.commit()
    try:
        settlement = sandbox.settle(query, approve=request.form.get("decision") == "approve")
    except sandbox.SandboxError as error:
        return render_template("commerce/sandbox_gateway.html", error=str(error)), 409
    if not settlement.return_url:
        return render_template("commerce/sandbox_gateway.html", settlement=settlement)
    return redirect(settlement.return_url)
