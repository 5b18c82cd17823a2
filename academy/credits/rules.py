"""The credit rules as plain functions: how many hours an award gives, and where hours fall in
a learner's cycles. No Flask, no database; hours are integers in hundredths (centihours)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

#: Beijing time, in which a day's hours count (China has kept UTC+8 without summer time since 1991)
BEIJING_OFFSET = timedelta(hours=8)

# The rule that decided an entry; stored on it and explained on /me/credits ("为何是这些学时").
#: a bought course gives its full hours: PRODUCT.md, purchased courses never count against a quota
PURCHASE_FULL = "purchase_full"
#: a free course gives its full hours
FREE_FULL = "free_full"
#: a member-recommended course claimed with membership: full hours, the quota is not touched
MEMBER_RECOMMENDED = "member_recommended"
#: claimed with membership by a learner who declared no certificate of this type: the quota is
#: for certificate holders, so nothing is capped and nothing is used
NO_CERTIFICATE = "no_certificate"
#: claimed with membership, but the period it was claimed in is not known: nothing to cap against
NO_PERIOD = "no_period"
#: claimed with membership by a certificate holder; the whole award fitted in the period's quota
WITHIN_QUOTA = "within_quota"
#: claimed with membership by a certificate holder; the quota left was less than the course gives
QUOTA_CAPPED = "quota_capped"
#: cancels an award because its order was refunded
REFUND_REVERSAL = "refund_reversal"
#: an admin's adjustment
ADMIN_CORRECTION = "admin_correction"

#: rules under which an award took hours from a membership period's quota
QUOTA_RULES = frozenset({WITHIN_QUOTA, QUOTA_CAPPED})


@dataclass(frozen=True)
class Award:
    """What completing a course gives for one credit type, and why."""

    centihours: int
    #: what the course gives but the rule held back
    capped_centihours: int
    rule: str
    #: quota left in the period before and after this award; None when the quota was not used
    quota_before: int | None = None
    quota_after: int | None = None

    @property
    def uses_quota(self) -> bool:
        return self.rule in QUOTA_RULES


def decide_award(
    *,
    full_centihours: int,
    source: str,
    member_recommended: bool,
    holds_certificate: bool,
    quota_centihours: int | None,
    used_centihours: int,
) -> Award:
    """The hours one completion gives for one credit type.

    `source` is how the learner got the course ('purchase', 'membership', 'free'). Only a
    membership claim by a holder of this type's certificate, of a course that is not
    member-recommended, takes from the period's quota (`quota_centihours`, of which
    `used_centihours` are used), and gets at most what is left of it.
    """
    if source == "purchase":
        return Award(full_centihours, 0, PURCHASE_FULL)
    if source != "membership":
        return Award(full_centihours, 0, FREE_FULL)
    if member_recommended:
        return Award(full_centihours, 0, MEMBER_RECOMMENDED)
    if not holds_certificate:
        return Award(full_centihours, 0, NO_CERTIFICATE)
    if quota_centihours is None:
        return Award(full_centihours, 0, NO_PERIOD)
    left = max(0, quota_centihours - used_centihours)
    given = min(full_centihours, left)
    rule = WITHIN_QUOTA if given == full_centihours else QUOTA_CAPPED
    return Award(given, full_centihours - given, rule, left, left - given)


def beijing_date(moment: datetime) -> date:
    """The day in Beijing of a stored (naive UTC) time."""
    return (moment + BEIJING_OFFSET).date()


def add_years(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def cycle_index(anchor: date, cycle_years: int, day: date) -> int:
    """Which cycle `day` falls in, counting cycles of `cycle_years` from `anchor` (0 = first;
    a day before the anchor is in a negative one)."""
    index = (day.year - anchor.year) // cycle_years
    while add_years(anchor, index * cycle_years) > day:
        index -= 1
    while add_years(anchor, (index + 1) * cycle_years) <= day:
        index += 1
    return index


def cycle_bounds(anchor: date, cycle_years: int, index: int) -> tuple[date, date]:
    """The first day of cycle `index` and the first day after it."""
    return add_years(anchor, index * cycle_years), add_years(anchor, (index + 1) * cycle_years)


def default_anchor(first_entry_on: date | None, today: date) -> date:
    """Where cycles start for a learner who declared no certificate of the type: 1 January of
    the year they first earned hours of it (or of this year). A certificate's date replaces it."""
    return date((first_entry_on or today).year, 1, 1)


@dataclass(frozen=True)
class Line:
    """One ledger entry as the cycle rules see it."""

    earned_on: date
    centihours: int
    #: from a course that is one of the type's required courses
    required_course: bool = False


@dataclass(frozen=True)
class Requirement:
    """A credit type's rules for one cycle, in hundredths of an hour."""

    cycle_years: int
    total: int
    yearly_min: int
    required_courses: int


@dataclass(frozen=True)
class Span:
    """Hours earned in [start, end) against what is required there."""

    start: date
    end: date
    earned: int
    required: int

    @property
    def met(self) -> bool:
        return self.earned >= self.required

    @property
    def last_day(self) -> date:
        """The span's last day, as people write a period ('2025-03-01 至 2027-02-28')."""
        return self.end - timedelta(days=1)


@dataclass(frozen=True)
class CycleProgress:
    """One cycle: its total, each of its years, and hours from required courses."""

    index: int
    total: Span
    years: list[Span]
    required_courses: Span

    @property
    def met(self) -> bool:
        return self.total.met and self.required_courses.met and all(y.met for y in self.years)


def _sum_between(lines: Iterable[Line], start: date, end: date, only_required=False) -> int:
    return sum(
        line.centihours
        for line in lines
        if start <= line.earned_on < end and (line.required_course or not only_required)
    )


def cycle_progress(
    lines: list[Line], anchor: date, requirement: Requirement, index: int
) -> CycleProgress:
    """Progress in cycle `index`: the whole cycle, each year of it, and required courses."""
    start, end = cycle_bounds(anchor, requirement.cycle_years, index)
    years = []
    for year in range(requirement.cycle_years):
        year_start, year_end = add_years(start, year), add_years(start, year + 1)
        years.append(
            Span(
                year_start,
                year_end,
                _sum_between(lines, year_start, year_end),
                requirement.yearly_min,
            )
        )
    return CycleProgress(
        index,
        Span(start, end, _sum_between(lines, start, end), requirement.total),
        years,
        Span(
            start,
            end,
            _sum_between(lines, start, end, only_required=True),
            requirement.required_courses,
        ),
    )


def cycles_to_show(lines: list[Line], anchor: date, cycle_years: int, today: date) -> list[int]:
    """Every cycle that holds an entry, and the current one, oldest first."""
    indexes = {cycle_index(anchor, cycle_years, line.earned_on) for line in lines}
    indexes.add(cycle_index(anchor, cycle_years, today))
    return sorted(indexes)


def total(lines: Iterable[Line]) -> int:
    """All hours in the lines: the ledger's sum (corrections and reversals included)."""
    return sum(line.centihours for line in lines)


def mask_name(name: str) -> str:
    """A name as /verify shows it to anyone: first and last character kept, the rest starred
    ('王小明' -> '王*明', '李明' -> '李*'), enough to recognise, not to identify."""
    name = name.strip()
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
