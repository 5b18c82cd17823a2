"""The learner's pages: the course page's button follows the learner, the cart, orders, VIP,
and the banner on every page while an order awaits payment."""

import re
from urllib.parse import urlsplit

import pytest

from academy.commerce import cart, orders, payments, sandbox
from academy.extensions import db
from academy.learning import services as learning
from tests.commerce.support import cart_order
from tests.web import login, post_form


@pytest.fixture
def browser(app, learner):
    client = app.test_client()
    login(client, "learner1")
    return client


def _actions(html: str) -> str:
    """The course page's buttons."""
    return re.search(r'<div class="actions">(.*?)</div>', html, re.S).group(1)


def _page(client, course) -> str:
    return client.get(f"/courses/{course.id}").get_data(as_text=True)


def test_the_button_reads_add_to_cart_then_in_the_cart(browser, paid_course):
    assert "加入购物车" in _actions(_page(browser, paid_course))
    response = post_form(
        browser, "/cart/items", {"course_id": paid_course.id}, page=f"/courses/{paid_course.id}"
    )
    assert response.status_code == 302
    actions = _actions(browser.get(response.headers["Location"]).get_data(as_text=True))
    assert "已在购物车" in actions and "加入购物车" not in actions


def test_the_button_links_to_the_pending_order(browser, learner, paid_course):
    order = cart_order(learner, paid_course)
    actions = _actions(_page(browser, paid_course))
    assert "待支付订单" in actions and f'href="/me/orders/{order.id}"' in actions


def test_the_button_says_purchased(browser, learner, paid_course):
    learning.grant_purchase(learner.id, paid_course.id, order_id=1)
    db.session.commit()
    actions = _actions(_page(browser, paid_course))
    assert "已购买" in actions and "开始学习" in actions and "加入购物车" not in actions


def test_a_member_sees_claim_then_claimed(app, member, make):
    course = make.course(price_fen=9900)
    course.member_claimable = True
    course.member_recommended = True
    db.session.commit()
    client = app.test_client()
    login(client, "learner1")
    html = _page(client, course)
    assert "会员免费领取" in _actions(html)
    assert "会员推荐课程：通过会员领取时，学时不占用会员额度" in html
    response = post_form(client, f"/courses/{course.id}/claim", page=f"/courses/{course.id}")
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "领取成功" in html and "已领取" in _actions(html)


def test_a_non_member_is_pointed_to_the_membership(browser, make):
    course = make.course(price_fen=9900)
    course.member_claimable = True
    db.session.commit()
    actions = _actions(_page(browser, course))
    assert "开通 VIP 会员可免费领取" in actions and "会员免费领取<" not in actions


def test_a_visitor_is_sent_to_log_in_first(anon, paid_course):
    actions = _actions(_page(anon, paid_course))
    assert "加入购物车" in actions and "/login?next=" in actions


def test_the_banner_shows_on_every_page_until_the_order_is_closed(browser, learner, paid_course):
    assert "待支付订单（" not in browser.get("/").get_data(as_text=True)
    order = cart_order(learner, paid_course)
    for path in ("/", "/me/learning", "/me/credits", "/cart", f"/courses/{paid_course.id}"):
        html = browser.get(path).get_data(as_text=True)
        assert "您有一笔待支付订单（¥99.00）" in html, path
        assert "2026-11-23 16:30" in html  # its deadline, Beijing time
    orders.cancel_order(learner.id, order.id)
    assert "待支付订单（" not in browser.get("/").get_data(as_text=True)


def test_the_cart_page_lists_removes_and_checks_out(browser, learner, paid_course, make):
    other = make.course(price_fen=100, title="税务筹划")
    cart.add_to_cart(learner.id, paid_course.id)
    cart.add_to_cart(learner.id, other.id)
    html = browser.get("/cart").get_data(as_text=True)
    assert "财富管理实务" in html and "税务筹划" in html and "合计：¥100.00" in html
    post_form(browser, f"/cart/items/{other.id}/remove", page="/cart")
    html = browser.get("/cart").get_data(as_text=True)
    assert "税务筹划" not in html and "合计：¥99.00" in html
    response = post_form(browser, "/cart/checkout", page="/cart")
    order = orders.pending_order_of(learner.id)
    assert response.headers["Location"].endswith(f"/me/orders/{order.id}")


def test_the_cart_marks_a_withdrawn_course_and_checkout_buys_the_rest(
    browser, learner, paid_course, make
):
    other = make.course(price_fen=100, title="税务筹划")
    cart.add_to_cart(learner.id, paid_course.id)
    cart.add_to_cart(learner.id, other.id)
    paid_course.published_on = None
    db.session.commit()

    html = browser.get("/cart").get_data(as_text=True)
    assert "已下架，暂不能购买" in html and "合计：¥1.00" in html
    assert f'href="/courses/{paid_course.id}"' not in html  # its page is gone for a buyer
    response = post_form(browser, "/cart/checkout", page="/cart")
    order = orders.pending_order_of(learner.id)
    assert response.headers["Location"].endswith(f"/me/orders/{order.id}")
    assert [item.course_id for item in order.items] == [other.id]
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "未加入订单" in page and "财富管理实务" in page


