"""A user's recent searches (历史搜索)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from academy import clock
from academy.db import Model


class SearchHistory(Model):
    """One distinct query of a user, with when it was last searched."""

    __tablename__ = "search_history"
    __table_args__ = (
        UniqueConstraint("user_id", "query"),
        Index("ix_search_history_user_id_searched_at", "user_id", "searched_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: the query as cleaned for searching (tokens.clean_query): at most MAX_QUERY characters
    query: Mapped[str] = mapped_column(String(200))
    searched_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
