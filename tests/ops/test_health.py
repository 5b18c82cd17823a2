"""/healthz: 503 without the database; 200 "degraded" when Redis, the queue or the model fail."""

from __future__ import annotations

import pytest

from academy import create_app
from tests.conftest import free_port


def health(app) -> tuple[int, dict]:
    response = app.test_client().get("/healthz")
    return response.status_code, response.get_json()


def make_app(tmp_path, **settings):
    return create_app(
        {
            "INSTANCE_PATH": tmp_path / "instance",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'health.db'}",
            "MEDIA_PATH": tmp_path / "media",
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "JOBS_IMMEDIATE": True,
            **settings,
        }
    )


def test_a_healthy_instance_answers_200_with_each_check(app):
    status, body = health(app)
    assert status == 200
    assert body["status"] == "ok"
    # Redis is checked only where it is configured (ACADEMY_TEST_REDIS=1 runs)
    expected = {"database", "jobs", "model"} | ({"redis"} if app.config["REDIS_URL"] else set())
    assert set(body["checks"]) == expected
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["database"]["detail"] in ("sqlite", "postgresql")


def test_it_is_not_cached_and_opens_no_session(app):
    response = app.test_client().get("/healthz")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_an_unreachable_database_makes_it_503(tmp_path):
    app = make_app(
        tmp_path,
        SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none",
    )
    status, body = health(app)
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["database"]["detail"]  # says why


def test_redis_is_checked_when_configured(tmp_path, redis_url):
    status, body = health(make_app(tmp_path, REDIS_URL=redis_url))
    assert status == 200
    assert body["checks"]["redis"] == {
        "ok": True,
        "detail": "ping",
        "ms": pytest.approx(0, abs=2000),
    }


def test_an_unreachable_redis_leaves_it_serving_but_degraded(tmp_path):
    status, body = health(make_app(tmp_path, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"))
    assert status == 200  # pages still serve: a shared Redis outage must not pull every instance
    assert body["status"] == "degraded"
    assert body["checks"]["redis"]["ok"] is False


def test_a_configured_model_folder_without_the_model_is_degraded(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    status, body = health(make_app(tmp_path, WHISPER_MODEL_DIR=str(folder)))
    assert (status, body["status"]) == (200, "degraded")
    assert "model.bin" in body["checks"]["model"]["detail"]


def test_a_waiting_job_queue_reports_its_length(tmp_path):
    status, body = health(make_app(tmp_path, JOBS_IMMEDIATE=False))
    assert status == 200
    assert body["checks"]["jobs"]["detail"].endswith("pending")


def test_livez_answers_without_asking_any_dependency(tmp_path):
    app = make_app(
        tmp_path,
        SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none",
    )
    response = app.test_client().get("/livez")
    assert response.status_code == 200 and response.get_json() == {"status": "alive"}
