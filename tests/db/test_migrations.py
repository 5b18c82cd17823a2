"""Alembic's head and the models describe the same schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from academy.db import Model, import_models
from academy.migrate import upgrade_to_head


def test_upgrade_head_on_an_empty_database_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade_to_head(url)
    import_models()
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Model.metadata)
    engine.dispose()
    assert differences == []


def test_upgrade_head_twice_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    upgrade_to_head(url)
    engine = create_engine(url)
    before = sorted(inspect(engine).get_table_names())
    engine.dispose()
    upgrade_to_head(url)
    engine = create_engine(url)
    assert sorted(inspect(engine).get_table_names()) == before
    assert "credit_entries" in before and "watch_sessions" in before
    engine.dispose()


def test_partial_unique_indexes_exist_after_migration(tmp_path):
    url = f"sqlite:///{tmp_path / 'indexes.db'}"
    upgrade_to_head(url)
    engine = create_engine(url)
    indexes = {ix["name"]: ix for ix in inspect(engine).get_indexes("watch_sessions")}
    assert indexes["uq_watch_sessions_active_user"]["unique"]
    ledger = {ix["name"]: ix for ix in inspect(engine).get_indexes("credit_entries")}
    assert ledger["uq_credit_entries_award"]["unique"]
    engine.dispose()
