"""The cart and checkout: prices frozen, the member discount, one pending order, expiry, refusals
that change nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from academy.catalog import services as catalog
from academy.commerce import cart, orders
from academy.commerce.models import CartItem, Order, OrderStatus
from academy.commerce.offers import CourseState, course_state
from academy.errors import Refusal
from academy.extensions import db
from academy.learning import services as learning
from tests.commerce.support import cart_order


def _counts(user_id):
    db.session.rollback()
    orders_ = db.session.scalar(select(func.count(Order.id)).where(Order.user_id == user_id))
    items = db.session.scalar(select(func.count(CartItem.id)).where(CartItem.user_id == user_id))
    return orders_, items


def test_the_course_state_follows_the_learner(learner, paid_course):
    assert course_state(learner.id, paid_course) == CourseState.NONE
    cart.add_to_cart(learner.id, paid_course.id)
    assert course_state(learner.id, paid_course) == CourseState.IN_CART
    orders.checkout_cart(learner.id)
    assert course_state(learner.id, paid_course) == CourseState.PENDING_ORDER


def test_adding_twice_keeps_one_item(learner, paid_course):
    assert cart.add_to_cart(learner.id, paid_course.id)[1] is True
    assert cart.add_to_cart(learner.id, paid_course.id)[1] is False
    assert len(cart.list_cart(learner.id)) == 1


def test_checkout_freezes_prices_and_empties_the_cart(learner, paid_course, make, movable_clock):
    other = make.course(price_fen=4950)
    order = cart_order(learner, paid_course, other)
    assert order.status == OrderStatus.PENDING and order.total_fen == 14850
    assert [i.price_fen for i in order.items] == [9900, 4950]
    assert order.expires_at == movable_clock.current + timedelta(minutes=30)
    assert cart.list_cart(learner.id) == []
    paid_course.price_fen = 19900  # a later price change does not touch the order
    db.session.commit()
    db.session.expire_all()
    again = db.session.get(Order, order.id)
    assert again.total_fen == 14850 and again.items[0].price_fen == 9900


def test_a_member_s_discount_applies_at_checkout(member, paid_course):
    order = cart_order(member, paid_course)
    assert order.discount_percent == 20
    assert order.items[0].list_price_fen == 9900 and order.items[0].price_fen == 7920
    assert order.total_fen == 7920


def test_the_expiry_setting_comes_from_config(app, learner, paid_course, movable_clock):
    app.config["ORDER_EXPIRY_MINUTES"] = 5
    order = cart_order(learner, paid_course)
    assert (order.expires_at - movable_clock.current).total_seconds() == 300


def test_the_expiry_job_expires_only_overdue_orders(learner, make, movable_clock):
    first = cart_order(learner, make.course(price_fen=100))
    movable_clock.advance(29 * 60 + 59)
    assert orders.expire_overdue_orders() == 0
    movable_clock.advance(1)
    assert orders.expire_overdue_orders() == 1
    assert orders.expire_overdue_orders() == 0  # safe to run twice
    db.session.expire_all()
    assert db.session.get(Order, first.id).status == OrderStatus.EXPIRED


def test_the_periodic_task_runs_the_expiry(learner, paid_course, movable_clock):
    from academy.commerce.tasks import expire_orders

    order = cart_order(learner, paid_course)
    movable_clock.advance(31 * 60)
    expire_orders.call_local()
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == OrderStatus.EXPIRED


def test_an_expired_order_frees_the_course_for_a_new_order(learner, paid_course, movable_clock):
    cart_order(learner, paid_course)
    movable_clock.advance(31 * 60)
    orders.expire_overdue_orders()
    assert course_state(learner.id, paid_course) == CourseState.NONE
    assert cart_order(learner, paid_course).status == OrderStatus.PENDING


def test_the_learner_can_cancel_a_pending_order(learner, paid_course):
    order = orders.cancel_order(learner.id, cart_order(learner, paid_course).id)
    assert order.status == OrderStatus.CANCELLED and order.closed_at is not None


def test_a_cancelled_order_cannot_be_cancelled_again(learner, paid_course):
    order = cart_order(learner, paid_course)
    orders.cancel_order(learner.id, order.id)
    with pytest.raises(Refusal) as refused:
        orders.cancel_order(learner.id, order.id)
    assert refused.value.status == 409 and "已取消" in refused.value.message


def _refused(call, code, status):
    with pytest.raises(Refusal) as refused:
        call()
    assert (refused.value.code, refused.value.status) == (code, status), refused.value.message
    assert refused.value.message
    return refused.value


def test_an_empty_cart_cannot_be_checked_out(learner):
    _refused(lambda: orders.checkout_cart(learner.id), "cart_empty", 422)
    assert _counts(learner.id) == (0, 0)


def test_a_second_pending_order_is_refused_and_the_cart_kept(learner, paid_course, make):
    cart_order(learner, paid_course)
    other = make.course(price_fen=100)
    cart.add_to_cart(learner.id, other.id)
    _refused(lambda: orders.checkout_cart(learner.id), "order_pending", 409)
    assert _counts(learner.id) == (1, 1)


def test_a_course_already_owned_cannot_be_bought_again(learner, paid_course):
    learning.grant_purchase(learner.id, paid_course.id, order_id=999)
    db.session.commit()
    refusal = _refused(lambda: cart.add_to_cart(learner.id, paid_course.id), "already_owned", 409)
    assert "财富管理实务" in refusal.message
    assert _counts(learner.id) == (0, 0)


def test_a_cart_of_courses_owned_meanwhile_is_not_checked_out(learner, paid_course):
    cart.add_to_cart(learner.id, paid_course.id)
    learning.grant_purchase(learner.id, paid_course.id, order_id=999)
    db.session.commit()
    _refused(lambda: orders.checkout_cart(learner.id), "nothing_buyable", 409)
    assert _counts(learner.id) == (0, 1)
    (line,) = cart.cart_lines(learner.id)
    assert line.unavailable.code == "already_owned" and line.unavailable_label == "您已拥有这门课程"


def test_a_course_in_a_pending_order_cannot_go_into_the_cart(learner, paid_course):
    cart_order(learner, paid_course)
    _refused(lambda: cart.add_to_cart(learner.id, paid_course.id), "in_pending_order", 409)


def test_free_and_unpublished_courses_are_not_sold(learner, make):
    free = make.course(price_fen=0)
    _refused(lambda: cart.add_to_cart(learner.id, free.id), "free_course", 409)
    draft = make.course(price_fen=100, published=False)
    _refused(lambda: cart.add_to_cart(learner.id, draft.id), "not_found", 404)
    _refused(lambda: cart.add_to_cart(learner.id, 987654), "not_found", 404)


def test_a_course_withdrawn_while_in_the_cart_is_left_out_and_stays_marked(
    learner, paid_course, make
):
    other = make.course(title="资产配置入门", price_fen=5000)
    cart.add_to_cart(learner.id, paid_course.id)
    cart.add_to_cart(learner.id, other.id)
    catalog.set_published(paid_course, False)
    lines = cart.cart_lines(learner.id)
    assert [line.unavailable and line.unavailable.code for line in lines] == ["not_found", None]
    assert cart.cart_total(lines) == 5000

    order = orders.checkout_cart(learner.id)

    assert [(item.course_id, item.price_fen) for item in order.items] == [(other.id, 5000)]
    assert order.total_fen == 5000
    assert [line.course.id for line in cart.cart_lines(learner.id)] == [paid_course.id]


def test_another_learner_s_order_is_not_found(learner, paid_course, make):
    other = make.user("other")
    order = cart_order(learner, paid_course)
    _refused(lambda: orders.get_user_order(other.id, order.id), "not_found", 404)
    _refused(lambda: orders.cancel_order(other.id, order.id), "not_found", 404)
    assert db.session.get(Order, order.id).status == OrderStatus.PENDING


def test_removing_what_is_not_in_one_s_own_cart_is_not_found(learner, paid_course, make):
    other = make.user("other")
    cart.add_to_cart(learner.id, paid_course.id)
    _refused(lambda: cart.remove_from_cart(other.id, paid_course.id), "not_found", 404)
    assert _counts(learner.id) == (0, 1)


def test_the_cart_has_a_size_limit(learner, make):
    from academy.commerce.cart import CART_MAX_ITEMS

    for _ in range(CART_MAX_ITEMS):
        cart.add_to_cart(learner.id, make.course(price_fen=100, credits={}).id)
    extra = make.course(price_fen=100, credits={})
    _refused(lambda: cart.add_to_cart(learner.id, extra.id), "cart_full", 422)


def test_a_plan_order_costs_the_plan_s_price(learner, plan):
    order = orders.order_plan(learner.id, plan.id)
    assert order.kind == "plan" and order.total_fen == 36500
    assert order.items[0].plan_id == plan.id and order.items[0].title == "年度 VIP"


def test_an_unknown_or_withdrawn_plan_is_not_found(learner, plan):
    _refused(lambda: orders.order_plan(learner.id, 424242), "not_found", 404)
    plan.active = False
    db.session.commit()
    _refused(lambda: orders.order_plan(learner.id, plan.id), "not_found", 404)
    assert _counts(learner.id) == (0, 0)


def test_a_zero_total_order_is_paid_as_it_is_placed(learner, plan, make):
    from academy.commerce import memberships

    plan.discount_percent = 100
    memberships.add_period(learner.id, plan, None)
    db.session.commit()
    course = make.course(price_fen=9900)
    order = cart_order(learner, course)
    assert order.total_fen == 0 and order.status == OrderStatus.PAID
    assert learning.find_enrolment(learner.id, course.id).order_id == order.id


def test_order_numbers_are_unique_digits(learner, make):
    numbers = set()
    for _ in range(5):
        order = cart_order(learner, make.course(price_fen=100))
        orders.cancel_order(learner.id, order.id)
        assert order.number.isdigit() and len(order.number) == 20
        numbers.add(order.number)
    assert len(numbers) == 5


@pytest.mark.parametrize(
    ("price", "percent", "expected"), [(9900, 0, 9900), (9900, 20, 7920), (1, 50, 1), (3, 50, 2)]
)
def test_member_price_rounds_half_up_to_the_fen(price, percent, expected):
    assert orders.member_price(price, percent) == expected
