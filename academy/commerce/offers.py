"""Where a learner stands with a course: free, in the cart, in a pending order, bought, claimed.

The course page's button and the API's `state` field both read `course_states`.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import select

from academy.catalog.models import Course
from academy.commerce import memberships
from academy.commerce.models import CartItem, Order, OrderItem, OrderStatus
from academy.credits import services as credits
from academy.errors import Refusal
from academy.extensions import db
from academy.learning import services as learning


class CourseState(StrEnum):
    NONE = "none"
    IN_CART = "in_cart"
    PENDING_ORDER = "pending_order"
    PURCHASED = "purchased"
    CLAIMED = "claimed"
    FREE = "free"


def course_states(user_id: int | None, courses: list[Course]) -> dict[int, CourseState]:
    """Each course's state for this learner, in three queries whatever the number of courses."""
    if user_id is None:
        return {c.id: CourseState.FREE if c.is_free else CourseState.NONE for c in courses}
    ids = [course.id for course in courses]
    owned = {e.course_id: e.source for e in learning.list_enrolments(user_id)}
    in_cart = set(
        db.session.scalars(
            select(CartItem.course_id).where(
                CartItem.user_id == user_id, CartItem.course_id.in_(ids)
            )
        )
    )
    pending = set(
        db.session.scalars(
            select(OrderItem.course_id)
            .join(Order, Order.id == OrderItem.order_id)
            .where(
                Order.user_id == user_id,
                Order.status == OrderStatus.PENDING,
                OrderItem.course_id.in_(ids),
            )
        )
    )
    states = {}
    for course in courses:
        if course.is_free:
            states[course.id] = CourseState.FREE
        elif course.id in owned:
            claimed = owned[course.id] == "membership"
            states[course.id] = CourseState.CLAIMED if claimed else CourseState.PURCHASED
        elif course.id in pending:
            states[course.id] = CourseState.PENDING_ORDER
        elif course.id in in_cart:
            states[course.id] = CourseState.IN_CART
        else:
            states[course.id] = CourseState.NONE
    return states


def course_state(user_id: int | None, course: Course) -> CourseState:
    return course_states(user_id, [course])[course.id]


def may_claim(user_id: int, course: Course) -> bool:
    """Whether the course page offers 会员免费领取: a claimable course, a current member."""
    return (
        course.member_claimable
        and not course.is_free
        and memberships.active_membership(user_id) is not None
    )


def check_buyable(user_id: int, course: Course, *, in_cart_ok: bool = False) -> None:
    """Refuse (409/404) a course that cannot go into a cart or an order now."""
    if not course.is_published:
        raise Refusal("not_found", _("课程不存在。"), 404)
    if course.is_free:
        raise Refusal("free_course", _("免费课程无需购买，直接报名即可。"), 409)
    state = course_state(user_id, course)
    if state in (CourseState.PURCHASED, CourseState.CLAIMED):
        raise Refusal(
            "already_owned", _("您已拥有课程「%(title)s」，无需再次购买。", title=course.title), 409
        )
    if state == CourseState.PENDING_ORDER:
        raise Refusal(
            "in_pending_order",
            _("课程「%(title)s」已在待支付订单中。", title=course.title),
            409,
        )
    if state == CourseState.IN_CART and not in_cart_ok:
        raise Refusal("already_in_cart", _("课程已在购物车中。"), 409)
    check_hours_not_reversed(user_id, course)


def check_hours_not_reversed(user_id: int, course: Course) -> None:
    """Refuse (409) selling or handing out again a course whose hours the learner had and lost
    to a refund: they would pay and could never earn them (an award happens once)."""
    if credits.hours_reversed(user_id, course.id):
        raise Refusal(
            "hours_reversed",
            _(
                "您曾购买这门课程并已退款，所得学时已撤销；同一门课程的学时只计一次，"
                "因此不能再次购买或领取。"
            ),
            409,
        )


def offer_for(user, course: Course) -> dict:
    """What the course page shows of buying and claiming, for this visitor."""
    if not getattr(user, "is_authenticated", False):
        return {
            "state": course_state(None, course),
            "may_claim": False,
            "pending_order": None,
            "hours_reversed": False,
        }
    state = course_state(user.id, course)
    pending = None
    if state == CourseState.PENDING_ORDER:
        pending = db.session.scalar(
            select(Order).where(Order.user_id == user.id, Order.status == OrderStatus.PENDING)
        )
    open_to_buy = state in (CourseState.NONE, CourseState.IN_CART)
    reversed_ = open_to_buy and credits.hours_reversed(user.id, course.id)
    claimable = open_to_buy and not reversed_ and may_claim(user.id, course)
    return {
        "state": state,
        "may_claim": claimable,
        "pending_order": pending,
        "hours_reversed": reversed_,
    }