def test_a_refused_checkout_says_why(browser, learner):
    response = post_form(browser, "/cart/checkout", page="/cart")
    assert "购物车是空的" in browser.get(response.headers["Location"]).get_data(as_text=True)


def test_the_order_page_pays_or_cancels(browser, learner, paid_course):
    order = cart_order(learner, paid_course)
    html = browser.get(f"/me/orders/{order.id}").get_data(as_text=True)
    assert "去支付（支付宝）" in html and "取消订单" in html and order.number in html
    response = browser.get(f"/me/orders/{order.id}/pay")
    assert response.status_code == 302
    assert "/sandbox-gateway/gateway.do?" in response.headers["Location"]
    post_form(browser, f"/me/orders/{order.id}/cancel", page=f"/me/orders/{order.id}")
    html = browser.get(f"/me/orders/{order.id}").get_data(as_text=True)
    assert "已取消" in html and "去支付" not in html


def test_my_orders_lists_the_history(browser, learner, paid_course, make):
    first = cart_order(learner, paid_course)
    orders.cancel_order(learner.id, first.id)
    second = cart_order(learner, make.course(price_fen=100))
    html = browser.get("/me/orders").get_data(as_text=True)
    assert first.number in html and second.number in html
    assert "已取消" in html and "待支付" in html


@pytest.mark.parametrize(
    "path", ["/me/orders/{id}", "/me/orders/{id}/pay", "/me/orders/{id}/cancel"]
)
def test_another_learner_s_order_is_a_404(app, learner, paid_course, make, path):
    order = cart_order(learner, paid_course)
    make.user("other")
    client = app.test_client()
    login(client, "other")
    url = path.format(id=order.id)
    response = post_form(client, url) if url.endswith("cancel") else client.get(url)
    assert response.status_code == 404
    assert orders.get_order(order.id).status == "pending"


def test_the_vip_page_offers_the_plans(browser, plan):
    html = browser.get("/vip").get_data(as_text=True)
    assert "年度 VIP" in html and "¥365.00" in html and "有效期 365 天" in html
    assert "购课减免 20%" in html and "会员学时额度 25 学时/期" in html
    response = post_form(browser, f"/vip/plans/{plan.id}/buy", page="/vip")
    assert "/me/orders/" in response.headers["Location"]


def test_a_member_sees_the_period_s_end(app, member, plan):
    client = app.test_client()
    login(client, "learner1")
    assert "您是 VIP 会员（年度 VIP），有效期至" in client.get("/vip").get_data(as_text=True)


def test_claiming_from_the_page_without_membership_says_so(browser, make):
    course = make.course(price_fen=9900)
    course.member_claimable = True
    db.session.commit()
    response = post_form(browser, f"/courses/{course.id}/claim", page=f"/courses/{course.id}")
    html = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "开通 VIP 会员后才能免费领取" in html


def test_learner_writes_are_rate_limited_per_account(app, browser, paid_course):
    app.config["COMMERCE_WRITE_LIMIT"] = "3/minute"
    statuses = [
        post_form(browser, "/cart/items", {"course_id": paid_course.id}, page="/cart").status_code
        for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]


def test_the_return_page_reports_the_payment(app, browser, learner, paid_course, pay):
    order = cart_order(learner, paid_course)
    pay(order)
    response = browser.get(f"/payments/alipay/return?out_trade_no={order.number}")
    assert response.headers["Location"].endswith(f"/me/orders/{order.id}")
    assert "支付成功" in browser.get(response.headers["Location"]).get_data(as_text=True)


def test_the_return_page_asks_the_gateway_when_the_notification_is_late(
    app, browser, learner, paid_course, monkeypatch
):
    """The notification was lost: the return page's query (alipay.trade.query, signed) finds
    the trade paid and records it exactly as the notification would have."""
    order = cart_order(learner, paid_course)
    monkeypatch.setattr(sandbox, "post_notification", lambda url, fields: "")
    url = payments.provider().payment_url(payments.payment_request(order))
    db.session.commit()
    sandbox.settle(urlsplit(url).query, approve=True)
    assert orders.get_order(order.id).status == "pending"
    browser.get(f"/payments/alipay/return?out_trade_no={order.number}")
    db.session.expire_all()
    assert orders.get_order(order.id).status == "paid"
    assert learning.find_enrolment(learner.id, paid_course.id).order_id == order.id
