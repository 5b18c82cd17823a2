"""The credit rules as plain functions, with properties checked over generated inputs."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from academy.credits import rules

hours = st.integers(min_value=0, max_value=5000)
sources = st.sampled_from(["purchase", "membership", "free"])
claims = st.lists(st.tuples(hours, sources, st.booleans(), st.booleans()), min_size=0, max_size=30)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


def run_period(quota: int, sequence) -> tuple[list[rules.Award], int]:
    """Award a sequence of completions in one membership period as the ledger does."""
    used, awards = 0, []
    for full, source, recommended, holder in sequence:
        award = rules.decide_award(
            full_centihours=full,
            source=source,
            member_recommended=recommended,
            holds_certificate=holder,
            quota_centihours=quota,
            used_centihours=used,
        )
        if award.uses_quota:
            used += award.centihours
        awards.append(award)
    return awards, used


@given(st.integers(min_value=0, max_value=10_000), claims)
def test_membership_quota_is_never_exceeded_within_a_period(quota, sequence):
    awards, used = run_period(quota, sequence)
    assert used <= quota
    for award, (full, *_rest) in zip(awards, sequence, strict=True):
        assert 0 <= award.centihours <= full
        assert award.centihours + award.capped_centihours == full
        if award.uses_quota:
            assert award.quota_before - award.quota_after == award.centihours


@given(st.integers(min_value=0, max_value=10_000), claims)
def test_member_recommended_courses_never_use_the_quota(quota, sequence):
    awards, _used = run_period(quota, sequence)
    for award, (full, _source, recommended, _holder) in zip(awards, sequence, strict=True):
        if recommended:
            assert not award.uses_quota
            assert award.centihours == full


@given(st.integers(min_value=0, max_value=10_000), st.integers(0, 20_000), hours, st.booleans())
def test_purchased_courses_are_never_capped(quota, used, full, holder):
    award = rules.decide_award(
        full_centihours=full,
        source="purchase",
        member_recommended=False,
        holds_certificate=holder,
        quota_centihours=quota,
        used_centihours=used,
    )
    assert (award.centihours, award.capped_centihours, award.rule) == (
        full,
        0,
        rules.PURCHASE_FULL,
    )


def test_learner_without_certificate_is_not_capped_even_with_the_quota_spent():
    award = rules.decide_award(
        full_centihours=300,
        source="membership",
        member_recommended=False,
        holds_certificate=False,
        quota_centihours=2500,
        used_centihours=2500,
    )
    assert (award.centihours, award.rule, award.uses_quota) == (300, rules.NO_CERTIFICATE, False)


def test_certificate_holder_gets_what_is_left_of_the_quota_and_is_told_how_much_was_cut():
    award = rules.decide_award(
        full_centihours=300,
        source="membership",
        member_recommended=False,
        holds_certificate=True,
        quota_centihours=2500,
        used_centihours=2300,
    )
    assert award == rules.Award(200, 100, rules.QUOTA_CAPPED, 200, 0)


lines = st.lists(st.builds(rules.Line, days, st.integers(-3000, 3000), st.booleans()), max_size=40)


@given(lines, days, st.integers(min_value=1, max_value=4), days)
def test_cycle_totals_always_equal_the_sum_of_the_ledger_entries(entries, anchor, years, today):
    requirement = rules.Requirement(years, 3000, 500, 200)
    shown = [
        rules.cycle_progress(entries, anchor, requirement, index)
        for index in rules.cycles_to_show(entries, anchor, years, today)
    ]
    assert sum(c.total.earned for c in shown) == rules.total(entries)
    assert rules.total(entries) == sum(line.centihours for line in entries)
    for cycle in shown:
        assert sum(y.earned for y in cycle.years) == cycle.total.earned
        assert cycle.years[0].start == cycle.total.start
        assert cycle.years[-1].end == cycle.total.end


@given(days, st.integers(min_value=1, max_value=5), days)
def test_every_day_falls_in_the_cycle_its_index_names(anchor, years, day):
    start, end = rules.cycle_bounds(anchor, years, rules.cycle_index(anchor, years, day))
    assert start <= day < end


def test_afp_cycle_starts_on_the_day_the_certificate_was_obtained():
    anchor = date(2025, 3, 1)
    requirement = rules.Requirement(2, 3000, 500, 200)
    entries = [
        rules.Line(date(2025, 6, 1), 2000, False),
        rules.Line(date(2026, 4, 1), 400, True),
        rules.Line(date(2027, 3, 1), 900, False),  # the next cycle's first day
    ]
    cycle = rules.cycle_progress(entries, anchor, requirement, 0)
    assert (cycle.total.start, cycle.total.end) == (date(2025, 3, 1), date(2027, 3, 1))
    assert [y.earned for y in cycle.years] == [2000, 400]
    assert [y.met for y in cycle.years] == [True, False]
    assert cycle.required_courses.earned == 400
    assert cycle.total.earned == 2400
    assert not cycle.met


def test_a_leap_day_certificate_renews_on_28_february():
    assert rules.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


def test_beijing_date_of_a_late_utc_evening_is_the_next_day():
    assert rules.beijing_date(datetime(2026, 12, 31, 17, 0)) == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("name", "masked"),
    [("王小明", "王*明"), ("李明", "李*"), ("欧阳小明", "欧**明"), ("A", "*"), ("alice", "a***e")],
)
def test_names_are_masked_keeping_first_and_last_character(name, masked):
    assert rules.mask_name(name) == masked
