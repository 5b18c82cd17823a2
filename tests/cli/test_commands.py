"""The `flask academy` commands operators and scripts rely on."""

from sqlalchemy import create_engine, inspect

from academy import create_app
from academy.auth.services import authenticate, find_user


def fresh_app(tmp_path):
    return create_app(
        {
            "INSTANCE_PATH": tmp_path / "instance",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'cli.db'}",
            "MEDIA_PATH": tmp_path / "media",
            "SECRET_KEY": "cli",
            "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
            "JOBS_IMMEDIATE": True,
        }
    )


def test_init_creates_the_schema_and_running_it_twice_changes_nothing(tmp_path):
    app = fresh_app(tmp_path)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["academy", "init"])
    assert first.exit_code == 0, first.output
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    tables = sorted(inspect(engine).get_table_names())
    assert "alembic_version" in tables and "watch_sessions" in tables
    second = runner.invoke(args=["academy", "init"])
    assert second.exit_code == 0
    assert sorted(inspect(engine).get_table_names()) == tables
    engine.dispose()


def test_create_user_makes_an_account_that_can_log_in(tmp_path):
    app = fresh_app(tmp_path)
    runner = app.test_cli_runner()
    runner.invoke(args=["academy", "init"])
    result = runner.invoke(
        args=[
            "academy",
            "create-user",
            "老师甲",
            "--role",
            "instructor",
            "--password",
            "teacher-pass-1",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert authenticate("老师甲", "teacher-pass-1").role == "instructor"


def test_create_user_refuses_a_taken_name_with_a_message(tmp_path):
    app = fresh_app(tmp_path)
    runner = app.test_cli_runner()
    runner.invoke(args=["academy", "init"])
    runner.invoke(args=["academy", "create-user", "dup", "--password", "quiet-harbor-lamp-12"])
    result = runner.invoke(
        args=["academy", "create-user", "dup", "--password", "other-quiet-harbor-34"]
    )
    assert result.exit_code != 0
    assert "已被使用" in result.output
    with app.app_context():
        assert find_user("dup") is not None


def test_create_user_refuses_a_common_password_in_one_line(tmp_path):
    app = fresh_app(tmp_path)
    runner = app.test_cli_runner()
    runner.invoke(args=["academy", "init"])
    result = runner.invoke(args=["academy", "create-user", "weak1", "--password", "password-123"])
    assert result.exit_code != 0
    assert "太常见" in result.output and "Traceback" not in result.output
    with app.app_context():
        assert find_user("weak1") is None
