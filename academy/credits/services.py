"""What other domains call in credits: awards, reversals, the ledger, a course's hours.

The work is split by concern (ledger.py, quota.py, certificates.py, declarations.py,
progress.py, configure.py, export.py); this module re-exports it and explains entries.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from academy.credits import rules
from academy.credits.ledger import (
    add_correction,
    award_course_credits,
    centihours_to_hours,
    course_credits,
    credits_by_course,
    entry_day,
    hours_reversed,
    ledger_for,
    list_credit_types,
    reverse_course_credits,
    totals_by_type,
)
from academy.credits.models import CreditEntry
from academy.templating import format_hours, hours_plural

__all__ = [
    "add_correction",
    "award_course_credits",
    "centihours_to_hours",
    "course_credits",
    "credits_by_course",
    "entry_day",
    "explain",
    "hours_reversed",
    "ledger_for",
    "list_credit_types",
    "reverse_course_credits",
    "totals_by_type",
]


def explain(entry: CreditEntry) -> str:
    """Why an entry has these hours, in the learner's language ("为何是这些学时")."""
    h = format_hours
    if entry.rule == rules.PURCHASE_FULL:
        return _("购买的课程：按课程学时全额计入，不占用会员额度。")
    if entry.rule == rules.FREE_FULL:
        return _("免费课程：按课程学时全额计入。")
    if entry.rule == rules.MEMBER_RECOMMENDED:
        return _("会员推荐课程：全额计入，不占用会员额度。")
    if entry.rule == rules.NO_CERTIFICATE:
        return _("会员领取的课程：您未登记该类证书，会员额度只限制持证人，因此全额计入。")
    if entry.rule == rules.NO_PERIOD:
        return _("会员领取的课程：未找到领取时的会员期，全额计入。")
    if entry.rule == rules.WITHIN_QUOTA:
        after = entry.quota_after_centihours or 0
        return ngettext(
            "会员领取的课程：计入会员额度，本会员期剩余额度由 %(before)s 学时减为 %(after)s 学时。",
            "会员领取的课程：计入会员额度，本会员期剩余额度由 %(before)s 学时减为 %(after)s 学时。",
            hours_plural(after),
            before=h(entry.quota_before_centihours or 0),
            after=h(after),
        )
    if entry.rule == rules.QUOTA_CAPPED:
        return _(
            "会员领取的课程：本会员期剩余额度只有 %(before)s 学时，"
            "课程的 %(full)s 学时中有 %(capped)s 学时超出额度未计入。",
            before=h(entry.quota_before_centihours or 0),
            full=h(entry.centihours + entry.capped_centihours),
            capped=h(entry.capped_centihours),
        )
    if entry.rule == rules.REFUND_REVERSAL:
        return _("订单退款，撤销该课程获得的学时：%(note)s", note=entry.note)
    if entry.rule == rules.ADMIN_CORRECTION:
        return _("管理员调整：%(note)s", note=entry.note)
    return _("课程完成后按课程学时计入。")
