"""The sandbox gateway end to end over real HTTP: the app serves on a free loopback port, a
learner pays through the gateway's page, and the gateway posts its signed notification to the
site's notify URL; the `sandbox-pay` command does the same from a terminal."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import threading
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from academy import create_app
from academy.commerce.models import Order, OrderStatus, Payment, PaymentStatus
from academy.config import ROOT
from academy.errors import Refusal
from academy.extensions import db
from academy.learning import services as learning
from tests.commerce.support import cart_order
from tests.conftest import free_port
from tests.factories import PASSWORD


@pytest.fixture
def live_site(app):
    """The app on 127.0.0.1:<free port>, threaded (the gateway's page request posts the
    notification back to the same server while it is being answered)."""
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    db.session.commit()  # the test holds no SQLite lock while the server works
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=10)


class Browser:
    """Cookies, redirects followed, and the page's CSRF token: enough of a browser."""

    def __init__(self, site: str) -> None:
        self.site = site
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))
        self.url = ""

    def open(self, path: str, form: dict | None = None) -> str:
        url = path if path.startswith("http") else self.site + path
        data = urlencode(form).encode() if form is not None else None
        with self.opener.open(url, data=data, timeout=30) as response:
            self.url = response.url
            return response.read().decode()

    def submit(self, path: str, form: dict, page: str) -> str:
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        return self.open(path, {**form, "csrf_token": token})

    def login(self, username: str) -> str:
        page = self.open("/login")
        return self.submit("/login", {"username": username, "password": PASSWORD}, page)


def _hidden(page: str, name: str) -> str:
    return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))


def _order_state(order_id: int):
    db.session.rollback()
    db.session.expire_all()
    order = db.session.get(Order, order_id)
    payments = db.session.scalars(select(Payment).where(Payment.order_id == order_id)).all()
    db.session.commit()
    return order.status, payments


def test_a_learner_pays_through_the_gateway_page_over_http(live_site, learner, paid_course):
    browser = Browser(live_site)
    page = browser.login("learner1")
    page = browser.open(f"/courses/{paid_course.id}")
    page = browser.submit("/cart/items", {"course_id": paid_course.id}, page)
    assert "已在购物车" in page
    page = browser.submit("/cart/checkout", {}, browser.open("/cart"))
    order_id = int(re.search(r"/me/orders/(\d+)$", browser.url).group(1))
    assert "待支付" in page and "去支付（支付宝）" in page

    cashier = browser.open(f"/me/orders/{order_id}/pay")
    assert browser.url.startswith(f"{live_site}/sandbox-gateway/gateway.do?")
    assert "method=alipay.trade.page.pay" in browser.url and "sign=" in browser.url
    assert "确认付款" in cashier and "¥99.00" in cashier

    done = browser.submit(
        "/sandbox-gateway/pay",
        {"request": _hidden(cashier, "request"), "decision": "approve"},
        cashier,
    )

    assert browser.url == f"{live_site}/me/orders/{order_id}"
    assert "支付成功" in done and "已支付" in done
    status, (payment,) = _order_state(order_id)
    assert status == OrderStatus.PAID and payment.status == PaymentStatus.APPLIED
    assert payment.details["notify_type"] == "trade_status_sync"
    assert payment.details["total_amount"] == "99.00"
    assert learning.find_enrolment(learner.id, paid_course.id).order_id == order_id


def _at_the_cashier(site: str, learner, course):
    """A pending order, its learner logged in, at the gateway's page: (browser, order, page)."""
    order = cart_order(learner, course)
    db.session.commit()
    browser = Browser(site)
    browser.login(learner.username)
    return browser, order, browser.open(f"/me/orders/{order.id}/pay")


def test_the_payer_declining_leaves_the_order_awaiting_payment(live_site, learner, paid_course):
    browser, order, cashier = _at_the_cashier(live_site, learner, paid_course)
    decline = {"request": _hidden(cashier, "request"), "decision": "decline"}
    page = browser.submit("/sandbox-gateway/pay", decline, cashier)
    assert browser.url == f"{live_site}/me/orders/{order.id}"
    assert "支付未完成" in page
    assert _order_state(order.id) == (OrderStatus.PENDING, [])


def test_a_tampered_page_pay_request_is_refused_by_the_gateway(live_site, learner, paid_course):
    browser, _order, cashier = _at_the_cashier(live_site, learner, paid_course)
    tampered = browser.url.replace("99.00", "0.01")
    with pytest.raises(HTTPError) as refused:
        browser.open(tampered)
    assert refused.value.code == 400
    assert "请求签名无效" in refused.value.read().decode()
    assert "确认付款" in cashier


