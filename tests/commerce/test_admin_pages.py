"""Admin pages of commerce: plans (bad input shown beside its field, nothing saved), orders
(filters, refunds), and money flagged for refund."""

import re

import pytest
from sqlalchemy import func, select

from academy.commerce import orders, plans, refunds
from academy.commerce.models import OrderStatus, Plan
from academy.extensions import db
from academy.learning import services as learning
from tests.commerce.support import cart_order
from tests.web import field_error, login, post_form

PAGES = ["/admin/plans", "/admin/plans/new", "/admin/orders", "/admin/member-courses"]
PLAN_FORM = {
    "name": "季度 VIP",
    "price": "99.00",
    "days": "90",
    "discount_percent": "10",
    "quota_hours": "25",
    "active": "y",
}


@pytest.fixture
def admin_client(app, make):
    make.user("boss", role="admin")
    client = app.test_client()
    login(client, "boss")
    return client


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("learner", 403), ("instructor", 403), ("admin", 200)]
)
def test_only_admins_open_commerce_pages(app, make, url, role, status):
    client = app.test_client()
    if role:
        login(client, make.user(f"{role}-c", role=role).username)
    assert client.get(url).status_code == status


def test_an_admin_creates_a_plan(admin_client):
    response = post_form(admin_client, "/admin/plans/new", PLAN_FORM, page="/admin/plans/new")
    assert response.status_code == 302
    (plan,) = plans.list_plans()
    assert (plan.name, plan.price_fen, plan.days, plan.discount_percent) == (
        "季度 VIP",
        9900,
        90,
        10,
    )
    assert plan.quota_centihours == 2500 and plan.active


def test_the_quota_defaults_to_25_hours(admin_client):
    html = admin_client.get("/admin/plans/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="quota_hours"[^>]*value="25.00"', html)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price", "-1", "须在 0 到 100000 元之间"),
        ("price", "1e12", "须在 0 到 100000 元之间"),
        ("price", "100000.01", "须在 0 到 100000 元之间"),
        ("price", "9.999", "最多两位小数"),
        ("price", "NaN", "请填写一个有效的数字"),
        ("price", "", "请填写"),
        ("days", "0", "须在 1 到 3650 天之间"),
        ("days", "99999999999999999999", "须在 1 到 3650 天之间"),
        ("discount_percent", "101", "须在 0 到 100 之间"),
        ("discount_percent", "-5", "须在 0 到 100 之间"),
        ("quota_hours", "-1", "须在 0 到 1000 之间"),
        ("name", "", "请填写"),
        ("name", "长" * 61, "最多 60 个字"),
    ],
)
def test_bad_plan_input_is_shown_beside_its_field_and_saves_nothing(
    admin_client, field, value, message
):
    response = post_form(
        admin_client, "/admin/plans/new", {**PLAN_FORM, field: value}, page="/admin/plans/new"
    )
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), field)
    assert db.session.scalar(select(func.count(Plan.id))) == 0


def test_editing_a_plan_keeps_bought_periods_as_they_were(admin_client, member, plan):
    from academy.commerce import memberships

    post_form(
        admin_client,
        f"/admin/plans/{plan.id}",
        {**PLAN_FORM, "quota_hours": "10"},
        page=f"/admin/plans/{plan.id}",
    )
    db.session.expire_all()
    assert plans.get_plan(plan.id).quota_centihours == 1000
    assert memberships.active_membership(member.id).quota_centihours == 2500


def test_bad_input_on_an_existing_plan_changes_nothing(admin_client, plan):
    post_form(
        admin_client, f"/admin/plans/{plan.id}", {**PLAN_FORM, "price": "-3"}, page="/admin/plans"
    )
    db.session.expire_all()
    assert plans.get_plan(plan.id).price_fen == 36500


def test_the_service_refuses_what_the_form_would(plan):
    from academy.errors import Refusal

    for bad in ({"price_fen": -1}, {"days": 0}, {"discount_percent": 101}, {"price_fen": True}):
        values = {
            "name": "x",
            "price_fen": 100,
            "days": 1,
            "discount_percent": 0,
            "quota_centihours": 2500,
            **bad,
        }
        with pytest.raises(Refusal) as refused:
            plans.save_plan(plan, values)
        assert refused.value.code == f"invalid_{next(iter(bad))}"


