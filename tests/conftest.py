"""Fixtures: app -> db -> users; a movable clock; API clients that log in."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from academy import clock, create_app
from academy.auth.services import ensure_instructor_profile
from academy.catalog import services as catalog
from academy.extensions import db as _db
from tests import factories
from tests.factories import FreshGlobalsClient
from tests.web import login


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the .po catalogs if .ci/install has not (pytest run on its own)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from academy.config import ROOT

    for po_path in (ROOT / "academy" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)


@pytest.fixture
def movable_clock():
    """The app's clock, standing still until the test moves it."""
    moving = clock.MovableClock()
    clock.set_source(moving)
    yield moving
    clock.set_source(None)


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server (.ci/postgres) for the whole run: its admin URL."""
    from academy.config import ROOT

    # the server runs as the postgres user when we are root: its folder must be reachable
    folder = Path(tempfile.mkdtemp(prefix="academy-pg-"))
    folder.chmod(0o755)
    script = str(ROOT / ".ci" / "postgres")
    started = subprocess.run(
        ["bash", script, "start", str(folder / "data"), str(free_port()), "throwaway"],
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        pytest.fail(f"PostgreSQL did not start: {started.stderr.strip()}")
    yield started.stdout.strip()
    subprocess.run(["bash", script, "stop", str(folder / "data")], check=False)
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _fresh_postgres_database(server_url: str, template: str | None = None):
    """A new database on the server (a copy of `template`, else empty) while the block runs."""
    from sqlalchemy import create_engine, text

    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        copy = f' TEMPLATE "{template}"' if template else ""
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield server_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_database(postgres_server):
    """A fresh, empty PostgreSQL database for one test (migrations start from nothing)."""
    with _fresh_postgres_database(postgres_server) as url:
        yield url


@pytest.fixture(scope="session")
def postgres_template(postgres_server):
    """A database holding the models' tables, made once: tests copy it (CREATE DATABASE ...
    TEMPLATE copies files, far quicker than creating sixty tables for every test)."""
    from sqlalchemy import create_engine, text

    from academy.db import Model, import_models, make_engine

    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('CREATE DATABASE "academy_template"'))
    admin.dispose()
    engine = make_engine(postgres_server.rsplit("/", 1)[0] + "/academy_template")
    import_models()
    Model.metadata.create_all(engine)
    engine.dispose()
    return "academy_template"


@pytest.fixture
def postgres_schema_database(postgres_server, postgres_template):
    """A fresh PostgreSQL database with the models' tables, for one test."""
    with _fresh_postgres_database(postgres_server, postgres_template) as url:
        yield url


#: both databases, for `parametrize("database_url", DATABASES, indirect=True)`
DATABASES = ["sqlite", "postgresql"]


@pytest.fixture
def database_url(request, tmp_path):
    """SQLite in the test's folder, or PostgreSQL when ACADEMY_TEST_DATABASE=postgresql; a test
    runs on both with `@pytest.mark.parametrize("database_url", DATABASES, indirect=True)`."""
    wanted = getattr(request, "param", None) or os.environ.get("ACADEMY_TEST_DATABASE")
    if wanted == "postgresql":
        return request.getfixturevalue("postgres_schema_database")
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def app(tmp_path, movable_clock, database_url, redis_settings):
    app = create_app(
        {
            **redis_settings,
            "INSTANCE_PATH": tmp_path / "instance",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MEDIA_PATH": tmp_path / "media",
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            # Strong hashing is slow by design; tests need speed, not strength.
            "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
            "JOBS_IMMEDIATE": True,
        }
    )
    app.test_client_class = FreshGlobalsClient
    with app.app_context():
        _db.create_all()
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def make(db, app):
    """Builders for test data (tests/factories.py), bound to this app."""
    return factories.Factory(app)


@pytest.fixture
def learner(make):
    return make.user("learner1", role="learner")


@pytest.fixture
def api(app, learner):
    """An API client logged in as `learner`, sending the CSRF token on writes."""
    return factories.ApiClient(app, "learner1")


@pytest.fixture
def anon(app):
    return app.test_client()


@pytest.fixture
def instructor(make):
    user = make.user("teacher1", role="instructor")
    ensure_instructor_profile(user)
    return user


@pytest.fixture
def draft(instructor, make):
    category = make.course().category  # any course makes the category
    course = catalog.create_course(
        instructor.instructor_profile.id,
        {
            "title": "反洗钱实务",
            "subtitle": "",
            "description": "",
            "category_id": category.id,
            "price_fen": 0,
            "glossary": "尽职调查\n大额交易报告",
            "transcript_script": "simplified",
        },
    )
    lesson = catalog.add_lesson(course, "客户身份识别")
    return course, lesson


@pytest.fixture
def teacher(app, instructor):
    """The instructor (teacher1) logged in to the pages."""
    client = app.test_client()
    login(client, "teacher1")
    return client


@pytest.fixture
def studio_api(app, instructor):
    return factories.ApiClient(app, "teacher1")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_redis():
    """A real redis-server on a free loopback port while the block runs: its URL."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is missing: run .ci/install (Debian package redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):  # wait until it answers
        if (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            == "PONG"
        ):
            break
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_url():
    """A real redis-server of this test's own."""
    with running_redis() as url:
        yield url


@pytest.fixture(scope="session")
def shared_redis():
    """One redis-server for the whole run (ACADEMY_TEST_REDIS=1)."""
    with running_redis() as url:
        yield url


@pytest.fixture
def redis_settings(request) -> dict:
    """With ACADEMY_TEST_REDIS=1 the app keeps its rate-limit counters in Redis, as in
    production; emptied after each test so that no test inherits another's counts."""
    if os.environ.get("ACADEMY_TEST_REDIS") != "1":
        return {}
    url = request.getfixturevalue("shared_redis")
    settings = {"REDIS_URL": url, "RATELIMIT_STORAGE_URI": url}
    request.addfinalizer(
        lambda: subprocess.run(
            ["redis-cli", "-u", url, "flushdb"], check=False, capture_output=True
        )
    )
    return settings


@pytest.fixture(scope="session")
def _alipay_key_files(tmp_path_factory):
    """The app's and the sandbox gateway's RSA key pairs, generated once per test run."""
    from academy.commerce.keys import ensure_key_pair

    folder = tmp_path_factory.mktemp("alipay")
    for name in ("app", "sandbox"):
        ensure_key_pair(folder / f"{name}_private_key.pem", folder / f"{name}_public_key.pem")
    return folder


@pytest.fixture
def payment_keys(app, _alipay_key_files):
    """The key pairs in the app's instance folder, where payments look (no 2048-bit keygen)."""
    target = app.config["INSTANCE_PATH"] / "alipay"
    shutil.copytree(_alipay_key_files, target, dirs_exist_ok=True)
    return target


@pytest.fixture
def plan(app):
    """A VIP plan on sale: a year, 20 % off courses, the default 25-hour quota."""
    from academy.commerce import plans

    return plans.save_plan(
        None,
        {
            "name": "年度 VIP",
            "price_fen": 36500,
            "days": 365,
            "discount_percent": 20,
            "quota_centihours": 2500,
        },
    )
