"""Background jobs: Huey on SQLite in the embedded default, on Redis when REDIS_URL is set.

Tasks take ids, record their status and progress in a row, and are safe to run twice. Tests
and the browser tests run them immediately, in the caller (`JOBS_IMMEDIATE`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, has_app_context
from huey import RedisHuey, SqliteHuey


def _make_huey():
    if os.environ.get("REDIS_URL"):
        return RedisHuey("academy", url=os.environ["REDIS_URL"])
    # The file and its tables are made by init_app, not at import.
    return SqliteHuey("academy", filename="", create_tables=False)


huey = _make_huey()
_worker_app: Flask | None = None
_worker_app_lock = threading.Lock()


def init_app(app: Flask) -> None:
    huey.immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    if not huey.immediate and isinstance(huey, SqliteHuey):
        # The job store lives in the app's instance folder (it connects lazily, so not yet).
        huey.storage.filename = os.path.join(app.config["INSTANCE_PATH"], "jobs.db")
        os.makedirs(app.config["INSTANCE_PATH"], exist_ok=True)
        huey.storage.initialize_schema()


def _app() -> Flask:
    """The app a task runs in: the caller's when immediate, else one per worker process."""
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()
    with _worker_app_lock:
        if _worker_app is None:
            from academy import create_app

            _worker_app = create_app()
        return _worker_app


def task(**options) -> Callable:
    """A Huey task that runs inside the Flask app context."""

    def decorator(func):
        @wraps(func)
        def in_app(*args, **kwargs):
            if has_app_context():
                return func(*args, **kwargs)
            with _app().app_context():
                return func(*args, **kwargs)

        return huey.task(**options)(in_app)

    return decorator


def periodic_task(validate_datetime, **options) -> Callable:
    """A periodic Huey task that runs inside the Flask app context."""

    def decorator(func):
        @wraps(func)
        def in_app():
            with _app().app_context():
                return func()

        return huey.periodic_task(validate_datetime, **options)(in_app)

    return decorator
