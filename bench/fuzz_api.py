"""How many fuzzing requests /api/v1 answers with a 5xx or off its OpenAPI document, and how fast.

Runs the app in-process (Flask test client, SQLite file, movable clock) and sends schemathesis'
generated requests (tests/fuzz.py) to every operation, anonymously and as an enrolled learner,
without stopping at the first failure; prints requests, statuses, 5xx, failed checks and time.
Usage: python bench/fuzz_api.py [--examples N] [--schema FILE] [--dump-schema FILE]
--schema fuzzes an older checkout against a saved document (it may not serve one itself).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import schemathesis  # noqa: E402

from academy import clock, create_app  # noqa: E402
from academy.extensions import db  # noqa: E402
from tests.factories import ApiClient, Factory, FreshGlobalsClient  # noqa: E402
from tests.fuzz import Identity, Tally, fuzz  # noqa: E402

API = "/api/v1"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=20, help="per operation and mode")
    parser.add_argument("--schema", type=Path, help="an OpenAPI JSON file instead of the app's")
    parser.add_argument("--dump-schema", type=Path, help="write the app's document there, exit")
    args = parser.parse_args()
    moving = clock.MovableClock()
    clock.set_source(moving)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "INSTANCE_PATH": Path(tmp) / "instance",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "MEDIA_PATH": Path(tmp) / "media",
                "SECRET_KEY": "bench",
                "TESTING": True,
                "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
                "JOBS_IMMEDIATE": True,
            }
        )
        app.test_client_class = FreshGlobalsClient
        with app.app_context():
            db.create_all()
            if args.dump_schema:
                document = app.test_client().get(f"{API}/openapi.json").get_json()
                args.dump_schema.write_text(json.dumps(document, ensure_ascii=False, indent=1))
                return
            schema = (
                schemathesis.openapi.from_dict(json.loads(args.schema.read_text()))
                if args.schema
                else schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)
            )
            tally = run(app, schema, args.examples, moving)
    report(tally)


def run(app, schema, examples: int, moving) -> Tally:
    make = Factory(app)
    course = make.course(lessons=[60_000])
    lesson = course.lessons[0]
    make.user("learner1")
    # logged in first: the anonymous run's failed logins soon throttle this address
    client = ApiClient(app, "learner1")
    client.enroll(course.id)
    tally = fuzz(app, schema, examples=examples, stop_on_failure=False)

    def real_ids(label: str) -> dict:
        if "/watch/{token}" in label:
            return {"token": client.start(lesson.id)[1]["session"]}
        return {"course_id": course.id, "lesson_id": lesson.id}

    learner = Identity(
        cookies={"session": client.client.get_cookie("session").value},
        headers={"X-CSRFToken": client.csrf},
        before_each=lambda: moving.advance(1),
    )
    return fuzz(
        app,
        schema,
        examples=examples,
        identity=learner,
        path_parameters=real_ids,
        exclude=(f"POST {API}/auth/logout",),
        stop_on_failure=False,
        tally=tally,
    )


def report(tally: Tally) -> None:
    print(f"requests: {tally.requests} in {tally.seconds:.1f} s")
    print("statuses:", dict(sorted(tally.statuses.items())))
    print(f"5xx: {tally.server_errors}")
    print(f"failed checks: {len(tally.failures)}")
    kinds = Counter(line.split(": ", 1)[0] for line in tally.failures)
    for kind, n in kinds.most_common(30):
        print(f"  {n:4d}  {kind}")


if __name__ == "__main__":
    main()
