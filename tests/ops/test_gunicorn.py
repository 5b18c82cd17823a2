"""The web tier as production mode runs it: gunicorn with academy.gunicorn_config (the app and
jieba's dictionaries preloaded in the master, shared by forked workers) serves pages, search and
a logged-in API call from every worker, and stops gracefully on SIGTERM."""

from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from academy.config import ROOT
from tests.conftest import free_port
from tests.factories import PASSWORD

SEED = """
from academy import create_app
from academy.extensions import db
from academy.search import services as search
from tests.factories import Factory
app = create_app({"ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1}})
with app.app_context():
    db.create_all()
    make = Factory(app)
    course = make.course(title="反洗钱与客户尽职调查")
    make.insight(course.lessons[0])
    make.user("learner1")
    search.reindex_all()
"""


@pytest.fixture
def served(tmp_path):
    # the embedded default (SQLite, no Redis) in a folder of its own, on either test run
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(ACADEMY_INSTANCE=str(tmp_path / "instance"), SECRET_KEY="gunicorn-test")
    subprocess.run([sys.executable, "-c", SEED], cwd=ROOT, env=env, check=True)
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    master = subprocess.Popen(
        [gunicorn, "-c", "python:academy.gunicorn_config", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "2", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    # Its log says when it listens (a blocking read: no polling); requests sent from then on
    # wait in the socket's backlog until a worker takes them.
    for line in master.stdout:
        if "Listening at" in line:
            break
    else:
        pytest.fail("gunicorn stopped before it listened")
    base = f"http://127.0.0.1:{port}"
    yield base, master
    if master.poll() is None:
        master.kill()
        master.wait()
    master.stdout.close()


def get(opener, url) -> tuple[int, str]:
    """(status, body) of a GET, or of a prepared Request."""
    with opener.open(url, timeout=30) as response:
        return response.status, response.read().decode()


def smaps_kb(pid: int) -> dict[str, int]:
    lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]
    return {name: int(value.split()[0]) for name, value in (line.split(":", 1) for line in lines)}


def test_preloaded_workers_serve_pages_search_and_logins_then_stop_gracefully(served):
    base, master = served
    anon = urllib.request.build_opener()
    for _ in range(8):  # more requests than workers x threads: both workers answer some
        assert get(anon, f"{base}/")[0] == 200
        status, body = get(anon, f"{base}/search?q=" + urllib.parse.quote("尽职调查"))
        assert status == 200 and "共找到 1 门课程" in body  # jieba cut the query

    jar = http.cookiejar.CookieJar()
    user = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = urllib.request.Request(
        f"{base}/api/v1/auth/login",
        data=json.dumps({"username": "learner1", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert get(user, login)[0] == 200
    status, body = get(user, f"{base}/api/v1/auth/me")
    assert status == 200 and json.loads(body)["user"]["username"] == "learner1"

    # The app and jieba's dictionaries were loaded once, in the master: most of each worker's
    # memory is pages it shares with the master (loaded by each worker, ~90 % were its own).
    workers = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    assert len(workers) == 2
    for pid in workers:
        memory = smaps_kb(int(pid))
        assert memory["Private_Clean"] + memory["Private_Dirty"] < memory["Rss"] / 2, memory

    master.send_signal(signal.SIGTERM)
    assert master.wait(timeout=60) == 0
    log = master.stdout.read()
    assert log.count("Booting worker") == 2
    assert "Handling signal: term" in log and "Shutting down: Master" in log
    assert "Traceback" not in log
    # two workers on the embedded default: their rate-limit counts are each their own
    assert "2 workers without REDIS_URL" in log