@pytest.fixture
def two_orders(learner, paid_course, make, movable_clock):
    """Two orders two days apart (made before the admin logs in: a login lasts a day)."""
    first = cart_order(learner, paid_course)
    orders.cancel_order(learner.id, first.id)
    movable_clock.advance(2 * 86400)
    other = make.user("zhangsan")
    second = cart_order(other, make.course(price_fen=100))
    return first, second


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {0, 1}),
        ("?status=cancelled", {0}),
        ("?status=pending", {1}),
        ("?user=ZHANG", {1}),
        ("?from=2026-11-24", {1}),
        ("?to=2026-11-23", {0}),
        ("?status=bogus", {0, 1}),
    ],
)
def test_orders_are_filtered(two_orders, admin_client, query, expected):
    html = admin_client.get(f"/admin/orders{query}").get_data(as_text=True)
    shown = {i for i, order in enumerate(two_orders) if order.number in html}
    assert shown == expected


def test_orders_are_filtered_by_number(two_orders, admin_client):
    number = two_orders[1].number
    html = admin_client.get(f"/admin/orders?number={number[-8:]}").get_data(as_text=True)
    assert number in html and two_orders[0].number not in html


def test_an_admin_refunds_from_the_order_page(admin_client, learner, paid_course, pay):
    order = cart_order(learner, paid_course)
    pay(order)
    page = f"/admin/orders/{order.id}"
    assert "退款并收回权限" in admin_client.get(page).get_data(as_text=True)
    response = post_form(admin_client, f"{page}/refund", {"note": "重复购买"}, page=page)
    html = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已退款，相关学习权限已收回" in html and "重复购买" in html
    db.session.expire_all()
    assert orders.get_order(order.id).status == OrderStatus.REFUNDED
    assert learning.find_enrolment(learner.id, paid_course.id) is None


def test_a_refused_refund_is_explained(admin_client, learner, paid_course):
    order = cart_order(learner, paid_course)
    page = f"/admin/orders/{order.id}"
    response = post_form(admin_client, f"{page}/refund", page=page)
    html = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "订单当前为「待支付」，不能变为「已退款」" in html


def test_money_flagged_for_refund_is_listed_and_sent_back(admin_client, learner, paid_course, pay):
    order = cart_order(learner, paid_course)
    orders.cancel_order(learner.id, order.id)
    settlement = pay(order)
    html = admin_client.get("/admin/orders").get_data(as_text=True)
    assert "待退款的到账" in html and settlement.trade_no in html
    (payment,) = refunds.flagged_payments()
    response = post_form(admin_client, f"/admin/payments/{payment.id}/refund", page="/admin/orders")
    html = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已原路退回" in html and "待退款的到账" not in html


def test_unknown_admin_records_are_404(admin_client):
    assert admin_client.get("/admin/orders/999").status_code == 404
    assert admin_client.get("/admin/plans/999").status_code == 404
    assert post_form(admin_client, "/admin/orders/999/refund").status_code == 404
    assert post_form(admin_client, "/admin/payments/999/refund").status_code == 404


def test_an_admin_marks_courses_claimable_and_recommended(admin_client, paid_course):
    page = "/admin/member-courses"
    assert "财富管理实务" in admin_client.get(page).get_data(as_text=True)
    url = f"/admin/member-courses/{paid_course.id}"
    post_form(admin_client, url, {"claimable": "1", "recommended": "1"}, page=page)
    db.session.expire_all()
    assert paid_course.member_claimable and paid_course.member_recommended
    post_form(admin_client, url, {"claimable": "1"}, page=page)
    db.session.expire_all()
    assert paid_course.member_claimable and not paid_course.member_recommended


def test_recommended_without_claimable_is_refused(admin_client, paid_course):
    page = "/admin/member-courses"
    url = f"/admin/member-courses/{paid_course.id}"
    response = post_form(admin_client, url, {"recommended": "1"}, page=page)
    said = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "请同时勾选“可免费领取”" in said
    db.session.expire_all()
    assert not paid_course.member_recommended


def test_a_second_plan_of_the_same_name_is_refused(admin_client):
    post_form(admin_client, "/admin/plans/new", PLAN_FORM, page="/admin/plans/new")
    cheaper = {**PLAN_FORM, "price": "9.90"}
    response = post_form(admin_client, "/admin/plans/new", cheaper, page="/admin/plans/new")
    assert response.status_code == 422 and "已有同名的会员方案" in response.get_data(as_text=True)
    assert len(plans.list_plans()) == 1


def test_only_admins_set_member_flags(app, make, paid_course):
    client = app.test_client()
    login(client, make.user("teacher-m", role="instructor").username)
    url = f"/admin/member-courses/{paid_course.id}"
    assert post_form(client, url, {"claimable": "1"}).status_code == 403
    db.session.expire_all()
    assert not paid_course.member_claimable
