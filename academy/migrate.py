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
