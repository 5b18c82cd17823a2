"""Viewers over real HTTP with locust: log in, start a lesson, beat with honest positions,
confirm popups; in the same run, just before, the same request rate against /livez (a trivial
JSON answer of the same app) as the ceiling. Prints beats/s, p50/p95/p99, errors and the
ratio to the ceiling.

Run it against a server in production mode and point it at the server's database (it seeds the
bench course and accounts there, and sets the player's heartbeat):

    bash .ci/serve-production                  # another terminal; or any server you run
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:54320/academy \\
        .venv/bin/python bench/load.py --viewers 500,1000,2000 --heartbeat 2 --seconds 60

A viewer beats every `--heartbeat` seconds (the admin's setting, 2 s at the least), so N viewers
offer N / heartbeat beats a second: 2,000 viewers at 2 s stand for 10,000 viewers at the
default-like 10 s. Load generator and server share this machine: its CPU is part of the figure,
so the viewers use locust's FastHttpUser (geventhttpclient), several times cheaper per request
than its requests-based HttpUser, which on two cores capped the ceiling itself near 200/s.
`bash bench/run-load.sh` starts a production-mode server in a temporary folder, runs this and
bench/pages.py against it and stops it.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

# locust patches the standard library for gevent: import it before anything that uses sockets
import gevent
from locust import FastHttpUser, events, task
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BENCH_PASSWORD = "bench-viewer-2026"
BENCH_COURSE = "压测课程（bench/load.py）"
#: the bench lesson is long enough that nobody finishes during a run
LESSON_MS = 4 * 3600 * 1000
#: viewers logging in per second while a step ramps up (each login is one argon2 verification)
SPAWN_RATE = 40


def seed(viewers: int, heartbeat: int) -> int:
    """The bench course and `viewers` enrolled accounts in the server's database; returns the
    lesson id. Accounts share one password hash (made once with the server's parameters)."""
    from sqlalchemy import select

    from academy import create_app
    from academy.auth import passwords
    from academy.auth.models import User
    from academy.catalog.models import Course
    from academy.extensions import db
    from academy.learning import services as learning
    from tests.factories import Factory

    app = create_app()
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "bench-load"))
        if course is None:
            course = Factory(app).course(
                slug="bench-load",
                title=BENCH_COURSE,
                category=("bench", "压测"),
                lessons=[("压测课时", LESSON_MS, "bench/none.mp4")],
                credits={},
            )
        lesson_id = course.lessons[0].id
        existing = set(
            db.session.scalars(select(User.username).where(User.username.like("bench-viewer-%")))
        )
        password_hash = passwords.hash_password(BENCH_PASSWORD)
        for i in range(viewers):
            name = f"bench-viewer-{i:05d}"
            if name not in existing:
                db.session.add(User(username=name, password_hash=password_hash, role="learner"))
        db.session.commit()
        for user in db.session.scalars(
            select(User).where(User.username.like("bench-viewer-%")).order_by(User.username)
        ).all()[:viewers]:
            learning.enrol_free(user, course)
        learning.update_player_settings({"heartbeat_seconds": heartbeat})
        db.session.remove()
        db.engine.dispose()
    return lesson_id


def player_interval(every: float):
    """A user's wait_time that keeps the player's schedule: setInterval in static/js/player.js
    beats every `every` seconds from the moment playing started, so a slow answer delays one beat,
    not the ones after it. locust's constant_throughput instead times each wait from the last
    task: after one slow moment the users fall into step and arrive in bursts, and the bench then
    measured its own bursts (a do-nothing app showed p99 200-270 ms at 1,000 requests a second,
    5-35 ms with this schedule). Each user starts at a random phase, as viewers press play at
    random."""

    def wait_time(user) -> float:
        now = time.monotonic()
        due = getattr(user, "next_due", None)
        due = now + random.uniform(0, every) if due is None else due + every
        user.next_due = max(due, now)  # a beat more than one interval late is not made up
        return user.next_due - now

    return wait_time


