"""The cart: courses a learner means to buy, until checkout turns them into an order."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from academy.catalog import services as catalog
from academy.commerce.models import CartItem
from academy.commerce.offers import check_buyable
from academy.errors import Refusal
from academy.extensions import db

#: a cart holds at most this many courses (a bound on one order, and on what a script can pile up)
CART_MAX_ITEMS = 50


def list_cart(user_id: int) -> list[CartItem]:
    """The learner's cart in the order things were added, courses loaded."""
    return list(
        db.session.scalars(
            select(CartItem)
            .where(CartItem.user_id == user_id)
            .options(selectinload(CartItem.course))
            .order_by(CartItem.id)
        )
    )


#: what the cart says of a course that can no longer be bought, by check_buyable's code
UNAVAILABLE_LABELS = {
    "not_found": _l("已下架，暂不能购买"),
    "free_course": _l("已改为免费课程，直接报名即可"),
    "already_owned": _l("您已拥有这门课程"),
    "in_pending_order": _l("已在待支付订单中"),
    "hours_reversed": _l("已退款过，学时不能再次获得"),
}


@dataclass
class CartLine:
    """A course in the cart and, when it can no longer be bought (withdrawn, made free, owned
    meanwhile), the refusal that says why: such a line stays, marked, until it is removed."""

    item: CartItem
    unavailable: Refusal | None = None

    @property
    def course(self):
        return self.item.course

    @property
    def unavailable_label(self) -> str:
        if self.unavailable is None:
            return ""
        return str(UNAVAILABLE_LABELS.get(self.unavailable.code, self.unavailable.message))


def why_not_buyable(user_id: int, course) -> Refusal | None:
    """check_buyable's refusal for a course already in the cart, None when it can be bought."""
    try:
        check_buyable(user_id, course, in_cart_ok=True)
    except Refusal as refusal:
        return refusal
    return None


def cart_lines(user_id: int) -> list[CartLine]:
    """The cart as the learner sees it: each course, and why it can no longer be bought."""
    return [CartLine(item, why_not_buyable(user_id, item.course)) for item in list_cart(user_id)]


def cart_total(lines: list[CartLine]) -> int:
    """What checkout would charge at today's prices, in fen (before any member discount): the
    courses that can still be bought."""
    return sum(line.course.price_fen for line in lines if line.unavailable is None)


def cart_size(user_id: int) -> int:
    return db.session.scalar(select(func.count(CartItem.id)).where(CartItem.user_id == user_id))


def add_to_cart(user_id: int, course_id: int) -> tuple[CartItem, bool]:
    """Put a course in the cart; returns the item and whether it is new (twice is harmless)."""
    course = catalog.get_published_course(course_id)
    if course is None:
        raise Refusal("not_found", _("课程不存在。"), 404)
    existing = _find(user_id, course_id)
    if existing is not None:
        return existing, False
    check_buyable(user_id, course)
    if cart_size(user_id) >= CART_MAX_ITEMS:
        raise Refusal("cart_full", _("购物车最多放 %(n)d 门课程。", n=CART_MAX_ITEMS), 422)
    item = CartItem(user_id=user_id, course_id=course.id)
    db.session.add(item)
    try:
        db.session.commit()
    except IntegrityError:  # a racing request added it first
        db.session.rollback()
        return _find(user_id, course_id), False
    return item, True


def remove_from_cart(user_id: int, course_id: int) -> None:
    """Take a course out of the learner's cart; 404 if it is not in this learner's cart."""
    result = db.session.execute(
        delete(CartItem).where(CartItem.user_id == user_id, CartItem.course_id == course_id)
    )
    if result.rowcount == 0:
        db.session.rollback()
        raise Refusal("not_found", _("购物车中没有这门课程。"), 404)
    db.session.commit()


def drop_owned(user_id: int, course_ids: list[int]) -> None:
    """Remove courses the learner now owns from the cart (in the caller's transaction)."""
    if course_ids:
        db.session.execute(
            delete(CartItem).where(CartItem.user_id == user_id, CartItem.course_id.in_(course_ids))
        )


def _find(user_id: int, course_id: int) -> CartItem | None:
    return db.session.scalar(
        select(CartItem).where(CartItem.user_id == user_id, CartItem.course_id == course_id)
    )
