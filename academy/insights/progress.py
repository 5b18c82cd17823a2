"""How far a job has come and how long it takes: paced progress writes, time left, the
real-time factor. Plain functions; the job row itself is pipeline.py's."""

from __future__ import annotations

import time
from collections.abc import Callable

from academy import clock
from academy.insights.models import ProcessingJob

#: a running job writes its heartbeat at least this often while it reports, progress or not
HEARTBEAT_EVERY_SECONDS = 60.0
#: below this much progress the time left is not estimated: the model may still be loading, and
#: transcription (from 3 %) reports only as Whisper finishes a 30-second window, so a pace read
#: at 3 % grew without end while a short clip was transcribed (0:29 left, then 16:10 left)
MIN_PERCENT_FOR_ESTIMATE = 10


def step_reporter(
    write: Callable[[int], None],
    start: int,
    end: int,
    *,
    every: float,
    timer: Callable[[], float] = time.monotonic,
) -> Callable[[float], None]:
    """How far into a step (0..1) as a percent of the whole bar, written at most once every
    `every` seconds of wall time (and at least every HEARTBEAT_EVERY_SECONDS, for the
    heartbeat), never backwards. The first call always writes."""
    # Wall time, not academy.clock: this paces writes to the database while a CPU works, and
    # must keep pacing them when a test holds the app's clock still.
    last = {"percent": -1, "at": None}

    def report(fraction: float) -> None:
        percent = start + int(max(0.0, min(1.0, fraction)) * (end - start))
        now = timer()
        if last["at"] is not None:
            waited = now - last["at"]
            moved = percent > last["percent"]
            if not (moved and waited >= every or waited >= HEARTBEAT_EVERY_SECONDS):
                return
        write(max(percent, last["percent"]))
        last.update(percent=max(percent, last["percent"]), at=now)

    return report


def remaining_seconds(elapsed: float, progress: int) -> float | None:
    """Time left if the rest goes at the pace so far; None until there is a pace to go by."""
    if progress < MIN_PERCENT_FOR_ESTIMATE or progress >= 100:
        return None
    return round(elapsed * (100 - progress) / progress, 1)


def realtime_factor(seconds: float, media_seconds: float) -> float | None:
    """Seconds of processing per second of lecture (0.5: twice as fast as playing it)."""
    if media_seconds <= 0:
        return None
    return round(seconds / media_seconds, 2)


def job_timing(job: ProcessingJob, media_seconds: float) -> dict:
    """How long a job has taken or took, what is left, and its real-time factor (full runs)."""
    elapsed = remaining = duration = factor = None
    if job.started_at is not None:
        until = job.finished_at if job.status in ("done", "failed") else clock.now()
        elapsed = max(0.0, round((until - job.started_at).total_seconds(), 1))
        if job.status == "running":
            remaining = remaining_seconds(elapsed, job.progress)
        if job.status == "done":
            duration = elapsed
            if job.kind == "full":
                factor = realtime_factor(duration, media_seconds)
    return {
        "elapsed_seconds": elapsed,
        "remaining_seconds": remaining,
        "duration_seconds": duration,
        "realtime_factor": factor,
    }
