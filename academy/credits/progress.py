"""A learner's progress per credit type and cycle, read from the ledger through the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from academy import clock
from academy.credits import rules
from academy.credits.declarations import list_declarations
from academy.credits.ledger import entry_day, list_credit_types
from academy.credits.models import CreditEntry, CreditType, DeclaredCertificate


@dataclass(frozen=True)
class TypeProgress:
    """One credit type for one learner: where cycles start, and each cycle shown."""

    credit_type: CreditType
    #: the declared certificate that anchors the cycles, if any
    declaration: DeclaredCertificate | None
    anchor: date
    total: int
    cycles: list[rules.CycleProgress]


def requirement_of(credit_type: CreditType) -> rules.Requirement:
    return rules.Requirement(
        cycle_years=max(1, credit_type.cycle_years),
        total=credit_type.required_centihours,
        yearly_min=credit_type.yearly_min_centihours,
        required_courses=credit_type.required_course_centihours,
    )


def lines_of(entries: list[CreditEntry]) -> list[rules.Line]:
    return [rules.Line(entry_day(e), e.centihours, e.required_course) for e in entries]


def progress_for(user_id: int, entries: list[CreditEntry]) -> list[TypeProgress]:
    """Each credit type the learner declared or earned hours of, with its cycles."""
    today = rules.beijing_date(clock.now())
    declared = {d.credit_type_id: d for d in list_declarations(user_id)}
    result = []
    for credit_type in list_credit_types():
        mine = [e for e in entries if e.credit_type_id == credit_type.id]
        declaration = declared.get(credit_type.id)
        if not mine and declaration is None:
            continue
        lines = lines_of(mine)
        requirement = requirement_of(credit_type)
        if declaration is not None:
            anchor = declaration.obtained_on
        else:
            anchor = rules.default_anchor(min((ln.earned_on for ln in lines), default=None), today)
        cycles = [
            rules.cycle_progress(lines, anchor, requirement, index)
            for index in rules.cycles_to_show(lines, anchor, requirement.cycle_years, today)
        ]
        result.append(
            TypeProgress(
                credit_type, declaration, anchor, rules.total(lines), list(reversed(cycles))
            )
        )
    return result


def chart_series(entries: list[CreditEntry]) -> dict:
    """Cumulative hours per credit type by day, for the chart: {"days": [...], "series": [...]}."""
    days = sorted({entry_day(e) for e in entries})
    series = []
    for credit_type in list_credit_types():
        mine = [e for e in entries if e.credit_type_id == credit_type.id]
        if not mine:
            continue
        running, points = 0, []
        for day in days:
            running += sum(e.centihours for e in mine if entry_day(e) == day)
            points.append(running / 100)
        series.append({"name": credit_type.name, "data": points})
    return {"days": [d.isoformat() for d in days], "series": series}
