"""The player's verification rules as plain functions: no Flask, no database."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

#: ms of video at the end a browser may round away (its idea of the duration differs slightly)
END_SLACK_MS = 1000
#: length of the window the NASBA density rule counts in (50 minutes = one CPE credit)
DENSITY_WINDOW_MS = 50 * 60 * 1000


@dataclass(frozen=True)
class BeatResult:
    """What one heartbeat earned."""

    verified_ms: int
    allowance_ms: int
    #: '' when the full claim was credited, else why it was not
    reason: str


def allowance_cap_ms(max_rate_centi: int, heartbeat_seconds: int, tolerance_ms: int) -> int:
    """The most watch time a session may hold unspent: two heartbeats' worth plus tolerance.

    A cap is what stops pausing (or idling) from being saved up and spent as a jump ahead.
    Two heartbeats, not one, so an honest player whose one beat was lost or slow is not
    mistaken for one that skipped.
    """
    return 2 * heartbeat_seconds * 1000 * max_rate_centi // 100 + tolerance_ms


def advance_verified(
    *,
    verified_ms: int,
    allowance_ms: int,
    elapsed_ms: int,
    position_ms: int,
    rate_centi: int,
    hidden: bool,
    duration_ms: int,
    stop_at_ms: int | None,
    max_rate_centi: int,
    cap_ms: int,
) -> BeatResult:
    """Advance verified progress for one heartbeat.

    Progress moves only forward from `verified_ms`, never past `stop_at_ms` (an unconfirmed
    popup) or the end, and never by more than the real time that has passed times the allowed
    rate: real time fills an allowance (capped at `cap_ms`) and progress spends it.
    """
    elapsed_ms = max(0, elapsed_ms)
    if hidden:
        return BeatResult(verified_ms, 0, "hidden")
    if rate_centi > max_rate_centi:
        return BeatResult(verified_ms, 0, "rate_not_allowed")
    if position_ms > verified_ms + cap_ms:
        # Further ahead than one step of real playback could be: a seek forward, not watching.
        return BeatResult(verified_ms, 0, "ahead_of_verified")
    allowance_ms = min(cap_ms, allowance_ms + elapsed_ms * max_rate_centi // 100)
    target = duration_ms if position_ms >= duration_ms - END_SLACK_MS else position_ms
    limit = duration_ms if stop_at_ms is None else min(stop_at_ms, duration_ms)
    wanted = max(0, min(target, limit) - verified_ms)
    step = min(wanted, allowance_ms)
    reason = ""
    if step < wanted:
        reason = "faster_than_real_time"
    elif stop_at_ms is not None and target > stop_at_ms and verified_ms + step == stop_at_ms:
        reason = "popup_pending"
    return BeatResult(verified_ms + step, allowance_ms - step, reason)


def beat_too_soon(elapsed_ms: int, max_per_second: int) -> bool:
    """Whether a beat follows the last accepted one sooner than `max_per_second` allows.

    Only accepted beats move the mark, so a flood is measured from the last beat that counted
    and at most `max_per_second` of it are accepted; 0 or less means no limit. A player beats
    once a heartbeat (seconds apart) and never comes near it.
    """
    return max_per_second > 0 and elapsed_ms * max_per_second < 1000


def popup_count(duration_ms: int, per_50min: int, minimum: int) -> int:
    """How many popups a lesson gets: the density rule, and never fewer than the minimum."""
    by_density = math.ceil(duration_ms * per_50min / DENSITY_WINDOW_MS) if per_50min > 0 else 0
    return max(minimum, by_density)


def draw_popup_times(duration_ms: int, count: int, rng: random.Random) -> list[int]:
    """Draw `count` popup times at random, one in each equal stretch of the lesson.

    Stratifying keeps them spread through the lesson while each stays unpredictable; the
    first and last few seconds are left out so a popup never lands on a title or the end.
    """
    if count <= 0:
        return []
    margin = min(max(3000, duration_ms // 20), duration_ms // 4)
    low, high = margin, duration_ms - margin
    if high <= low:
        return [duration_ms // 2]
    width = (high - low) / count
    return [int(low + i * width + rng.uniform(0.1, 0.9) * width) for i in range(count)]


def redraw_popup_times(
    verified_ms: int, duration_ms: int, count: int, rng: random.Random
) -> list[int]:
    """New times for `count` popups that a shorter video left past its end: at random, one in
    each equal stretch of what the learner has yet to verify; at the end when nothing is left
    (then the next beat issues them)."""
    if verified_ms >= duration_ms:
        return [duration_ms] * count
    width = (duration_ms - verified_ms) / count
    return [int(verified_ms + i * width + rng.uniform(0.1, 0.9) * width) for i in range(count)]


def is_lesson_complete(verified_ms: int, duration_ms: int, unconfirmed_popups: int) -> bool:
    """A lesson is complete when its whole duration is verified and every popup confirmed."""
    return verified_ms >= duration_ms and unconfirmed_popups == 0


def rate_to_centi(rate: float) -> int:
    """A reported playback rate in hundredths, rounded so 1.0 from a browser is exactly 100."""
    return round(rate * 100)
