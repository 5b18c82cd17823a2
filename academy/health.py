"""/healthz for a load balancer: can this instance serve? Database, Redis, job queue, model.

Each check is a plain function returning a Check; the view runs them all (none of them writes
anything or opens a login session). Without its database an instance cannot serve: 503, and a
load balancer takes it out. Redis, the job queue and the model are needed for jobs, not for
pages (the limiter and the login throttle fall back to memory, jobs wait in the database):
when one of them fails the answer is 200 with status "degraded", so that an outage of a shared
Redis does not take every instance out at once; monitoring alerts on "degraded".
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from academy.extensions import db, limiter

bp = Blueprint("health", __name__)

#: seconds a dependency may take to answer before it counts as down
TIMEOUT_S = 2.0
#: the checks without which this instance cannot serve a page
REQUIRED = frozenset({"database"})


@dataclass
class Check:
    ok: bool
    detail: str
    ms: float = 0.0


def _timed(probe) -> Check:
    started = time.perf_counter()
    try:
        ok, detail = probe()
    except Exception as error:  # any failure of a dependency is its answer, not ours
        ok, detail = False, f"{type(error).__name__}: {error}"[:300]
    return Check(ok, detail, round((time.perf_counter() - started) * 1000, 1))


def check_database() -> Check:
    def probe():
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        return True, db.engine.dialect.name

    return _timed(probe)


def check_redis(url: str) -> Check | None:
    """None when no Redis is configured (the embedded mode needs none)."""
    if not url:
        return None

    def probe():
        import redis

        client = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S
        )
        try:
            client.ping()
        finally:
            client.close()
        return True, "ping"

    return _timed(probe)


def check_jobs() -> Check:
    """The job queue answers (and how many jobs wait), or jobs run in the request."""

    def probe():
        from academy.jobs import huey

        if huey.immediate:
            return True, "immediate (jobs run in the request)"
        return True, f"{huey.pending_count()} pending"

    return _timed(probe)


def check_model() -> Check:
    def probe():
        from academy.insights.model_store import model_status

        return model_status(
            current_app.config.get("WHISPER_MODEL_DIR"), current_app.config["INSTANCE_PATH"]
        )

    return _timed(probe)


def run_checks() -> dict[str, Check]:
    checks = {
        "database": check_database(),
        "redis": check_redis(current_app.config.get("REDIS_URL", "")),
        "jobs": check_jobs(),
        "model": check_model(),
    }
    return {name: check for name, check in checks.items() if check is not None}


@bp.get("/livez")
@limiter.exempt
def livez():
    """The process answers (no dependency is asked): liveness, and the load bench's ceiling."""
    response = jsonify({"status": "alive"})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
@limiter.exempt
def healthz():
    checks = run_checks()
    failed = {name for name, check in checks.items() if not check.ok}
    status = "unavailable" if failed & REQUIRED else "degraded" if failed else "ok"
    response = jsonify(
        {"status": status, "checks": {name: vars(check) for name, check in checks.items()}}
    )
    response.status_code = 503 if status == "unavailable" else 200
    response.headers["Cache-Control"] = "no-store"
    return response
