"""Redis unreachable: pages still serve, rate limits and the login throttle count in memory
meanwhile, and a job started while it is down waits in its row and runs once it is back. A
real redis-server of the test's own, stopped and started again on the same port."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.factories import PASSWORD, ApiClient, Factory

ROOT = Path(__file__).resolve().parents[2]
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi", "academy"]


def redis_check(client) -> tuple[int, bool]:
    response = client.get("/healthz")
    return response.status_code, response.get_json()["checks"]["redis"]["ok"]


def login_status(client, username: str, password: str) -> int:
    return client.post(
        "/api/v1/auth/login", json={"username": username, "password": password}
    ).status_code


def test_with_redis_down_pages_serve_and_limits_count_in_memory(build_app, redis_server):
    app = build_app(REDIS_URL=redis_server.url, RATELIMIT_STORAGE_URI=redis_server.url)
    make = Factory(app)
    course = make.course()
    make.user("learner1")
    make.user("guessed1")
    anon = app.test_client()
    assert redis_check(anon)[1] is True

    redis_server.stop()

    assert anon.get("/").status_code == 200
    assert anon.get(f"/courses/{course.id}").status_code == 200
    api = ApiClient(app, "learner1")  # logging in counts nothing, and reads the throttle
    assert api.enroll(course.id)[0] == 201
    status, body = api.start(course.lessons[0].id)  # a route under a per-account limit
    assert status == 201, body
    # Guessing meets the same throttle, counted in this process: not open while Redis is down
    guesser = app.test_client()
    statuses = [login_status(guesser, "guessed1", f"wrong-{n}") for n in range(6)]
    assert statuses == [401] * 5 + [429]
    assert login_status(guesser, "guessed1", PASSWORD) == 429
    assert redis_check(anon) == (200, False)  # degraded: the pages above still served

    redis_server.start()

    assert redis_check(anon)[1] is True
    assert anon.get("/").status_code == 200
    assert login_status(app.test_client(), "learner1", PASSWORD) == 200


SEED = """
from academy import create_app
from academy.extensions import db
from academy.insights.models import ProcessingJob
from tests.factories import ApiClient, Factory

app = create_app()
with app.app_context():
    make = Factory(app)
    make.user("admin1", role="admin")
    lesson = make.course(lessons=[60_000]).lessons[0]
    make.insight(lesson, publish=False)
    db.session.add(ProcessingJob(lesson_id=lesson.id, kind="derive", status="failed"))
    db.session.commit()
    status, body = ApiClient(app, "admin1").post(f"/api/v1/lessons/{lesson.id}/job/retry")
    print(status, body["job"]["status"] if status == 201 else body)
"""


def test_a_job_started_while_redis_is_down_runs_once_it_is_back(tmp_path, redis_server):
    env = {
        **os.environ,
        "REDIS_URL": redis_server.url,
        "ACADEMY_INSTANCE": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'redis-outage.db'}",
        "SECRET_KEY": "redis-outage-test",
    }
    env.pop("ACADEMY_JOBS_IMMEDIATE", None)

    def run(args):
        return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert run([*FLASK, "init"]).returncode == 0
    redis_server.stop()

    seeded = run([sys.executable, "-c", SEED])

    assert seeded.returncode == 0, seeded.stderr
    assert seeded.stdout.strip() == "201 queued"  # the request did not fail; the row waits
    assert "job queue unreachable" in seeded.stderr

    redis_server.start()
    worker = run([*FLASK, "worker", "--burst"])  # its start sends what missed the queue

    assert worker.returncode == 0, worker.stderr
    assert "missed the queue: [2]" in worker.stdout
    assert "ran 1 queued tasks" in worker.stdout
    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT status FROM processing_jobs ORDER BY id")).all()
    engine.dispose()
    assert [status for (status,) in rows] == ["failed", "done"]
