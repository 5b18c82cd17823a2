"""The verification rules, as plain functions."""

import random

import pytest

from academy.learning import rules

CAP = rules.allowance_cap_ms(100, 5, 2000)


def advance(**overrides):
    values = dict(
        verified_ms=10_000,
        allowance_ms=0,
        elapsed_ms=5_000,
        position_ms=15_000,
        rate_centi=100,
        hidden=False,
        duration_ms=600_000,
        stop_at_ms=None,
        max_rate_centi=100,
        cap_ms=CAP,
    )
    values.update(overrides)
    return rules.advance_verified(**values)


def test_real_time_playback_is_credited_in_full():
    result = advance()
    assert result.verified_ms == 15_000
    assert result.reason == ""


def test_progress_never_exceeds_elapsed_real_time_times_rate():
    result = advance(elapsed_ms=1_000, position_ms=15_000)
    assert result.verified_ms == 11_000
    assert result.reason == "faster_than_real_time"


def test_allowed_rate_above_one_earns_proportionally():
    result = advance(
        elapsed_ms=4_000,
        rate_centi=150,
        max_rate_centi=150,
        cap_ms=rules.allowance_cap_ms(150, 5, 2000),
    )
    assert result.verified_ms == 15_000


def test_unspent_allowance_is_capped_so_a_pause_cannot_be_spent_as_a_jump():
    result = advance(elapsed_ms=600_000, position_ms=10_000 + CAP)
    assert result.verified_ms == 10_000 + CAP
    assert result.allowance_ms == 0


def test_position_far_ahead_of_verified_is_a_seek_and_earns_nothing():
    result = advance(position_ms=10_000 + CAP + 1, elapsed_ms=60_000)
    assert result.verified_ms == 10_000
    assert result.reason == "ahead_of_verified"


def test_rewinding_earns_nothing_and_keeps_verified():
    result = advance(position_ms=2_000)
    assert result.verified_ms == 10_000


def test_hidden_tab_earns_nothing_and_drains_the_allowance():
    result = advance(hidden=True, allowance_ms=5_000)
    assert (result.verified_ms, result.allowance_ms, result.reason) == (10_000, 0, "hidden")


def test_rate_above_the_maximum_earns_nothing():
    result = advance(rate_centi=125)
    assert (result.verified_ms, result.reason) == (10_000, "rate_not_allowed")


def test_verified_stops_at_an_unconfirmed_popup():
    result = advance(stop_at_ms=12_500)
    assert result.verified_ms == 12_500
    assert result.reason == "popup_pending"


def test_verified_never_passes_the_duration():
    result = advance(verified_ms=598_000, position_ms=600_000, duration_ms=600_000)
    assert result.verified_ms == 600_000


def test_the_last_second_a_browser_rounds_away_still_reaches_the_end():
    result = advance(verified_ms=596_000, position_ms=599_400, duration_ms=600_000)
    assert result.verified_ms == 600_000


@pytest.mark.parametrize(
    ("duration_ms", "per_50min", "expected"),
    [
        (40_000, 3, 1),
        (50 * 60_000, 3, 3),
        (50 * 60_000 + 1, 3, 4),
        (100 * 60_000, 3, 6),
        (600_000, 0, 1),
    ],
)
def test_popup_count_follows_density_with_at_least_one(duration_ms, per_50min, expected):
    assert rules.popup_count(duration_ms, per_50min, 1) == expected


def test_popup_times_are_inside_the_lesson_and_one_per_stretch():
    rng = random.Random(7)
    times = rules.draw_popup_times(3_000_000, 3, rng)
    assert len(times) == 3
    assert times == sorted(times)
    assert all(3000 <= t <= 3_000_000 - 3000 for t in times)
    thirds = [t * 3 // 3_000_000 for t in times]
    assert thirds == [0, 1, 2]


def test_popup_times_differ_between_draws():
    draws = {tuple(rules.draw_popup_times(600_000, 2, random.Random(seed))) for seed in range(20)}
    assert len(draws) == 20


@pytest.mark.parametrize("seed", range(5))
def test_popups_redrawn_for_a_shorter_video_spread_over_what_is_left_to_watch(seed):
    times = rules.redraw_popup_times(20_000, 41_400, 3, random.Random(seed))
    stretch = (41_400 - 20_000) / 3
    assert [int((t - 20_000) // stretch) for t in times] == [0, 1, 2]


def test_popups_redrawn_when_nothing_is_left_to_watch_come_at_the_end():
    assert rules.redraw_popup_times(50_000, 41_400, 2, random.Random(1)) == [41_400, 41_400]


def test_lesson_complete_needs_full_duration_and_all_popups():
    assert rules.is_lesson_complete(60_000, 60_000, 0)
    assert not rules.is_lesson_complete(59_999, 60_000, 0)
    assert not rules.is_lesson_complete(60_000, 60_000, 1)


@pytest.mark.parametrize(
    ("elapsed_ms", "max_per_second", "too_soon"),
    [
        (0, 2, True),  # a beat on the heels of the last one
        (499, 2, True),
        (500, 2, False),  # exactly two a second is allowed
        (5_000, 2, False),  # a player's heartbeat
        (999, 1, True),
        (0, 0, False),  # 0: no limit
    ],
)
def test_a_beat_sooner_than_the_per_second_limit_allows_is_too_soon(
    elapsed_ms, max_per_second, too_soon
):
    assert rules.beat_too_soon(elapsed_ms, max_per_second) is too_soon
