"""Real faults for the fault tests: a Redis and a PostgreSQL of the test's own that it stops and
starts again, a small disk that fills, and the app built against them (docs/operations.md)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from academy import create_app
from academy.config import ROOT
from academy.extensions import db
from tests.conftest import free_port
from tests.factories import FreshGlobalsClient

POSTGRES = ROOT / ".ci" / "postgres"


class RedisServer:
    """A redis-server on a port of its own, stopped and started again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def _answers(self) -> bool:
        ping = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
        )
        return ping.stdout.strip() == "PONG"

    def start(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            pytest.fail("redis-server is missing: run .ci/install (Debian package redis-server)")
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(200):  # until it answers: each ping is a process start, no sleep
            if self._answers():
                return
        pytest.fail("redis-server did not answer")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        assert not self._answers()


@pytest.fixture
def redis_server():
    """A real Redis of this test's own, running; the test may stop and start it."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()


class PostgresServer:
    """A throwaway PostgreSQL cluster (.ci/postgres) that the test stops and starts again."""

    def __init__(self) -> None:
        # run as the postgres user when we are root: its folder must be reachable
        self.folder = Path(tempfile.mkdtemp(prefix="academy-pg-outage-"))
        self.folder.chmod(0o755)
        self.data = self.folder / "data"
        self.port = free_port()
        self.admin_url = ""

    def _run(self, *args: str) -> str:
        done = subprocess.run(["bash", str(POSTGRES), *args], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"postgres {args[0]} failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def start(self, *options: str) -> None:
        self.admin_url = self._run("start", str(self.data), str(self.port), *options)

    def stop(self) -> None:
        self._run("stop", str(self.data))

    def create_database(self, name: str) -> str:
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return self.admin_url.rsplit("/", 1)[0] + f"/{name}"

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def postgres_of_our_own():
    """A PostgreSQL server of this test's own, running (the session's one must not stop)."""
    server = PostgresServer()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def small_disk():
    """Mount a small tmpfs at a folder: writes past its size fail with ENOSPC, as on a full
    disk. Needs root (the tests and CI run as root); unmounted at the end."""
    mounted: list[Path] = []

    def mount(folder: Path, size: str = "1m") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs to fill (needs root): {done.stderr.strip()}")
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", str(folder)], check=False)


@pytest.fixture
def build_app(tmp_path, movable_clock):
    """Build an app with these settings over the test defaults; its tables are created."""
    built = []

    def build(**settings):
        app = create_app(
            {
                "INSTANCE_PATH": tmp_path / "instance",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'faults.db'}",
                "MEDIA_PATH": tmp_path / "media",
                "SECRET_KEY": "test-secret",
                "TESTING": True,
                "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
                "JOBS_IMMEDIATE": True,
                **settings,
            }
        )
        app.test_client_class = FreshGlobalsClient
        context = app.app_context()
        context.push()
        db.create_all()
        built.append(context)
        return app

    yield build
    for context in built:
        db.session.remove()
        db.engine.dispose()
        context.pop()
