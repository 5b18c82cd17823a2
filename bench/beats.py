"""How many heartbeats per second the server verifies, their latency, and the SQL per beat.

Runs the real app in-process (Flask test client, SQLite file in WAL mode, movable clock) with
several learners each playing a 10-minute lesson honestly. Each request gets its own app
context and database session, as under gunicorn, so nothing is served from an earlier
request's identity map. Usage: python bench/beats.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from academy import clock, create_app  # noqa: E402
from academy.extensions import db  # noqa: E402
from tests.factories import ApiClient, Factory  # noqa: E402
from tests.queries import counting_queries  # noqa: E402


def main(beats_total: int = 2000) -> None:
    moving = clock.MovableClock()
    clock.set_source(moving)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "INSTANCE_PATH": Path(tmp) / "instance",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "MEDIA_PATH": Path(tmp) / "media",
                "SECRET_KEY": "bench",
                "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
                "JOBS_IMMEDIATE": True,
            }
        )
        with app.app_context():
            db.create_all()
            make = Factory(app)
            course = make.course(lessons=[600_000])
            lesson_id = course.lessons[0].id
            for i in range(10):
                make.user(f"bench{i}")
        # Outside the setup's app context: every request pushes its own (a fresh session).
        players = []
        for i in range(10):
            client = ApiClient(app, f"bench{i}")
            client.enroll(course.id)
            status, start = client.start(lesson_id)
            players.append({"api": client, "session": start["session"], "seq": 0, "pos": 0.0})
        latencies = []
        steady, with_popup = [], []
        began = time.perf_counter()
        for n in range(beats_total):
            player = players[n % len(players)]
            if n % len(players) == 0:
                moving.advance(5)
            player["seq"] += 1
            player["pos"] = min(600.0, player["pos"] + 5)
            with counting_queries() as seen:
                t0 = time.perf_counter()
                status, body = player["api"].beat(player["session"], player["seq"], player["pos"])
                latencies.append(time.perf_counter() - t0)
            assert status == 200, body
            (with_popup if body.get("popup") else steady).append(len(seen))
            if body.get("popup"):
                player["api"].confirm(player["session"], body["popup"]["id"])
                player["pos"] = body["verified"]
        elapsed = time.perf_counter() - began
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    clock.set_source(None)
    latencies.sort()
    print(f"beats: {beats_total} from 10 learners, SQLite WAL, one process")
    print(f"throughput: {beats_total / elapsed:.0f} beats/s")
    print(
        f"latency: p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms"
    )
    print(
        f"SQL statements per beat: {statistics.mean(steady + with_popup):.2f} on average, "
        f"{statistics.median(steady):.0f} for most (median), "
        f"{statistics.median(with_popup or [0]):.0f} when a popup is issued, "
        f"{max(steady + with_popup)} at most (completing a course also awards its hours)"
    )
    print(f"learners one process can carry at one beat per 5 s: {beats_total / elapsed * 5:.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
