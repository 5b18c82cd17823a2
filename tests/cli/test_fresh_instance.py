"""Commands on a fresh instance, before `academy init`: those on a file work, those that need the
database say so in one line and exit non-zero (ASVS 5.0 16.5.1 no stack trace for the
consumer, 16.5.3 fail gracefully)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from academy import create_app
from tests.cli.test_insight_commands import LECTURE
from tests.factories import CLIP

ROOT = Path(__file__).resolve().parents[2]
NOT_INITIALISED = (
    "Error: the database is not initialised: run `flask --app wsgi academy init` first"
)


@pytest.fixture
def fresh(tmp_path):
    """An app on an empty instance folder: no tables, nothing created."""
    return create_app(
        {
            "INSTANCE_PATH": tmp_path / "instance",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}",
            "MEDIA_PATH": tmp_path / "media",
            "SECRET_KEY": "fresh",
            "JOBS_IMMEDIATE": True,
        }
    )


@pytest.fixture
def lecture(tmp_path):
    path = tmp_path / "lecture.txt"
    path.write_text(LECTURE, encoding="utf-8")
    return str(path)


def tables(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    names = inspect(engine).get_table_names()
    engine.dispose()
    return names


@pytest.mark.parametrize("command", ["keywords", "summary", "chapters", "questions"])
def test_commands_on_a_transcript_file_need_no_database(fresh, lecture, tmp_path, command):
    result = fresh.test_cli_runner().invoke(args=["academy", command, lecture])

    assert result.exit_code == 0, result.output
    assert result.output.strip() and result.exception is None
    assert tables(tmp_path) == []


def test_transcribe_on_a_file_needs_no_database(fresh, tmp_path):
    result = fresh.test_cli_runner().invoke(args=["academy", "transcribe", str(CLIP)])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("[0:0")
    assert tables(tmp_path) == []


@pytest.mark.parametrize(
    "args",
    [
        ["create-user", "teacher", "--password", "x"],
        ["worker", "--burst"],
        ["keywords", "--platform-corpus"],
    ],
    ids=["create-user", "worker", "keywords --platform-corpus"],
)
def test_commands_that_need_the_database_say_to_run_init(fresh, lecture, args):
    if args[0] == "keywords":
        args = [*args, lecture]

    result = fresh.test_cli_runner().invoke(args=["academy", *args])

    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.strip() == NOT_INITIALISED


def test_on_the_real_command_line_it_is_one_line_without_a_traceback(tmp_path, lecture):
    env = {**os.environ, "ACADEMY_INSTANCE": str(tmp_path / "empty")}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "academy", "worker", "--burst"]

    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 1
    assert done.stderr.strip() == NOT_INITIALISED and "Traceback" not in done.stdout


def test_an_initialised_database_behind_the_newest_migration_says_to_upgrade(
    fresh, lecture, tmp_path
):
    runner = fresh.test_cli_runner()
    assert runner.invoke(args=["academy", "init"]).exit_code == 0
    engine = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()

    result = runner.invoke(args=["academy", "keywords", "--platform-corpus", lecture])

    assert result.exit_code == 1
    assert "out of date: run `flask --app wsgi academy init` to upgrade it" in result.output


def test_after_init_the_platform_corpus_is_used(fresh, lecture):
    runner = fresh.test_cli_runner()
    assert runner.invoke(args=["academy", "init"]).exit_code == 0

    result = runner.invoke(args=["academy", "keywords", "--platform-corpus", lecture])

    assert result.exit_code == 0, result.output
    assert "大额交易报告" in result.output.split()
