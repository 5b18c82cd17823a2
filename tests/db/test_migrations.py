"""Alembic's head and the models describe the same schema."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from academy.db import Model, import_models
from academy.migrate import upgrade_to_head


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_upgrade_head_on_an_empty_database_matches_the_models(request, tmp_path, database):
    if database == "postgresql":
        url = request.getfixturevalue("postgres_database")
    else:
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


def test_a_database_with_awards_upgrades_and_keeps_them(tmp_path):
    """Rows made before the credit rules get their source, rule and the day they count on."""
    from alembic import command

    from academy.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'populated.db'}"
    command.upgrade(alembic_config(url), "0003")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO users (id, username, password_hash, role, nickname, real_name, email,"
            " created_at) VALUES (1, 'old', 'x', 'learner', '', '', '', '2026-01-01')"
        )
        connection.exec_driver_sql(
            "INSERT INTO categories (id, slug, name, position) VALUES (1, 'g', 'G', 1)"
        )
        connection.exec_driver_sql(
            "INSERT INTO courses (id, slug, title, subtitle, description, category_id, price_fen,"
            " member_claimable, member_recommended, cover_path, glossary, transcript_script,"
            " created_at) VALUES (1, 'c', 'C', '', '', 1, 0, 0, 0, '', '', 'simplified',"
            " '2026-01-01')"
        )
        connection.exec_driver_sql(
            "INSERT INTO credit_types (id, code, name, cycle_years, required_centihours)"
            " VALUES (1, 'afp-cfp', 'AFP', 2, 3000)"
        )
        connection.exec_driver_sql(
            "INSERT INTO credit_entries (user_id, course_id, credit_type_id, kind, centihours,"
            " awarded_at, note) VALUES (1, 1, 1, 'award', 150, '2026-03-01 20:00:00', '')"
        )
    upgrade_to_head(url)
    with engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT source, rule, capped_centihours, earned_on, centihours FROM credit_entries"
        ).one()
    engine.dispose()
    # 20:00 UTC on 1 March is 2 March in Beijing
    assert tuple(row) == ("free", "free_full", 0, "2026-03-02", 150)
