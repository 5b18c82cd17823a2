"""The certificates a learner declares (type, number, date obtained): they start the learner's
cycles and make membership awards count against the quota."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from academy import clock
from academy.credits import rules
from academy.credits.models import CreditEntry, CreditType, DeclaredCertificate, EntryKind
from academy.errors import Refusal
from academy.extensions import db

#: the column's width
NUMBER_MAX = 60
#: no certificate of the field is older than this (FPSB China began certifying in 2004)
EARLIEST_OBTAINED = date(1990, 1, 1)


@dataclass(frozen=True)
class Declaration:
    """One declared certificate, checked."""

    credit_type_id: int
    number: str
    obtained_on: date


def list_declarations(user_id: int) -> list[DeclaredCertificate]:
    return list(
        db.session.scalars(
            select(DeclaredCertificate)
            .where(DeclaredCertificate.user_id == user_id)
            .order_by(DeclaredCertificate.credit_type_id)
        )
    )


def parse_declarations(items: list[dict], user_id: int | None = None) -> list[Declaration]:
    """Check what a learner sent: known type codes, each once, a number, a real past date, and
    (given the learner) a number no other account has declared for that type.

    Refuses with 422 and a code: unknown_credit_type, duplicate_credit_type, invalid_number,
    invalid_date; 409 number_taken.
    """
    types = {t.code: t.id for t in db.session.scalars(select(CreditType))}
    today = rules.beijing_date(clock.now())
    checked: list[Declaration] = []
    for item in items:
        code, number, obtained = item.get("type"), item.get("number"), item.get("obtained_on")
        if not isinstance(code, str) or code not in types:
            raise Refusal("unknown_credit_type", _("未知的证书类型：%(code)s", code=code), 422)
        if any(d.credit_type_id == types[code] for d in checked):
            raise Refusal("duplicate_credit_type", _("每种证书只能填写一次。"), 422)
        if isinstance(number, str) and not number.strip():
            raise Refusal("invalid_number", _("请填写证书编号。"), 422)
        if isinstance(number, str):
            number = unicodedata.normalize("NFKC", number)
            # control and invisible characters (zero-width, bidi overrides, soft hyphens) are
            # no one's certificate number, and would make one number look like two
            if any(unicodedata.category(c)[0] == "C" for c in number) or not number_key(number):
                raise Refusal("invalid_number", _("证书编号只能包含字母、数字和分隔符。"), 422)
        if not isinstance(number, str) or len(number) > NUMBER_MAX:
            raise Refusal(
                "invalid_number", _("证书编号须为 1 到 %(n)d 个字符。", n=NUMBER_MAX), 422
            )
        try:
            obtained_on = date.fromisoformat(obtained) if isinstance(obtained, str) else None
        except ValueError:
            obtained_on = None
        if obtained_on is None or not EARLIEST_OBTAINED <= obtained_on <= today:
            raise Refusal(
                "invalid_date",
                _("取得日期须为 YYYY-MM-DD 格式，且不晚于今天、不早于 1990 年。"),
                422,
            )
        if user_id is not None and _declared_elsewhere(user_id, types[code], number.strip()):
            raise Refusal(
                "number_taken",
                _("该证书编号已由其他账号登记；如确为您本人的证书，请联系管理员。"),
                409,
            )
        checked.append(Declaration(types[code], number.strip(), obtained_on))
    return checked


def forget_declarations(user_id: int) -> None:
    """The account is erased: its declared certificates go, whatever the membership (in the
    caller's transaction)."""
    db.session.execute(delete(DeclaredCertificate).where(DeclaredCertificate.user_id == user_id))


def _check_quota_not_dodged(user_id: int, declarations: list[Declaration]) -> None:
    """A certificate holder earns membership hours within the quota, decided at completion by
    what is declared then. So, while a membership is current, a declared certificate is not
    taken back (watch uncapped, declare again); and a certificate is not declared over
    membership hours earned uncapped, as a non-holder, inside its cycle. Either way the admin
    can set it right (a correction, then the declaration)."""
    from academy.commerce import memberships  # late: commerce reads credits

    held = {d.credit_type_id: d for d in list_declarations(user_id)}
    wanted = {d.credit_type_id: d for d in declarations}
    if memberships.active_membership(user_id) is not None and set(held) - set(wanted):
        raise Refusal(
            "declaration_locked",
            _(
                "会员有效期内不能删除已申报的证书（会员学时额度按持证情况计算）；如有误请联系管理员。"
            ),
            409,
        )
    for type_id, declaration in wanted.items():
        if type_id in held:
            continue
        uncapped = select(CreditEntry.id).where(
            CreditEntry.user_id == user_id,
            CreditEntry.credit_type_id == type_id,
            CreditEntry.kind == EntryKind.AWARD,
            CreditEntry.rule == rules.NO_CERTIFICATE,
            CreditEntry.earned_on >= declaration.obtained_on,
        )
        if db.session.scalar(uncapped.limit(1)) is not None:
            raise Refusal(
                "declaration_locked",
                _(
                    "您在未申报该证书时已通过会员获得了不受额度限制的学时；"
                    "请联系管理员核对额度后再申报。"
                ),
                409,
            )


def number_key(number: str) -> str:
    """What makes two typed numbers the same certificate: its letters and digits after Unicode
    compatibility folding (full-width ＡＦＰ is AFP), case aside; separators (-, –, _, spaces)
    do not count."""
    folded = unicodedata.normalize("NFKC", number).upper()
    return "".join(c for c in folded if c.isalnum())


def _declared_elsewhere(user_id: int, credit_type_id: int, number: str) -> bool:
    """Another account declared this number for the type (number_key: one certificate is one
    person's, and its cycle and quota follow them)."""
    key = number_key(number)
    numbers = db.session.scalars(
        select(DeclaredCertificate.number).where(
            DeclaredCertificate.credit_type_id == credit_type_id,
            DeclaredCertificate.user_id != user_id,
        )
    )
    return any(number_key(other) == key for other in numbers)


def declare_certificates(
    user_id: int, declarations: list[Declaration]
) -> list[DeclaredCertificate]:
    """Replace the learner's declared certificates with these; commits.

    Changing a declaration changes how later awards are decided and where cycles start; hours
    already in the ledger stay as they were decided.
    """
    _check_quota_not_dodged(user_id, declarations)
    kept = {d.credit_type_id for d in declarations}
    db.session.execute(
        delete(DeclaredCertificate).where(
            DeclaredCertificate.user_id == user_id,
            DeclaredCertificate.credit_type_id.not_in(kept),
        )
    )
    existing = {d.credit_type_id: d for d in list_declarations(user_id)}
    for declaration in declarations:
        row = existing.get(declaration.credit_type_id)
        if row is None:
            row = DeclaredCertificate(user_id=user_id, credit_type_id=declaration.credit_type_id)
            db.session.add(row)
        row.number = declaration.number
        row.obtained_on = declaration.obtained_on
    try:
        db.session.commit()
    except IntegrityError:  # a racing request declared the same type first
        db.session.rollback()
        raise Refusal("conflict", _("证书信息已在别处更新，请刷新后重试。"), 409) from None
    return list_declarations(user_id)