def _sandbox_pay(app, site: str, number: str, *options: str):
    """`flask --app wsgi academy sandbox-pay NUMBER --site SITE` in its own process."""
    env = {
        **os.environ,
        "ACADEMY_INSTANCE": str(app.config["INSTANCE_PATH"]),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret",
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "academy", "sandbox-pay"]
    return subprocess.run(
        [*command, number, "--site", site, *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_sandbox_pay_command_pays_over_http(
    app, live_site, learner, paid_course, movable_clock
):
    movable_clock.current = datetime.now(UTC).replace(tzinfo=None)  # the command's own clock
    order = cart_order(learner, paid_course)
    db.session.commit()
    result = _sandbox_pay(app, live_site, order.number)
    assert result.returncode == 0, result.stderr
    assert "TRADE_SUCCESS" in result.stdout
    assert "answered the notification: success" in result.stdout
    status, (payment,) = _order_state(order.id)
    assert status == OrderStatus.PAID and payment.status == PaymentStatus.APPLIED


def test_the_sandbox_pay_command_declines(app, live_site, learner, paid_course):
    order = cart_order(learner, paid_course)
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["academy", "sandbox-pay", order.number, "--site", live_site, "--decline"]
    )
    assert result.exit_code == 0, result.output
    assert "TRADE_CLOSED" in result.output
    assert _order_state(order.id) == (OrderStatus.PENDING, [])


def test_the_sandbox_pay_command_pays_a_cancelled_order_into_a_refund_flag(
    app, live_site, learner, paid_course
):
    from academy.commerce import orders

    order = cart_order(learner, paid_course)
    orders.cancel_order(learner.id, order.id)
    result = app.test_cli_runner().invoke(
        args=["academy", "sandbox-pay", order.number, "--site", live_site]
    )
    assert result.exit_code == 0, result.output
    status, (payment,) = _order_state(order.id)
    assert status == OrderStatus.CANCELLED and payment.status == PaymentStatus.NEEDS_REFUND


def test_the_sandbox_pay_command_says_when_the_site_is_unreachable(app, learner, paid_course):
    order = cart_order(learner, paid_course)
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["academy", "sandbox-pay", order.number, "--site", f"http://127.0.0.1:{free_port()}"]
    )
    assert result.exit_code == 1 and "did not accept" in result.output


def test_the_gateway_is_gone_once_a_real_one_is_configured(app, anon, learner, paid_course):
    order = cart_order(learner, paid_course)
    app.config["ALIPAY_GATEWAY"] = "https://openapi.alipay.com/gateway.do"
    assert anon.get("/sandbox-gateway/gateway.do?method=alipay.trade.page.pay").status_code == 404
    result = app.test_cli_runner().invoke(args=["academy", "sandbox-pay", order.number])
    assert result.exit_code == 1 and "沙箱网关不可用" in result.output


def test_the_sandbox_pay_command_on_a_fresh_instance_says_to_run_init(tmp_path):
    fresh = create_app(
        {
            "INSTANCE_PATH": tmp_path / "fresh",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}",
            "MEDIA_PATH": tmp_path / "fresh-media",
            "SECRET_KEY": "fresh",
            "JOBS_IMMEDIATE": True,
        }
    )
    result = fresh.test_cli_runner().invoke(args=["academy", "sandbox-pay", "20261123160000000001"])
    assert result.exit_code == 1 and "academy init" in result.output


def test_the_same_order_approved_twice_at_once_is_paid_once(app, live_site, learner, paid_course):
    """Two payers' approvals of one order race in the gateway: one trade succeeds, the other
    is refused, and the site hears of one payment."""
    from academy.commerce import payments

    order = cart_order(learner, paid_course)
    db.session.commit()
    outcomes, barrier = [], threading.Barrier(2)

    def approve():
        with app.app_context():
            barrier.wait()
            try:
                outcomes.append(payments.sandbox_settle(order.number, approve=True, site=live_site))
            except Refusal as refusal:
                outcomes.append(refusal.code)

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, [getattr(o, "notify_answer", o) for o in outcomes])) == [
        "sandbox_refused",
        "success",
    ]
    status, (payment,) = _order_state(order.id)
    assert status == OrderStatus.PAID and payment.status == PaymentStatus.APPLIED


def test_an_order_cancelled_while_its_cashier_is_open_cannot_be_paid(
    live_site, learner, paid_course
):
    browser, order, cashier = _at_the_cashier(live_site, learner, paid_course)
    browser.submit(f"/me/orders/{order.id}/cancel", {}, browser.open(f"/me/orders/{order.id}"))

    approve = {"request": _hidden(cashier, "request"), "decision": "approve"}
    with pytest.raises(HTTPError) as refused:
        browser.submit("/sandbox-gateway/pay", approve, cashier)
    assert refused.value.code == 409
    assert "交易已关闭（商户已取消该订单）" in refused.value.read().decode()
    assert _order_state(order.id) == (OrderStatus.CANCELLED, [])  # no money taken
