"""Every write to articles and every rule about who sees which: plain functions."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from academy import clock, disk
from academy.articles import related
from academy.articles.markdown import plain_text
from academy.articles.models import (
    MAX_TAG_CHARS,
    MAX_TAGS,
    TRANSITIONS,
    Article,
    ArticleStatus,
    ArticleTag,
)
from academy.catalog.models import Course
from academy.errors import Refusal
from academy.extensions import db
from academy.insights import services as insights
from academy.search import services as search

PAGE_SIZE = 10
#: cover images we keep, by Pillow's name for the format, with the suffix they are stored under
COVER_FORMATS = {"PNG": ".png", "JPEG": ".jpg"}
COVER_TYPES = {".png": "image/png", ".jpg": "image/jpeg"}
#: a cover is shown at most ~1200 px wide; larger pictures are refused, not resized
MAX_COVER_PIXELS = 4000 * 4000
#: folder of the covers inside the media folder
COVER_FOLDER = "articles"


def is_staff(user) -> bool:
    """Admins and instructors write articles and see drafts."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in ("admin", "instructor")


def may_edit(user, article: Article) -> bool:
    """Its writer edits, publishes and takes back an article; an admin any article (an
    instructor may read a colleague's draft, not change or withdraw it)."""
    return is_staff(user) and (user.role == "admin" or article.created_by_id == user.id)


def parse_tags(raw: str) -> list[str]:
    """Tags as typed, separated by commas, 、 or spaces: trimmed, distinct, in order; refused
    when there are too many or one is too long."""
    for separator in "，,、;；":
        raw = (raw or "").replace(separator, " ")
    tags = list(dict.fromkeys(raw.split()))
    if len(tags) > MAX_TAGS:
        raise Refusal("too_many_tags", _("标签最多 %(n)d 个。", n=MAX_TAGS))
    if any(len(tag) > MAX_TAG_CHARS for tag in tags):
        raise Refusal("tag_too_long", _("每个标签最多 %(n)d 个字。", n=MAX_TAG_CHARS))
    return tags


def _apply(article: Article, values: dict) -> None:
    article.title = values["title"].strip()
    article.author_name = values["author_name"].strip()
    article.body = values.get("body") or ""
    article.updated_at = clock.now()
    names = parse_tags(values.get("tags", ""))
    # a tag kept is the same row: a new row beside the old one would break (article, name)'s
    # uniqueness, as the flush inserts before it deletes
    kept = {tag.name: tag for tag in article.tags}
    article.tags = [kept.get(name) or ArticleTag(name=name) for name in names]
    for position, tag in enumerate(article.tags):
        tag.position = position


def create_article(user, values: dict, cover: bytes | None = None) -> Article:
    """A new draft written by `user` (the byline defaults to their display name), with its
    cover if one is given; a refused cover saves nothing."""
    article = Article(created_by_id=user.id, status=ArticleStatus.DRAFT)
    _apply(article, {**values, "author_name": values.get("author_name") or user.display_name})
    db.session.add(article)
    _commit_with_cover(article, cover)
    return article


def update_article(article: Article, values: dict, cover: bytes | None = None) -> Article:
    """Save edits (and a new cover, if given; a refused one saves nothing); a published
    article's place in the search index follows."""
    _apply(article, values)
    _commit_with_cover(article, cover)
    search.index_article(article.id)
    return article


def _commit_with_cover(article: Article, cover: bytes | None) -> None:
    if cover is None:
        db.session.commit()
        return
    db.session.flush()  # the article's id names the cover's file
    try:
        set_cover(article, cover)  # commits
    except Refusal:
        db.session.rollback()
        raise


def set_status(article: Article, status: ArticleStatus) -> Article:
    """Publish or take back; a move outside TRANSITIONS is refused. The first publication
    dates the article."""
    if status not in TRANSITIONS[ArticleStatus(article.status)]:
        raise Refusal("bad_transition", _("文章当前状态不能这样修改。"), 409)
    article.status = status
    if status == ArticleStatus.PUBLISHED and article.published_at is None:
        article.published_at = clock.now()
    db.session.commit()
    search.index_article(article.id)
    return article


