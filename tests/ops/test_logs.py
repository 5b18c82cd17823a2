"""Request ids and JSON log lines."""

from __future__ import annotations

import json
import logging

import pytest

from academy import logs


@pytest.fixture
def json_logs(app, capsys):
    """The app logging JSON to the captured stderr; our handler removed afterwards."""
    app.config["LOG_FORMAT"] = "json"
    logs.configure(app)
    yield capsys
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "academy", False)]:
        root.removeHandler(handler)


def lines(capsys) -> list[dict]:
    err = capsys.readouterr().err
    return [json.loads(line) for line in err.splitlines() if line.strip()]


def test_every_response_carries_a_fresh_request_id(anon):
    first = anon.get("/healthz").headers["X-Request-ID"]
    second = anon.get("/healthz").headers["X-Request-ID"]
    assert len(first) == 32 and first != second


@pytest.mark.parametrize(
    "proxies, sent, kept",
    [
        (0, "lb-1234567890", False),
        (1, "lb-1234567890", True),
        (1, "bad id; DROP it", False),
        (1, "x" * 65, False),
    ],
)
def test_a_request_id_from_the_proxy_is_kept_only_when_trusted_and_sane(
    app, anon, proxies, sent, kept
):
    app.config["TRUSTED_PROXIES"] = proxies
    answered = anon.get("/healthz", headers={"X-Request-ID": sent}).headers["X-Request-ID"]
    assert (answered == sent) is kept


def test_each_request_writes_one_json_access_line_with_its_id(app, anon, json_logs):
    response = anon.get("/courses/999999")
    records = [r for r in lines(json_logs) if r.get("logger") == "academy.access"]
    assert len(records) == 1
    record = records[0]
    assert record["request_id"] == response.headers["X-Request-ID"]
    assert record["status"] == 404 and record["method"] == "GET"
    assert record["path"] == "/courses/999999"
    assert record["level"] == "INFO" and isinstance(record["duration_ms"], float)
    assert record["user_id"] is None


def test_log_lines_written_during_a_request_carry_its_id(app, json_logs):
    @app.get("/__log_probe")
    def probe():
        logging.getLogger("academy.probe").warning("probing")
        return "ok"

    response = app.test_client().get("/__log_probe")
    probe_lines = [r for r in lines(json_logs) if r.get("logger") == "academy.probe"]
    assert probe_lines[0]["request_id"] == response.headers["X-Request-ID"]
    assert probe_lines[0]["message"] == "probing"
