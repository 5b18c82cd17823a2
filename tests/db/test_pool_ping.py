"""A pooled PostgreSQL connection is checked before use only after sitting idle
(academy.db._ping_when_idle): one cut while idle is replaced without the request noticing,
and one in steady use costs no extra round trip."""

import importlib

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from academy.db import make_engine

# the module: `academy.db` as an attribute is the package's Database object
db_module = importlib.import_module("academy.db")


def backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def cut(server_url: str, pid: int) -> None:
    """End one server connection from outside, as a restart or a network cut would."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    admin.dispose()


@pytest.fixture
def engine(postgres_database):
    engine = make_engine(postgres_database)
    yield engine
    engine.dispose()


def test_a_connection_cut_while_idle_is_replaced_before_use(engine, postgres_database, monkeypatch):
    first = backend_pid(engine)
    cut(postgres_database, first)
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.0)  # it has been idle long

    assert backend_pid(engine) != first  # answered, on a new connection


def test_a_connection_in_steady_use_is_not_pinged(engine, postgres_database, monkeypatch):
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 3600.0)
    first = backend_pid(engine)
    cut(postgres_database, first)

    # no check before use: the statement meets the cut connection ...
    with pytest.raises(OperationalError), engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    # ... and that error dropped it, so the next request gets a new one
    assert backend_pid(engine) != first
