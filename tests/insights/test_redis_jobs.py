"""With REDIS_URL set, jobs go through a real Redis server to a separate worker process."""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi", "academy"]

SEED = """
from academy import create_app
from academy.extensions import db
from tests.factories import Factory
from academy.insights import services as insights

app = create_app()
with app.app_context():
    make = Factory(app)
    course = make.course(lessons=[60_000])
    lesson = course.lessons[0]
    lesson.media_path = "lessons/x.mp4"
    make.insight(lesson, publish=False)
    job = insights.start_job(lesson, "derive")
    print(job.status)
"""


def test_a_job_queued_in_redis_is_run_by_a_worker_process(redis_url, tmp_path):
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "ACADEMY_INSTANCE": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'redis.db'}",
        "SECRET_KEY": "redis-test",
    }
    env.pop("ACADEMY_JOBS_IMMEDIATE", None)

    def run(args):
        return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert run([*FLASK, "init"]).returncode == 0
    seeded = run([sys.executable, "-c", SEED])
    assert seeded.returncode == 0, seeded.stderr
    assert seeded.stdout.strip() == "queued"  # nothing ran it in this process
    queued = run(["redis-cli", "-u", redis_url, "--scan"])
    assert queued.stdout.strip(), "the task should be waiting in Redis"
    worker = run([*FLASK, "worker", "--burst"])
    assert worker.returncode == 0, worker.stderr
    assert "ran 1 queued tasks" in worker.stdout
    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as connection:
        status, progress = connection.execute(
            text("SELECT status, progress FROM processing_jobs")
        ).one()
    engine.dispose()
    assert (status, progress) == ("done", 100)
