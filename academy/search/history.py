"""A user's recent searches: the last MAX_HISTORY distinct queries, newest first."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from academy import clock
from academy.errors import Refusal
from academy.extensions import db
from academy.search.models import SearchHistory

#: distinct queries kept per user
MAX_HISTORY = 20


def record_search(user_id: int, query: str) -> None:
    """Remember a (cleaned, non-empty) query: a repeat moves to the top; the oldest beyond
    MAX_HISTORY are dropped. One row per (user, query), enforced by the database."""
    now = clock.now()
    moved = db.session.execute(
        update(SearchHistory)
        .where(SearchHistory.user_id == user_id, SearchHistory.query == query)
        .values(searched_at=now)
    )
    if moved.rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.add(SearchHistory(user_id=user_id, query=query, searched_at=now))
        except IntegrityError:  # the same query recorded at the same moment by another request
            pass
    kept = (
        select(SearchHistory.id)
        .where(SearchHistory.user_id == user_id)
        .order_by(SearchHistory.searched_at.desc(), SearchHistory.id.desc())
        .limit(MAX_HISTORY)
    )
    db.session.execute(
        delete(SearchHistory).where(
            SearchHistory.user_id == user_id, SearchHistory.id.not_in(kept.scalar_subquery())
        )
    )
    db.session.commit()


def list_history(user_id: int) -> list[SearchHistory]:
    """The user's recent queries, newest first (at most MAX_HISTORY are kept)."""
    return list(
        db.session.scalars(
            select(SearchHistory)
            .where(SearchHistory.user_id == user_id)
            .order_by(SearchHistory.searched_at.desc(), SearchHistory.id.desc())
            .limit(MAX_HISTORY)
        )
    )


def delete_history_entry(user_id: int, entry_id: int) -> None:
    """Forget one query; another user's entry is as absent as a missing one (404)."""
    gone = db.session.execute(
        delete(SearchHistory).where(SearchHistory.id == entry_id, SearchHistory.user_id == user_id)
    )
    db.session.commit()
    if gone.rowcount == 0:
        raise Refusal("not_found", _("没有这条搜索记录。"), 404)


def clear_history(user_id: int) -> None:
    """Forget all of the user's queries."""
    forget_history(user_id)
    db.session.commit()


def forget_history(user_id: int) -> None:
    """Forget all of the user's queries, in the caller's transaction (an account erased)."""
    db.session.execute(delete(SearchHistory).where(SearchHistory.user_id == user_id))
