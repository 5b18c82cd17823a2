"""The admin's writes to the credit rules: credit types with their requirements, and the hours
and eligibility of each course. Changes apply to later awards; the ledger keeps what was given."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from academy.credits.ledger import course_credits
from academy.credits.models import (
    CourseCredit,
    CreditEntry,
    CreditType,
    DeclaredCertificate,
    QuotaUse,
)
from academy.errors import Refusal
from academy.extensions import db

#: codes appear in the API and the CSV export: lower-case letters, digits and dashes
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
#: the longest cycle any certification body in the field uses is 3 years; 10 leaves room
MAX_CYCLE_YEARS = 10
#: no requirement or course gives more than this, in hundredths (1000 hours)
MAX_CENTIHOURS = 100_000


def parse_hours(text: str) -> int | None:
    """Hours as an admin types them ('1.5') in hundredths (150); '' is None (not given).

    At most two decimals: the ledger counts hundredths, and a third decimal would be lost.
    """
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise Refusal("invalid_hours", _("学时须为数字，最多两位小数。"), 422)
    # the range first: quantize() overflows the context on 1e30
    if not 0 <= value <= MAX_CENTIHOURS / 100:
        raise Refusal("invalid_hours", _("学时须在 0 到 1000 之间。"), 422)
    if value != value.quantize(Decimal("0.01")):
        raise Refusal("invalid_hours", _("学时须为数字，最多两位小数。"), 422)
    return int(value * 100)


@dataclass(frozen=True)
class CreditTypeValues:
    code: str
    name: str
    cycle_years: int
    required_centihours: int
    yearly_min_centihours: int
    required_course_centihours: int


def _check_type(values: CreditTypeValues) -> None:
    if not CODE_PATTERN.match(values.code):
        raise Refusal("invalid_code", _("代码只能用小写字母、数字和短横线，最多 40 个字符。"), 422)
    if not values.name.strip() or len(values.name) > 60:
        raise Refusal("invalid_name", _("名称须为 1 到 60 个字符。"), 422)
    if not 1 <= values.cycle_years <= MAX_CYCLE_YEARS:
        raise Refusal("invalid_cycle", _("周期须在 1 到 10 年之间。"), 422)
    amounts = (
        values.required_centihours,
        values.yearly_min_centihours,
        values.required_course_centihours,
    )
    if any(not 0 <= amount <= MAX_CENTIHOURS for amount in amounts):
        raise Refusal("invalid_hours", _("学时须在 0 到 1000 之间。"), 422)
    # a cycle's requirement holds its parts: what required courses give, and every year's minimum
    if values.required_centihours and (
        values.required_course_centihours > values.required_centihours
        or values.yearly_min_centihours * values.cycle_years > values.required_centihours
    ):
        raise Refusal(
            "inconsistent_hours",
            _("必修课学时、每年最低学时 × 周期年数都不能超过每个周期的要求学时。"),
            422,
        )


def save_credit_type(values: CreditTypeValues, credit_type: CreditType | None = None) -> CreditType:
    """Create a credit type, or change one; commits."""
    _check_type(values)
    if credit_type is None:
        credit_type = CreditType()
        db.session.add(credit_type)
    credit_type.code = values.code
    credit_type.name = values.name.strip()
    credit_type.cycle_years = values.cycle_years
    credit_type.required_centihours = values.required_centihours
    credit_type.yearly_min_centihours = values.yearly_min_centihours
    credit_type.required_course_centihours = values.required_course_centihours
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Refusal("duplicate_code", _("已有相同代码的学时类型。"), 409) from None
    offering = select(CourseCredit.course_id).where(CourseCredit.credit_type_id == credit_type.id)
    _reindex(list(db.session.scalars(offering)))  # its name or code may have changed
    return credit_type


def _reindex(course_ids) -> None:
    """Search finds a course by the names and codes of the credit types it counts for."""
    from academy.search.services import index_course  # late: search reads credits

    for course_id in course_ids:
        index_course(course_id)


def delete_credit_type(credit_type: CreditType) -> None:
    """Delete a credit type nobody has used (an admin's test or typo), with the courses'
    settings for it; refused (409) once a learner earned or declared it, or a quota counted
    it: the ledger must keep saying what its hours were. Commits."""
    for table in (CreditEntry, DeclaredCertificate, QuotaUse):
        used = select(table.id).where(table.credit_type_id == credit_type.id).limit(1)
        if db.session.scalar(used) is not None:
            raise Refusal(
                "type_in_use",
                _(
                    "已有学员取得或申报过「%(name)s」学时，不能删除；可以改名。",
                    name=credit_type.name,
                ),
                409,
            )
    offering = select(CourseCredit.course_id).where(CourseCredit.credit_type_id == credit_type.id)
    course_ids = list(db.session.scalars(offering))
    db.session.execute(delete(CourseCredit).where(CourseCredit.credit_type_id == credit_type.id))
    db.session.delete(credit_type)
    db.session.commit()
    _reindex(course_ids)


@dataclass(frozen=True)
class CourseOffer:
    """What a course gives for one credit type; None hours: not eligible for that type."""

    credit_type_id: int
    centihours: int | None
    required_course: bool = False


def set_course_credits(course_id: int, offers: list[CourseOffer]) -> list[CourseCredit]:
    """Set the hours and eligibility of a course for each credit type; commits."""
    for offer in offers:
        if offer.centihours is not None and not 0 < offer.centihours <= MAX_CENTIHOURS:
            raise Refusal("invalid_hours", _("学时须大于 0 且不超过 1000。"), 422)
    existing = {row.credit_type_id: row for row in course_credits(course_id)}
    dropped = [o.credit_type_id for o in offers if o.centihours is None]
    db.session.execute(
        delete(CourseCredit).where(
            CourseCredit.course_id == course_id, CourseCredit.credit_type_id.in_(dropped)
        )
    )
    for offer in offers:
        if offer.centihours is None:
            continue
        row = existing.get(offer.credit_type_id)
        if row is None:
            row = CourseCredit(course_id=course_id, credit_type_id=offer.credit_type_id)
            db.session.add(row)
        row.centihours = offer.centihours
        row.required_course = offer.required_course
    db.session.commit()
    _reindex([course_id])
    return course_credits(course_id)
