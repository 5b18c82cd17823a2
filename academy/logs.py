"""Logs a collector can read: one JSON object a line (python-json-logger), each request with an id.

Every request gets an id: the one a trusted proxy sent in X-Request-ID when it is sane, else a
new one. It is returned in the response's X-Request-ID, attached to every log record written
while the request runs, and one access line per request says who asked what, the answer and
how long it took.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from pythonjsonlogger.json import JsonFormatter

#: an incoming request id is kept only when it looks like one (no log injection)
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
access_log = logging.getLogger("academy.access")


class RequestContext(logging.Filter):
    """Adds the request's id to every record logged while a request runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record comes (a server or a test may swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure(app: Flask) -> None:
    """One handler on the root logger, JSON or plain text as LOG_FORMAT says."""
    handler = StderrHandler()
    if app.config.get("LOG_FORMAT") == "json":
        handler.setFormatter(
            JsonFormatter(
                "{asctime}{levelname}{name}{message}{request_id}",
                style="{",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    handler.addFilter(RequestContext())
    root = logging.getLogger()
    # tests build many apps: keep one handler of ours, not one per app
    for old in [h for h in root.handlers if getattr(h, "academy", False)]:
        root.removeHandler(old)
    handler.academy = True
    root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))


def init_app(app: Flask) -> None:
    """Request ids and access lines; the handler itself is configured by the processes that
    serve (gunicorn's post_worker_init, academy/gunicorn_config.py) and the job worker, so that
    commands at a terminal print only what they mean to."""

    @app.before_request
    def assign_request_id():
        sent = request.headers.get("X-Request-ID", "")
        trusted = app.config.get("TRUSTED_PROXIES", 0) > 0
        g.request_id = sent if trusted and REQUEST_ID.match(sent) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        request_id = g.get("request_id")
        if request_id is None:  # a request that failed before our before_request ran
            return response
        response.headers["X-Request-ID"] = request_id
        elapsed_ms = (time.perf_counter() - g.request_started) * 1000
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(elapsed_ms, 1),
                "user_id": _user_id(),
                "remote_addr": request.remote_addr,
            },
        )
        return response


def _user_id() -> int | None:
    return current_user.id if current_user and current_user.is_authenticated else None
