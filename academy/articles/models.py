"""Articles and their tags."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy import clock
from academy.db import CreatedAtMixin, Model

MAX_TITLE_CHARS = 120
MAX_AUTHOR_CHARS = 60
#: characters of Markdown: a long feature is ~20,000; the bound keeps a form post under 1 MiB
MAX_BODY_CHARS = 60_000
MAX_TAG_CHARS = 20
MAX_TAGS = 8


class ArticleStatus(StrEnum):
    #: seen only by staff, in the studio and on its own page
    DRAFT = "draft"
    PUBLISHED = "published"


#: the moves publish/unpublish may make; anything else is refused
TRANSITIONS: dict[ArticleStatus, frozenset[ArticleStatus]] = {
    ArticleStatus.DRAFT: frozenset({ArticleStatus.PUBLISHED}),
    ArticleStatus.PUBLISHED: frozenset({ArticleStatus.DRAFT}),
}


class Article(CreatedAtMixin, Model):
    """One article, a draft until published."""

    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_status_published_at", "status", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(MAX_TITLE_CHARS))
    #: the byline: the writer's display name when created, editable afterwards
    author_name: Mapped[str] = mapped_column(String(MAX_AUTHOR_CHARS))
    #: Markdown as written; rendered and sanitized on display (articles/markdown.py)
    body: Mapped[str] = mapped_column(Text, default="")
    #: cover image relative to the media folder; "" when there is none
    cover_path: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(10), default=ArticleStatus.DRAFT)
    #: the date shown; set when first published, kept when taken back and published again
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    tags: Mapped[list[ArticleTag]] = relationship(
        cascade="all, delete-orphan", order_by="ArticleTag.position"
    )

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]


class ArticleTag(Model):
    """One tag of an article, once per article."""

    __tablename__ = "article_tags"
    __table_args__ = (UniqueConstraint("article_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(MAX_TAG_CHARS), index=True)
    position: Mapped[int] = mapped_column(default=0)