def cover_format(data: bytes) -> str:
    """Pillow's name for the format of an acceptable cover (PNG or JPEG of a shown size);
    anything else is refused."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Refusal("bad_image", _("封面须为 PNG 或 JPEG 图片。")) from None
    if image_format not in COVER_FORMATS:
        raise Refusal("bad_image", _("封面须为 PNG 或 JPEG 图片。"))
    if width * height > MAX_COVER_PIXELS:
        raise Refusal("image_too_large", _("封面图片太大，请缩小后再上传。"))
    return image_format


def delete_article(article: Article) -> None:
    """Delete a draft (a published article is taken back first, so that deleting is never
    what removes a page readers may have linked to by accident), with its cover."""
    if article.is_published:
        raise Refusal("published", _("已发布的文章请先撤回为草稿，再删除。"), 409)
    cover = article.cover_path
    article_id = article.id
    db.session.delete(article)
    db.session.commit()
    search.index_article(article_id)  # gone: out of the index too
    if cover:
        (Path(current_app.config["MEDIA_PATH"]) / cover).unlink(missing_ok=True)


def set_cover(article: Article, data: bytes) -> Article:
    """Store an uploaded PNG or JPEG as the article's cover; anything else is refused."""
    image_format = cover_format(data)
    media = Path(current_app.config["MEDIA_PATH"])
    # a new name each time: a cached old cover is never shown for a new one
    relative = f"{COVER_FOLDER}/{article.id}-{secrets.token_hex(6)}{COVER_FORMATS[image_format]}"
    try:
        (media / COVER_FOLDER).mkdir(parents=True, exist_ok=True)
        (media / relative).write_bytes(data)
    except OSError as error:
        (media / relative).unlink(missing_ok=True)  # what part of it was written
        if disk.is_full(error):
            raise disk.full_refusal() from error
        raise
    old = article.cover_path
    article.cover_path = relative
    db.session.commit()
    if old:
        (media / old).unlink(missing_ok=True)
    return article


def cover_type(article: Article) -> str:
    return COVER_TYPES.get(Path(article.cover_path).suffix, "application/octet-stream")


# -- reading ----------------------------------------------------------------------------------


def get_article(article_id: int) -> Article | None:
    return db.session.get(Article, article_id)


def visible_article(user, article_id: int) -> Article | None:
    """The article if this user may read it: published, or any article for staff."""
    article = db.session.get(Article, article_id)
    if article is None or not (article.is_published or is_staff(user)):
        return None
    return article


@dataclass
class ArticlePage:
    articles: list[Article] = field(default_factory=list)
    total: int = 0
    page: int = 1
    tag: str = ""

    @property
    def pages(self) -> int:
        return max(1, (self.total + PAGE_SIZE - 1) // PAGE_SIZE)


def list_published(page: int = 1, tag: str = "") -> ArticlePage:
    """Published articles, newest first, a page at a time, optionally those with one tag."""
    query = select(Article).where(Article.status == ArticleStatus.PUBLISHED)
    if tag:
        query = query.where(
            Article.id.in_(select(ArticleTag.article_id).where(ArticleTag.name == tag))
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, min(page, max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)))
    articles = db.session.scalars(
        query.options(selectinload(Article.tags))
        .order_by(Article.published_at.desc(), Article.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return ArticlePage(list(articles), total, page, tag)


def list_editable(user) -> list[Article]:
    """The articles this user may edit (may_edit), drafts and published, last edited first."""
    query = select(Article).order_by(Article.updated_at.desc(), Article.id.desc())
    if user.role != "admin":
        query = query.where(Article.created_by_id == user.id)
    return list(db.session.scalars(query))


def related_courses(article: Article, limit: int = 4) -> list[Course]:
    """Published courses sharing words with the article (related.rank_related)."""
    words = related.words_of(
        " ".join([article.title, *article.tag_names, plain_text(article.body)])
    )
    courses = list(
        db.session.scalars(
            select(Course)
            .where(Course.published_on.is_not(None))
            .options(selectinload(Course.lessons))
        )
    )
    candidates = []
    for course in courses:
        keywords: list[str] = []
        for lesson in course.lessons:
            view = insights.published_view(lesson.id) or {}
            keywords += view.get("keywords") or []
        candidates.append(related.Candidate(course.id, course.title, tuple(keywords)))
    by_id = {c.id: c for c in courses}
    return [by_id[i] for i in related.rank_related(words, candidates, limit)]
