"""Declarative base, the engine and the request-scoped session."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from datetime import datetime
from pathlib import Path

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


#: how long a SQLite writer waits for its turn (the driver's busy timeout, the same)
SQLITE_WAIT_SECONDS = 30


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets foreign keys, WAL and a busy timeout so requests can race safely."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_WAIT_SECONDS, "check_same_thread": False}
        )

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

        turns = WriterTurns.for_database(engine.url.database)

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # IMMEDIATE takes the write lock at BEGIN: two racing writers queue instead of one
            # failing with "database is locked" halfway through a read-then-write.
            if turns is not None:
                turns.take(conn.info)
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                turns is not None and turns.give_back(conn.info)
                raise

        if turns is not None:

            @event.listens_for(engine, "commit")
            @event.listens_for(engine, "rollback")
            def _on_end(conn):
                if not conn.invalidated:  # else the pool's invalidate gave it back
                    turns.give_back(conn.info)

            # a connection returned or dropped without its transaction ended through SQLAlchemy
            @event.listens_for(engine.pool, "reset")
            def _on_reset(_dbapi_conn, record, _state):
                turns.give_back(record.info)

            @event.listens_for(engine.pool, "invalidate")
            def _on_invalidate(_dbapi_conn, record, _exception):
                turns.give_back(record.info)

            @event.listens_for(engine.pool, "close")
            def _on_close(_dbapi_conn, record):
                turns.give_back(record.info)

        return engine
    engine = create_engine(url)
    _ping_when_idle(engine)
    return engine


#: a pooled connection unused for longer than this is pinged before a request gets it
PING_AFTER_IDLE_SECONDS = 5.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only if it sat idle for a while (a restart of the
    database may have cut it meanwhile); one in steady use is not asked.

    SQLAlchemy's pool_pre_ping asks on every checkout: one more round trip per request, 16 %
    of a busy web worker's time in bench/load.py. A dead connection found here is replaced
    (the pool tries again on DisconnectionError); one cut within the idle window fails its
    request with a 503, and that error drops the whole pool, as before.
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


class WriterTurns:
    """Writers to one SQLite file take turns: the threads of a process on a lock, the
    processes on an flock of a file beside the database.

    Every transaction here begins IMMEDIATE, so it waits for SQLite's write lock, and SQLite
    waits by sleeping (1, 2, 5 … then 25–100 ms at a time) and trying again: under load the
    lock stood free while its waiters slept, beats waited seconds and throughput fell by half
    (bench/load.py). Here a waiting thread blocks on a lock that wakes it as soon as it is
    free, and one thread a process polls the flock every 2 ms at most. A writer that gets no
    turn within SQLITE_WAIT_SECONDS goes on to SQLite's own wait, as before.
    """

    @classmethod
    def for_database(cls, database: str | None) -> WriterTurns | None:
        """Turns for one engine on this database file (two engines on one file exclude each
        other through the flock); None for a database in memory (one connection)."""
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return cls(str(Path(database).resolve()) + ".writers")

    def __init__(self, lock_path: str) -> None:
        self.lock_path = lock_path
        self.threads = threading.Lock()
        self._file = None
        self._file_pid = None

    def _lock_file(self):
        # A file opened before gunicorn forks would be one flock shared by every worker.
        if self._file_pid != os.getpid():
            self._file = open(self.lock_path, "a")  # noqa: SIM115 (held for the process)
            self._file_pid = os.getpid()
        return self._file

    def __del__(self) -> None:
        if self._file is not None and self._file_pid == os.getpid():
            self._file.close()

    def take(self, info: dict) -> None:
        """Wait for this connection's turn; noted in the connection's info until given back."""
        deadline = time.monotonic() + SQLITE_WAIT_SECONDS
        if not self.threads.acquire(timeout=SQLITE_WAIT_SECONDS):
            return
        try:
            handle = self._lock_file()
            pause = 0.0001
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        self.threads.release()
                        return
                    time.sleep(pause)
                    pause = min(pause * 2, 0.002)
        except BaseException:
            self.threads.release()
            raise
        info["writer_turn"] = self

    def give_back(self, info: dict) -> None:
        """End this connection's turn, if it has one (commit, rollback, reset: whichever
        comes first)."""
        if info.pop("writer_turn", None) is None:
            return
        fcntl.flock(self._lock_file(), fcntl.LOCK_UN)
        self.threads.release()


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
