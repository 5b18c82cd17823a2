"""Progress that means something: one ordered list of steps fills the bar, writes are paced by
wall time, and a job says how long it has taken, what is left and its real-time factor."""

from __future__ import annotations

from datetime import timedelta

import pytest

from academy.insights import pipeline, progress
from academy.insights.models import ProcessingJob


def test_a_full_run_fills_the_bar_in_the_order_of_the_steps():
    spans = pipeline.plan("full")

    assert [step.name for step, _, _ in spans] == [step.name for step in pipeline.STEPS]
    assert spans[0][1] == 0 and spans[-1][2] == 100
    assert all(a[2] == b[1] for a, b in zip(spans, spans[1:], strict=False))


def test_a_derive_run_spreads_the_derivations_over_the_whole_bar():
    spans = pipeline.plan("derive")

    assert not any(step.transcribes for step, _, _ in spans)
    assert spans[0][1] == 0 and spans[-1][2] == 100


class Timer:
    """Wall time a test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_is_written_at_most_every_few_seconds_and_never_backwards():
    written, timer = [], Timer()
    report = progress.step_reporter(written.append, 4, 84, every=3.0, timer=timer)

    report(0.0)  # the first report always writes
    report(0.5)  # a moment later: held back
    timer.now = 3.0
    report(0.5)
    timer.now = 6.0
    report(0.25)  # lower than what was written: nothing moves backwards
    timer.now = 7.0
    report(1.0)

    assert written == [4, 44, 84]


def test_a_stuck_step_still_writes_its_heartbeat():
    written, timer = [], Timer()
    report = progress.step_reporter(written.append, 4, 84, every=3.0, timer=timer)
    report(0.5)
    timer.now = progress.HEARTBEAT_EVERY_SECONDS
    report(0.5)

    assert written == [44, 44]


@pytest.mark.parametrize(
    ("elapsed", "percent", "remaining"),
    [
        (10.0, 25, 30.0),
        (30.0, 50, 30.0),
        (5.0, 2, None),
        (30.0, 3, None),  # transcription begun, no window finished yet: no pace to go by
        (40.0, 100, None),
    ],
)
def test_the_time_left_goes_by_the_pace_so_far(elapsed, percent, remaining):
    assert progress.remaining_seconds(elapsed, percent) == remaining


def test_a_running_job_says_how_long_it_has_run_and_what_is_left(movable_clock):
    job = ProcessingJob(
        kind="full", status="running", progress=25, started_at=movable_clock.current
    )
    movable_clock.advance(10)

    timing = progress.job_timing(job, media_seconds=41.4)
    assert (timing["elapsed_seconds"], timing["remaining_seconds"]) == (10.0, 30.0)
    assert timing["duration_seconds"] is None


def test_a_finished_transcription_says_its_duration_and_real_time_factor(movable_clock):
    started = movable_clock.current
    job = ProcessingJob(
        kind="full",
        status="done",
        progress=100,
        started_at=started,
        finished_at=started + timedelta(seconds=30),
    )

    timing = progress.job_timing(job, media_seconds=41.4)
    assert (timing["duration_seconds"], timing["realtime_factor"]) == (30.0, 0.72)


def test_the_job_api_reports_the_timing(studio_api, draft, make, movable_clock):
    course, lesson = draft
    lesson.media_path, lesson.duration_ms = "lessons/x.mp4", 40_000
    make.insight(lesson, publish=False)
    from academy.insights import services as insights

    insights.start_job(lesson, "derive")
    status, body = studio_api.get(f"/api/v1/lessons/{lesson.id}/job")

    assert status == 200 and body["job"]["duration_seconds"] == 0.0
    assert body["job"]["realtime_factor"] is None  # a derive run transcribes nothing
