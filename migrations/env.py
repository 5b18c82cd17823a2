"""Alembic environment: academy's metadata and its configured database."""

from alembic import context

from academy.config import load_config
from academy.db import Model, import_models, make_engine

import_models()
config = context.config
url = config.attributes.get("url") or load_config()["SQLALCHEMY_DATABASE_URI"]


def include_name(name, type_, parent_names) -> bool:
    # the search index is derived data the app creates itself (FTS5 or tsvector), not a model
    return not (type_ == "table" and name and name.startswith("search_index"))


def run_migrations_offline() -> None:
    context.configure(
        url=url, target_metadata=Model.metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    # Batch mode lets later migrations alter SQLite tables (it copies them).
    context.configure(
        connection=connection,
        target_metadata=Model.metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
