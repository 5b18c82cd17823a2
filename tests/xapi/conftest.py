"""A real Learning Record Store for the xAPI tests: ralph's LRS (ralph-malph from PyPI).

It runs from its own virtual environment, .venv-lrs (made by .ci/install), because its
FastAPI and pydantic must not meet our packages; statements go to its file-system backend in
a folder of the test run, behind HTTP Basic auth read from its auth file.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import uuid
from pathlib import Path

import pytest
import requests

from academy.config import ROOT

LRS_PYTHON = ROOT / ".venv-lrs" / "bin" / "python"
#: starts the server (ralph_lrs.py says why not plain `uvicorn ralph.api:app`)
LAUNCHER = Path(__file__).with_name("ralph_lrs.py")
USERNAME, PASSWORD = "academy", "lrs-secret-1"


class LrsServer:
    """ralph's LRS on a loopback port of its own; start() and stop() as often as a test likes,
    the statements stay in `folder` between runs."""

    def __init__(self, folder: Path) -> None:
        if not LRS_PYTHON.exists():
            pytest.fail("ralph's LRS is not installed: run .ci/install (it makes .venv-lrs)")
        self.folder = folder
        (folder / "statements").mkdir(parents=True, exist_ok=True)
        self._write_auth_file()
        with socket.socket() as probe:  # a port nothing listens on until start()
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The xAPI base URL, as ACADEMY_XAPI_ENDPOINT takes it."""
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def _write_auth_file(self) -> None:
        # the file `ralph auth --write-to-disk` makes; bcrypt's lowest cost keeps the run quick
        script = (
            "import bcrypt, json, sys;"
            "print(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(4)).decode())"
        )
        hashed = subprocess.run(
            [str(LRS_PYTHON), "-c", script, PASSWORD], capture_output=True, text=True, check=True
        ).stdout.strip()
        credentials = [
            {
                "username": USERNAME,
                "hash": hashed,
                "scopes": ["all"],
                # the authority the LRS signs stored statements with
                "agent": {"account": {"homePage": "http://127.0.0.1", "name": USERNAME}},
            }
        ]
        (self.folder / "auth.json").write_text(json.dumps(credentials))

    def start(self) -> None:
        """Start the server; returns once it answers. The test binds the port and hands the
        socket to uvicorn, so a request waits in the socket's backlog until the server is up:
        no polling, no sleep."""
        listening = socket.socket()
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(("127.0.0.1", self.port))
        listening.listen(128)
        env = {
            "PATH": os.environ.get("PATH", ""),
            "RALPH_APP_DIR": str(self.folder),
            "RALPH_AUTH_FILE": str(self.folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder / "statements"),
        }
        with (self.folder / "server.log").open("a") as log:
            self.process = subprocess.Popen(
                [str(LRS_PYTHON), str(LAUNCHER), str(listening.fileno())],
                pass_fds=[listening.fileno()],
                cwd=self.folder,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        listening.close()  # the server holds its own copy
        answer = requests.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=60)
        if answer.status_code != 200:
            self.stop()
            pytest.fail(f"ralph's LRS did not start: {(self.folder / 'server.log').read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def statements(self, **query) -> list[dict]:
        """Every statement the LRS holds that matches the xAPI query, following `more`."""
        params = {key: json.dumps(v) if isinstance(v, dict) else v for key, v in query.items()}
        found: list[dict] = []
        url = f"http://127.0.0.1:{self.port}/xAPI/statements"
        while url:
            answer = requests.get(
                url,
                params=params,
                auth=(USERNAME, PASSWORD),
                headers={"X-Experience-API-Version": "1.0.3"},
                timeout=30,
            )
            assert answer.status_code == 200, answer.text
            body = answer.json()
            found += body["statements"]
            more = body.get("more")
            url, params = (f"http://127.0.0.1:{self.port}{more}", {}) if more else ("", {})
        return found


@pytest.fixture(scope="session")
def lrs_server(tmp_path_factory):
    """One LRS for the whole run."""
    server = LrsServer(tmp_path_factory.mktemp("lrs"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site_url() -> str:
    """A site address of this test's own: its learners and lessons are its own in the shared
    LRS (user ids start at 1 in every test's database)."""
    return f"https://academy-{uuid.uuid4().hex[:12]}.test"


@pytest.fixture
def lrs_app(app, lrs_server, site_url):
    """The app sending to the run's LRS, with no settling delay (the clock stands still)."""
    app.config.update(
        XAPI_ENDPOINT=lrs_server.url,
        XAPI_USERNAME=USERNAME,
        XAPI_PASSWORD=PASSWORD,
        XAPI_SETTLE_SECONDS=0,
        SITE_URL=site_url,
    )
    return app
