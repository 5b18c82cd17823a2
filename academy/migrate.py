"""Running Alembic from the app (init command, tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from academy.config import ROOT


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url
    return config


def upgrade_to_head(url: str) -> None:
    """Bring the database at `url` to the newest schema; a no-op when it is there already."""
    command.upgrade(alembic_config(url), "head")


def behind_head(connection) -> bool:
    """Whether Alembic has run on this database, but not up to the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    current = set(MigrationContext.configure(connection).get_current_heads())
    heads = set(ScriptDirectory.from_config(alembic_config("")).get_heads())
    return bool(current) and current != heads
