"""Writers to a SQLite file take turns (academy.db.WriterTurns): the turn is an flock that each
process holds on its own, every way a transaction can end gives it back, and writers of several
processes and threads lose nothing."""

import fcntl
import multiprocessing
import os
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from academy.db import WriterTurns, make_engine


def turn_is_free(lock_path) -> bool:
    """Whether anyone holds the turn, asked through an open file of our own."""
    with open(lock_path) as probe:
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(probe, fcntl.LOCK_UN)
        return True


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)"))
        conn.execute(text("INSERT INTO counter VALUES (1, 0)"))
    yield engine
    engine.dispose()


def lock_path_of(engine) -> str:
    return os.path.realpath(engine.url.database) + ".writers"


def test_a_transaction_holds_the_turn_until_it_commits(engine):
    with engine.begin() as conn:
        conn.execute(text("SELECT value FROM counter"))
        assert not turn_is_free(lock_path_of(engine))
    assert turn_is_free(lock_path_of(engine))


def test_every_way_a_transaction_ends_gives_the_turn_back(engine):
    lock_path = lock_path_of(engine)
    with pytest.raises(RuntimeError), engine.begin() as conn:  # rolled back by an error
        conn.execute(text("UPDATE counter SET value = 1"))
        raise RuntimeError("the request failed")
    assert turn_is_free(lock_path)

    with Session(engine) as session:  # a failed statement, then the session's rollback
        with pytest.raises(Exception, match="no such table"):
            session.execute(text("SELECT * FROM nowhere"))
        assert not turn_is_free(lock_path)
        session.rollback()
        assert turn_is_free(lock_path)

    with Session(engine) as session:  # closed with its transaction still open
        session.execute(text("UPDATE counter SET value = 2"))
    assert turn_is_free(lock_path)

    conn = engine.connect()  # a connection dropped as broken mid-transaction
    transaction = conn.begin()
    conn.execute(text("UPDATE counter SET value = 3"))
    conn.invalidate()
    assert turn_is_free(lock_path)
    transaction.rollback()
    conn.close()

    with engine.connect() as conn:  # nothing was committed by the abandoned ones
        assert conn.execute(text("SELECT value FROM counter")).scalar() == 0


def _holds_parents_turn(turns: WriterTurns, answer) -> None:
    try:
        fcntl.flock(turns._lock_file(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        answer.put("the child took the turn the parent holds")
    except BlockingIOError:
        answer.put("waits")


def test_a_forked_worker_does_not_share_the_turn_its_parent_holds(tmp_path):
    """gunicorn forks its workers after loading the app: a lock file opened before the fork
    would be one flock for all of them."""
    turns = WriterTurns(str(tmp_path / "forked.writers"))
    held = {}
    turns.take(held)
    try:
        context = multiprocessing.get_context("fork")
        answer = context.Queue()
        child = context.Process(target=_holds_parents_turn, args=(turns, answer))
        child.start()
        child.join(30)
        assert answer.get(timeout=5) == "waits"
    finally:
        turns.give_back(held)
    assert held == {} and turn_is_free(tmp_path / "forked.writers")


def _count_up(url: str, threads: int, each: int) -> None:
    engine = make_engine(url)

    def writer():
        for _ in range(each):
            with Session(engine) as session, session.begin():
                value = session.execute(text("SELECT value FROM counter")).scalar()
                session.execute(text("UPDATE counter SET value = :v"), {"v": value + 1})

    workers = [threading.Thread(target=writer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    engine.dispose()


def test_writers_of_several_processes_and_threads_lose_no_update(engine):
    url = str(engine.url)
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_count_up, args=(url, 4, 40)) for _ in range(3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
        assert process.exitcode == 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM counter")).scalar() == 3 * 4 * 40
