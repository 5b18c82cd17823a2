"""Counting the SQL statements a block of code sends (for N+1 checks)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import event

from academy.extensions import db


class Statements(list):
    """The SQL sent, in order; len() is the count."""

    def __str__(self) -> str:
        return "\n".join(self)


@contextlib.contextmanager
def counting_queries() -> Iterator[Statements]:
    """Every statement the app's engine runs inside the block (transaction control excluded)."""
    seen = Statements()

    def record(conn, cursor, statement, parameters, context, executemany):
        if (
            not statement.lstrip()
            .upper()
            .startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA"))
        ):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def page_statements(client, url: str) -> Statements:
    """The statements one GET of a page sends, starting, as a request in production does, with
    nothing loaded (tests keep one session open, holding what they made)."""
    db.session.remove()
    with counting_queries() as seen:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return seen
