"""`flask academy ...` commands: thin wrappers over services."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from academy.errors import Refusal


def init_app(app: Flask) -> None:
    group = AppGroup("academy", help="academy administration commands.")

    @group.command("init")
    @click.option("--demo", is_flag=True, help="Also load the demo courses and accounts.")
    def init(demo: bool) -> None:
        """Upgrade the database to head; with --demo, load demo content (idempotent)."""
        from academy.learning.services import get_player_settings
        from academy.migrate import upgrade_to_head

        upgrade_to_head(current_app.config["SQLALCHEMY_DATABASE_URI"])
        get_player_settings()
        click.echo("database is at the newest schema")
        if demo:
            from academy.demo.loader import load_demo

            for line in load_demo():
                click.echo(line)

    @group.command("create-user")
    @click.argument("username")
    @click.option(
        "--role", type=click.Choice(["learner", "instructor", "admin"]), default="learner"
    )
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def create_user(username: str, role: str, password: str) -> None:
        """Create an account."""
        from academy.auth.services import create_user as create

        try:
            user = create(username, password, role)
        except Refusal as refusal:
            raise click.ClickException(refusal.message) from refusal
        click.echo(f"created {user.role} {user.username} (id {user.id})")

    app.cli.add_command(group)
