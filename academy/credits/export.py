"""The CSV of hours per learner, credit type and period that certification bodies import.

Rows are summed by the database and streamed out as they come, so a range of years with many
learners never sits in memory; UTF-8 with a BOM so that Excel reads the Chinese correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from academy.auth.models import User
from academy.credits.models import CreditEntry, CreditType, DeclaredCertificate
from academy.extensions import db
from academy.templating import format_hours

#: Excel takes a file for UTF-8 only when it starts with the byte-order mark
BOM = "\ufeff"
#: rows fetched from the database per round trip while streaming
BATCH = 500
#: a cell starting with one of these is a formula to a spreadsheet (CSV injection, OWASP):
#: names come from learners, so such text is written with a leading apostrophe
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text as a spreadsheet shows it, never run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def hours_rows(start: date, end: date, credit_type_id: int | None = None):
    """(user, type, certificate number, hours, required-course hours, entries) per learner and
    type with entries whose day is in [start, end], in learner order; a lazy result."""
    query = (
        select(
            User.username,
            User.real_name,
            CreditType.code,
            CreditType.name,
            DeclaredCertificate.number,
            func.sum(CreditEntry.centihours),
            func.sum(case((CreditEntry.required_course, CreditEntry.centihours), else_=0)),
            func.count(CreditEntry.id),
        )
        .join(User, User.id == CreditEntry.user_id)
        .join(CreditType, CreditType.id == CreditEntry.credit_type_id)
        .outerjoin(
            DeclaredCertificate,
            (DeclaredCertificate.user_id == CreditEntry.user_id)
            & (DeclaredCertificate.credit_type_id == CreditEntry.credit_type_id),
        )
        .where(CreditEntry.earned_on >= start, CreditEntry.earned_on <= end)
        .group_by(
            CreditEntry.user_id,
            CreditEntry.credit_type_id,
            User.username,
            User.real_name,
            CreditType.code,
            CreditType.name,
            DeclaredCertificate.number,
        )
        .order_by(CreditEntry.user_id, CreditEntry.credit_type_id)
    )
    if credit_type_id is not None:
        query = query.where(CreditEntry.credit_type_id == credit_type_id)
    return db.session.execute(query.execution_options(yield_per=BATCH))


def _line(cells: list) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


def csv_lines(start: date, end: date, credit_type_id: int | None = None) -> Iterator[str]:
    """The export, one CSV line at a time, the BOM before the header."""
    yield BOM + _line(
        [
            _("用户名"),
            _("姓名"),
            _("学时类型代码"),
            _("学时类型"),
            _("证书编号"),
            _("期间开始"),
            _("期间结束"),
            _("学时"),
            _("其中必修课学时"),
            _("记录数"),
        ]
    )
    for username, real_name, code, name, number, hours, required, count in hours_rows(
        start, end, credit_type_id
    ):
        yield _line(
            [
                safe_cell(username),
                safe_cell(real_name or ""),
                code,
                safe_cell(name),
                safe_cell(number or ""),
                start.isoformat(),
                end.isoformat(),
                format_hours(hours),
                format_hours(required),
                count,
            ]
        )
