"""Declarative base, the engine and the request-scoped session."""

from __future__ import annotations

import time
from datetime import datetime

from flask import Flask
from sqlalchemy import DateTime, Index, MetaData, create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, scoped_session, sessionmaker

from academy import clock

# Stable constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def unique_where(name: str, *columns: str, where: str) -> Index:
    """A unique index over only the rows that match `where` (SQLite and PostgreSQL alike)."""
    return Index(
        name, *columns, unique=True, sqlite_where=text(where), postgresql_where=text(where)
    )


class Model(DeclarativeBase):
    """Base of every table."""

    metadata = MetaData(naming_convention=NAMING)


class CreatedAtMixin:
    """A creation time, taken from the movable clock (naive UTC, like every stored time)."""

    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)


class Database:
    """Owns the engine and a scoped session that is removed at the end of each request."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session = scoped_session(sessionmaker(expire_on_commit=False))

    def init_app(self, app: Flask) -> None:
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        self.engine = make_engine(url)
        self.session.configure(bind=self.engine)
        app.teardown_appcontext(lambda exc: self.session.remove())

    def create_all(self) -> None:
        import_models()
        Model.metadata.create_all(self.engine)


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets foreign keys, WAL and a busy timeout so requests can race safely."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # The sqlite3 driver's own transaction handling delays BEGIN; take it over so
            # that a transaction starts when SQLAlchemy says so (and can be IMMEDIATE).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL never corrupts; a power cut may lose the last commits only.
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # IMMEDIATE takes the write lock at BEGIN: two racing writers queue instead of one
            # failing with "database is locked" halfway through a read-then-write.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    engine = create_engine(url)
    _ping_when_idle(engine)
    return engine


#: a pooled connection unused for longer than this is pinged before a request gets it
PING_AFTER_IDLE_SECONDS = 5.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only if it sat idle for a while (a restart of the
    database may have cut it meanwhile); one in steady use is not asked.

    SQLAlchemy's pool_pre_ping asks on every checkout: one more round trip per request, where
    py-spy found 16 % of the busy web workers' time in bench/load.py. A dead connection found
    here is replaced (the pool tries again on DisconnectionError); one cut within the idle
    window fails its request with a 503, and that error drops the whole pool, as before.
    """

    @event.listens_for(engine.pool, "checkin")
    def _returned(_dbapi_conn, record):
        if record is not None:
            record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _ping_if_idle(dbapi_conn, record, _proxy):
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at < PING_AFTER_IDLE_SECONDS:
            return  # new, or in steady use
        try:
            cursor = dbapi_conn.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_conn.rollback()
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError(f"pooled connection found dead: {error}") from error


def import_models() -> None:
    """Import every domain's models so the metadata knows all tables."""
    from academy.articles import models as _articles  # noqa: F401
    from academy.auth import models as _auth  # noqa: F401
    from academy.catalog import models as _catalog  # noqa: F401
    from academy.commerce import models as _commerce  # noqa: F401
    from academy.community import models as _community  # noqa: F401
    from academy.consult import models as _consult  # noqa: F401
    from academy.credits import models as _credits  # noqa: F401
    from academy.documents import models as _documents  # noqa: F401
    from academy.insights import models as _insights  # noqa: F401
    from academy.learning import models as _learning  # noqa: F401
    from academy.search import models as _search  # noqa: F401
    from academy.studio import models as _studio  # noqa: F401
    from academy.xapi import models as _xapi  # noqa: F401
