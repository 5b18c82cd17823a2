"""A live server on a free loopback port and a headless Debian chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from academy import create_app
from academy.extensions import db
from tests.factories import Factory

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def closed_before_sending(app):
    """Reads each response whole and closes it before the server writes it.

    werkzeug's development server closes a response only after draining the socket, and skips
    the close when the browser has already dropped the connection (a page navigated away while
    its favicon was on the way): send_file's open file is then left to the garbage collector,
    whose ResourceWarning fails an unrelated test. Bodies here are small test files.
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@pytest.fixture
def live_app(tmp_path, database_url, redis_settings):
    """The app on the real clock (the browser plays in real time), served from a thread."""
    app = create_app(
        {
            **redis_settings,
            "INSTANCE_PATH": tmp_path / "instance",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MEDIA_PATH": tmp_path / "media",
            "SECRET_KEY": "browser-test",
            "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
            "JOBS_IMMEDIATE": True,
        }
    )
    with app.app_context():
        db.create_all()
        db.session.commit()
    server = make_server("127.0.0.1", 0, closed_before_sending(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    thread.join()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run .ci/install (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--autoplay-policy=no-user-gesture-required",
                "--mute-audio",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def shots():
    """Saves screenshots under test-artifacts/ so a person can look at them."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def copy_demo_clip(app, name: str = "client-communication") -> tuple[str, int]:
    """Put the committed demo lecture into the app's media folder; (relative path, duration ms)."""
    from academy.demo.media import probe_duration

    source = Path(__file__).resolve().parents[2] / "academy" / "demo" / "media" / f"{name}.mp4"
    target = Path(app.config["MEDIA_PATH"]) / "demo" / f"{name}.mp4"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    return f"demo/{name}.mp4", int(probe_duration(target) * 1000)


def clip_lesson(app, slug: str, title: str, lesson_title: str):
    """A free published course whose one lesson is the committed demo clip (call in app context)."""
    media_path, duration_ms = copy_demo_clip(app)
    course = Factory(app).course(
        slug=slug,
        title=title,
        category=("wealth", "财富管理"),
        lessons=[(lesson_title, duration_ms, media_path)],
        credits={},
    )
    return course.lessons[0]


def log_in(page, base: str, username: str, password: str) -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)  # logged in (a refusal stays there)


def wait_for(page, expression: str, timeout: float = 10_000) -> None:
    """Poll a page expression until it is true.

    Playwright's own wait_for_function evaluates its predicate with eval() inside the page,
    which the site's Content-Security-Policy (no 'unsafe-eval') rightly refuses; evaluate()
    goes through the browser's debugging protocol, which the policy does not govern.
    """
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} ms waiting for: {expression}")
        page.wait_for_timeout(100)


def watch_csp(page) -> list[str]:
    """Collect the page's Content-Security-Policy violations (the list should stay empty)."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations
