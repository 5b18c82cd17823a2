"""Background jobs: Huey on SQLite in the embedded default, on Redis when REDIS_URL is set.

Tasks take ids, record their status and progress in a row, and are safe to run twice. Tests
and the browser tests run them immediately, in the caller (`JOBS_IMMEDIATE`).

A queue that cannot be reached (Redis down, the job store locked or its disk full) does not
fail the request that queues a job: `send` logs it and the row stays queued; the recoveries
(every minute, and at the worker's start) send the rows that `unsent` finds on no queue.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from functools import wraps

import redis
from flask import Flask, current_app, has_app_context
from huey import RedisHuey, SqliteHuey
from huey.api import TaskWrapper

#: seconds to wait for Redis to accept a connection: one that does not answer fails an enqueue
#: at once, not after the minutes of a TCP timeout
CONNECT_TIMEOUT_S = 2
#: what a queue that cannot be reached raises: Redis down, the SQLite job store locked or full
QUEUE_ERRORS = (redis.RedisError, sqlite3.Error, OSError)


def _make_huey():
    if os.environ.get("REDIS_URL"):
        pool = redis.ConnectionPool.from_url(
            os.environ["REDIS_URL"], socket_connect_timeout=CONNECT_TIMEOUT_S
        )
        return RedisHuey("academy", connection_pool=pool)
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


def send(task_wrapper: TaskWrapper, *args) -> bool:
    """Put a task on the queue; False, logged, when the queue cannot be reached. The row the
    task works on stays queued, and the recovery sends it once the queue answers (`unsent`)."""
    if huey.immediate:
        task_wrapper(*args)
        return True
    try:
        task_wrapper(*args)
    except QUEUE_ERRORS as error:
        current_app.logger.warning(
            "job queue unreachable, %s%r left queued for the recovery: %s",
            task_wrapper.name or task_wrapper.func.__name__,
            args,
            error,
        )
        return False
    return True


def unsent(task_wrapper: TaskWrapper, row_ids: Iterable[int]) -> list[int]:
    """Of these rows, queued for `task_wrapper`, the ones no message on the queue is for: the
    request that queued them found the queue down. [] when the queue cannot be read now."""
    row_ids = list(row_ids)
    if not row_ids:
        return []
    try:
        waiting = {
            message.args[0]
            for message in huey.pending()
            if isinstance(message, task_wrapper.task_class) and message.args
        }
    except QUEUE_ERRORS as error:
        current_app.logger.warning("job queue unreachable, cannot look for lost jobs: %s", error)
        return []
    return [row_id for row_id in row_ids if row_id not in waiting]
