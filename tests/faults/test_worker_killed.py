"""A job worker killed in the middle of a transcription: the next worker's start finds the job
stalled, runs it again, and it finishes once, with one transcript. Real worker processes
(`flask academy worker`, the SQLite job store in the instance folder), the real Whisper model
on the committed demo clip, and SIGKILL: no clean shutdown, no chance to write anything."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session

from academy.insights.models import LessonInsight, ProcessingJob
from academy.insights.pipeline import STALL_AFTER
from tests.factories import CLIP

ROOT = Path(__file__).resolve().parents[2]
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi", "academy"]

SEED = """
from academy import create_app
from academy.insights import services as insights
from tests.factories import Factory

app = create_app()
with app.app_context():
    lesson = Factory(app).course(lessons=[41_400]).lessons[0]
    lesson.media_path = "demo/clip.mp4"
    job = insights.start_job(lesson, "full")
    print(job.id, job.status)
"""


def wait_for(condition, timeout: float, what: str):
    """Poll a real process's progress (it runs on real time; no clock to move)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_mid_transcription_leaves_a_job_the_next_worker_finishes_once(tmp_path):
    instance = tmp_path / "instance"
    database = f"sqlite:///{tmp_path / 'worker.db'}"
    env = {
        **os.environ,
        "ACADEMY_INSTANCE": str(instance),
        "DATABASE_URL": database,
        "SECRET_KEY": "worker-test",
        "ACADEMY_JOB_PROGRESS_SECONDS": "0.2",  # progress (and the heartbeat) as it happens
    }
    for name in ("ACADEMY_JOBS_IMMEDIATE", "REDIS_URL"):  # a real queue: the file job store
        env.pop(name, None)

    def run(args, timeout=120):
        return subprocess.run(
            args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )

    assert run([*FLASK, "init"]).returncode == 0
    (instance / "media" / "demo").mkdir(parents=True)
    shutil.copy(CLIP, instance / "media" / "demo" / "clip.mp4")
    seeded = run([sys.executable, "-c", SEED])
    assert seeded.returncode == 0, seeded.stderr
    job_id, status = seeded.stdout.split()
    assert status == "queued"
    engine = create_engine(database)

    def job() -> ProcessingJob:
        with Session(engine) as session:
            return session.get(ProcessingJob, int(job_id))

    log = (tmp_path / "first-worker.log").open("w")
    worker = subprocess.Popen([*FLASK, "worker"], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        # killed once Whisper has heard part of the clip: the transcription is under way
        wait_for(
            lambda: (found := job()).stage == "transcribing" and found.progress > 3,
            timeout=240,
            what="the first worker to be transcribing",
        )
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        log.close()
    killed = job()
    assert (killed.status, killed.stage, killed.attempts) == ("running", "transcribing", 1)
    # What three minutes without a heartbeat would leave: the dead worker's last one, older
    # than STALL_AFTER (the worker's clock is the system's; there is none to move).
    with Session(engine) as session:
        session.execute(
            update(ProcessingJob)
            .where(ProcessingJob.id == int(job_id))
            .values(heartbeat_at=killed.heartbeat_at - STALL_AFTER - STALL_AFTER)
        )
        session.commit()

    second = run([*FLASK, "worker", "--burst"], timeout=600)

    assert second.returncode == 0, second.stderr
    assert f"worker died or that missed the queue: [{job_id}]" in second.stdout
    # once (the periodic tasks the first worker queued at a minute's turn may run beside it)
    ran = [line for line in second.stderr.splitlines() if "process_lesson" in line]
    assert len([line for line in ran if "executed in" in line]) == 1, second.stderr
    with Session(engine) as session:
        jobs = session.scalars(select(ProcessingJob)).all()
        insights = session.scalars(select(LessonInsight)).all()
        assert [(j.status, j.progress, j.attempts) for j in jobs] == [("done", 100, 2)]
        assert len(insights) == 1 and insights[0].segments and insights[0].summary
    engine.dispose()
    with closing(sqlite3.connect(instance / "jobs.db")) as queue:  # nothing to run a third time
        assert queue.execute("SELECT count(*) FROM task").fetchone() == (0,)
