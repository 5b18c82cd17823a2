"""Members claim (领取) member-claimable courses for free, within the current period."""

from __future__ import annotations

from flask_babel import gettext as _

from academy.catalog import services as catalog
from academy.commerce import cart, memberships
from academy.commerce.offers import CourseState, check_hours_not_reversed, course_state
from academy.errors import Refusal
from academy.extensions import db
from academy.learning import services as learning


def claim_course(user_id: int, course_id: int) -> int:
    """Enrol a current member in a claimable course; returns the membership period's id.

    The enrolment records source 'membership' and the period, whose quota the credit rules
    apply. Claiming twice, or a course already bought, is refused with 409.
    """
    course = catalog.get_published_course(course_id)
    if course is None:
        raise Refusal("not_found", _("课程不存在。"), 404)
    if course.is_free:
        raise Refusal("free_course", _("免费课程无需领取，直接报名即可。"), 409)
    if not course.member_claimable:
        raise Refusal("not_claimable", _("这门课程不在会员免费领取范围内。"), 403)
    membership = memberships.active_membership(user_id)
    if membership is None:
        raise Refusal("membership_required", _("开通 VIP 会员后才能免费领取这门课程。"), 403)
    if course_state(user_id, course) == CourseState.PENDING_ORDER:
        raise Refusal("in_pending_order", _("这门课程在待支付订单中，请先取消该订单再领取。"), 409)
    check_hours_not_reversed(user_id, course)
    if not learning.grant_membership_claim(user_id, course.id, membership.id):
        db.session.rollback()
        raise Refusal("already_owned", _("您已拥有这门课程。"), 409)
    cart.drop_owned(user_id, [course.id])
    db.session.commit()
    return membership.id