def viewer_class(lesson_id: int, heartbeat: int):
    names = iter(range(10**9))

    class Viewer(FastHttpUser):
        """One learner playing the lesson in real time, as the browser's player does."""

        wait_time = player_interval(heartbeat)
        started: list[str] = []  # the viewers logged in and playing

        def on_start(self) -> None:
            self.username = f"bench-viewer-{next(names):05d}"
            answer = self.client.post(
                "/api/v1/auth/login",
                json={"username": self.username, "password": BENCH_PASSWORD},
                name="login",
            ).json()
            self.csrf = {"X-CSRFToken": answer["csrf_token"]}
            started = self.client.post(
                f"/api/v1/lessons/{lesson_id}/watch", json={}, headers=self.csrf, name="start"
            ).json()
            self.session = started["session"]
            self.seq = 0
            self.base, self.since = float(started["verified"]), time.monotonic()
            self.max_lead = float(started["max_lead"])
            self.started.append(self.username)

        @task
        def beat(self) -> None:
            self.seq += 1
            position = self.base + (time.monotonic() - self.since)
            with self.client.post(
                f"/api/v1/watch/{self.session}/beat",
                json={"seq": self.seq, "position": position, "rate": 1.0, "hidden": False},
                headers=self.csrf,
                name="beat",
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    # a connection that failed has no body, only its error
                    why = response.text or repr(response.error)
                    response.failure(f"{response.status_code} {why[:80]}")
                    return
                body = response.json()
                if body["verified"] + 2.5 < position - heartbeat:  # honest play earns: say if not
                    response.failure(
                        f"verified {body['verified']} behind {position:.1f} ({body['note']})"
                    )
                if position > body["verified"] + self.max_lead:
                    # as the player does: the playhead goes back to what the server verified
                    self.base, self.since = float(body["verified"]), time.monotonic()
            if body.get("popup"):
                # the player pauses at the popup; the person confirms and playing goes on
                self.client.post(
                    f"/api/v1/watch/{self.session}/popups/{body['popup']['id']}",
                    json={},
                    headers=self.csrf,
                    name="confirm",
                )
                self.base, self.since = float(body["verified"]), time.monotonic()

    return Viewer


def ceiling_class(heartbeat: int):
    class Ceiling(FastHttpUser):
        """The same request rate against the app's most trivial answer."""

        wait_time = player_interval(heartbeat)

        @task
        def live(self) -> None:
            self.client.get("/livez", name="livez")

    return Ceiling


def measure(user_class, users: int, spawn_rate: float, settle: float, seconds: int):
    """Run `users` of one class, wait until all have started (their on_start done, when the
    class counts it in `started`) and `settle` seconds more, then measure for `seconds`;
    returns locust's stats for the measured part and its length."""
    user_class.fixed_count = users
    env = Environment(user_classes=[user_class], events=events)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=spawn_rate)
    runner.spawning_greenlet.join()
    # Logging in is an argon2 verification each: a step measured while viewers still log in
    # measures the logins.
    started = getattr(user_class, "started", None)
    deadline = time.monotonic() + 600
    while started is not None and len(started) < users:
        if time.monotonic() > deadline:
            print(f"only {len(started)} of {users} started in 600 s", flush=True)
            break
        gevent.sleep(0.5)
    gevent.sleep(settle)
    env.stats.reset_all()
    began = time.monotonic()
    gevent.sleep(seconds)
    elapsed = time.monotonic() - began
    runner.quit()
    return env.stats, elapsed


def run_step(url: str, viewers: int, heartbeat: int, seconds: int, lesson_id: int) -> dict:
    """The ceiling first (as many users asking /livez at the viewers' rate), then the viewers:
    one after the other, so that each has the machine to itself (run together they would
    offer twice the rate and each measure the other)."""
    Viewer, Ceiling = viewer_class(lesson_id, heartbeat), ceiling_class(heartbeat)
    Viewer.host = Ceiling.host = url
    ceiling, ceiling_time = measure(Ceiling, viewers, 100, heartbeat * 2, seconds)
    played, played_time = measure(Viewer, viewers, SPAWN_RATE, heartbeat * 2, seconds)
    beats, live = played.get("beat", "POST"), ceiling.get("livez", "GET")
    return {
        "viewers": viewers,
        "offered": viewers / heartbeat,
        "beats_s": beats.num_requests / played_time,
        "p50": beats.get_response_time_percentile(0.50),
        "p95": beats.get_response_time_percentile(0.95),
        "p99": beats.get_response_time_percentile(0.99),
        "errors": beats.num_failures + played.get("confirm", "POST").num_failures,
        "ceiling_s": live.num_requests / ceiling_time,
        "ceiling_p99": live.get_response_time_percentile(0.99),
        "why": sorted(
            ((e.occurrences, e.name, str(e.error)[:90]) for e in played.errors.values()),
            reverse=True,
        )[:3],
    }


def wait_for_jobs(limit: float = 900.0) -> None:
    """Wait until the server's job worker has no queued or running processing job (the demo's
    lectures are transcribed after start): Whisper on the same cores would be measured too."""
    from sqlalchemy import func, select

    from academy import create_app
    from academy.extensions import db
    from academy.insights.models import ProcessingJob

    app = create_app()
    deadline = time.monotonic() + limit
    with app.app_context():
        while True:
            busy = db.session.scalar(
                select(func.count())
                .select_from(ProcessingJob)
                .where(ProcessingJob.status.in_(("queued", "running")))
            )
            db.session.rollback()
            if not busy:
                return
            if time.monotonic() > deadline:
                sys.exit(f"{busy} processing jobs still busy after {limit:.0f} s")
            print(f"waiting for {busy} processing jobs to finish …", flush=True)
            time.sleep(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--viewers", default="200,500,1000,2000")
    parser.add_argument("--heartbeat", type=int, default=2, help="seconds between beats (≥2)")
    parser.add_argument("--seconds", type=int, default=60, help="measured time per step")
    args = parser.parse_args()
    steps = [int(n) for n in args.viewers.split(",")]
    wait_for_jobs()
    lesson_id = seed(max(steps), args.heartbeat)
    print(
        f"{'viewers':>8} {'offered/s':>9} {'beats/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'errors':>6} {'ceiling/s':>9} {'ceil p99':>8} {'ratio':>6}"
    )
    for viewers in steps:
        row = run_step(args.url, viewers, args.heartbeat, args.seconds, lesson_id)
        ratio = row["beats_s"] / row["ceiling_s"] if row["ceiling_s"] else 0.0
        print(
            f"{row['viewers']:>8} {row['offered']:>9.0f} {row['beats_s']:>8.1f} "
            f"{row['p50'] or 0:>7.0f} {row['p95'] or 0:>7.0f} {row['p99'] or 0:>7.0f} "
            f"{row['errors']:>6} {row['ceiling_s']:>9.1f} {row['ceiling_p99'] or 0:>8.0f} "
            f"{ratio:>6.2f}",
            flush=True,
        )
        for occurrences, name, error in row["why"]:
            print(f"{'':>8} {occurrences} × {name}: {error}")


if __name__ == "__main__":
    main()
