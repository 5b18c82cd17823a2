"""Keeping the index in step with the catalog, and searching it as a given user may see it.

The index is derived data: index_course rebuilds one course's documents from the catalog and
the published insights, reindex_all rebuilds everything. Where the index table is missing
(a fresh database, or one the migration did not give it) the first use creates and fills it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from academy.articles.markdown import plain_text
from academy.articles.models import Article, ArticleStatus
from academy.catalog import access
from academy.catalog.models import Category, Course, Lesson
from academy.credits.models import CourseCredit, CreditType
from academy.extensions import db
from academy.insights import services as insights
from academy.search.backend import Document, Hit, get_backend
from academy.search.history import (  # noqa: F401  (re-exported for views and the API)
    MAX_HISTORY,
    clear_history,
    delete_history_entry,
    list_history,
    record_search,
)
from academy.search.tokens import Term, clean_query, highlight, matches, query_terms

PAGE_SIZE = 10
#: pages beyond this are not worth reading (and keep OFFSET bounded)
MAX_PAGE = 100
#: the price filter's values
PRICES = ("free", "member")

# -- indexing ---------------------------------------------------------------------------------


def documents_of(course: Course | None) -> list[Document]:
    """A published course's own text and every sentence of its published transcripts."""
    if course is None or not course.is_published:
        return []
    keywords: list[str] = []
    transcripts: list[Document] = []
    for lesson in course.lessons:
        view = insights.published_view(lesson.id)
        if view is None:
            continue
        keywords += [k for k in view.get("keywords") or [] if k not in keywords]
        transcripts += [
            Document(
                course.id,
                "transcript",
                {"transcript": segment["text"]},
                lesson_id=lesson.id,
                at=float(segment["start"]),
            )
            for segment in view.get("segments") or []
            if segment.get("text")
        ]
    # the credit types it counts for (a learner searches "CTP" or 继续教育), and who teaches
    # it with their certifications ("CFP 持证人，注册税务师")
    credit_names = db.session.execute(
        select(CreditType.name, CreditType.code)
        .join(CourseCredit, CourseCredit.credit_type_id == CreditType.id)
        .where(CourseCredit.course_id == course.id)
        .order_by(CreditType.id)
    ).all()
    counts_for = " ".join(f"{name} {code}" for name, code in credit_names)
    teacher = course.instructor
    own = {
        "title": course.title,
        "keywords": "、".join(keywords),
        "description": "\n".join(t for t in (course.subtitle, course.description, counts_for) if t),
        "instructor": " ".join(t for t in (teacher.name, teacher.certification) if t)
        if teacher
        else "",
    }
    return [Document(course.id, "course", own), *transcripts]


def article_documents(article: Article | None) -> list[Document]:
    """A published article's text: its title, tags (as key phrases), text and byline."""
    if article is None or article.status != ArticleStatus.PUBLISHED:
        return []
    own = {
        "title": article.title,
        "keywords": "、".join(article.tag_names),
        "description": plain_text(article.body),
        "instructor": article.author_name,
    }
    return [Document(article.id, "article", own)]


def _fill(backend) -> None:
    for course in db.session.scalars(select(Course).options(selectinload(Course.lessons))):
        backend.replace_course(course.id, documents_of(course))
    for article in db.session.scalars(select(Article).options(selectinload(Article.tags))):
        backend.replace_article(article.id, article_documents(article))


def index_course(course_id: int) -> None:
    """(Re)index one course: called when it is published, changed or taken back, and when a
    lesson's insights are published."""
    backend = get_backend()
    if backend.ensure():  # just created: fill it with every course, this one included
        _fill(backend)
    else:
        backend.replace_course(course_id, documents_of(db.session.get(Course, course_id)))
    db.session.commit()


def index_article(article_id: int) -> None:
    """(Re)index one article: called when it is published, changed or taken back."""
    backend = get_backend()
    if backend.ensure():  # just created: fill it with everything, this article included
        _fill(backend)
    else:
        backend.replace_article(article_id, article_documents(db.session.get(Article, article_id)))
    db.session.commit()


def reindex_all() -> int:
    """Rebuild the whole index; returns how many courses are searchable."""
    backend = get_backend()
    backend.ensure()
    backend.clear()
    _fill(backend)
    db.session.commit()
    return db.session.query(Course).filter(Course.published_on.is_not(None)).count()


# -- searching --------------------------------------------------------------------------------


@dataclass
class Result:
    """One course found, with why: the field that matched and a marked snippet of it."""

    course: Course
    match: str
    snippet: Markup
    title: Markup
    lesson: Lesson | None = None
    at: float | None = None
    kind: str = "course"


@dataclass
class ArticleResult:
    """One article found, with the field that matched and a marked snippet of it."""

    article: Article
    match: str
    snippet: Markup
    title: Markup
    kind: str = "article"


@dataclass
class SearchPage:
    query: str
    results: list[Result | ArticleResult] = field(default_factory=list)
    total: int = 0
    page: int = 1
    #: the ids of the courses found that the user may watch
    watchable: set[int] = field(default_factory=set)

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, (self.total + PAGE_SIZE - 1) // PAGE_SIZE)


def _allowed(course_ids: list[int], category: str, credit_type: str, price: str) -> set[int]:
    """Which of these courses are published and pass the filters."""
    query = _filtered(category, credit_type, price).where(Course.id.in_(course_ids))
    return set(db.session.scalars(query))


def _filtered(category: str, credit_type: str, price: str):
    """The ids of published courses that pass the filters (a query to narrow further)."""
    query = select(Course.id).where(Course.published_on.is_not(None))
    if category:
        query = query.join(Category).where(Category.slug == category)
    if credit_type:
        query = query.where(
            Course.id.in_(
                select(CourseCredit.course_id)
                .join(CreditType)
                .where(CreditType.code == credit_type)
            )
        )
    if price == "free":
        query = query.where(Course.price_fen == 0)
    elif price == "member":
        query = query.where(Course.member_claimable.is_(True))
    return query


def search(
    user,
    query: str | None,
    *,
    category: str = "",
    credit_type: str = "",
    price: str = "",
    page: int = 1,
) -> SearchPage:
    """Published courses and articles matching every word of the query, best first, a page
    at a time (articles only when no course filter is chosen)."""
    cleaned = clean_query(query)
    page = max(1, min(page, MAX_PAGE))
    terms = query_terms(cleaned)
    price = price if price in PRICES else ""
    if not terms and (category or credit_type or price):
        return _browse(user, category, credit_type, price, page)
    if not terms:
        return SearchPage(cleaned, page=page)
    backend = get_backend()
    if backend.ensure():
        _fill(backend)
        db.session.commit()
    by_course: dict[int, dict[str, Hit]] = {}
    by_article: dict[int, Hit] = {}
    order: list[tuple[str, int]] = []  # ("course" | "article", id), best first
    for hit in backend.find(terms):
        if hit.kind == "article":
            if hit.course_id not in by_article:
                by_article[hit.course_id] = hit
                order.append(("article", hit.course_id))
            continue
        if hit.course_id not in by_course:
            order.append(("course", hit.course_id))
        by_course.setdefault(hit.course_id, {}).setdefault(hit.kind, hit)
    allowed = {
        "course": _allowed(list(by_course), category, credit_type, price),
        "article": set() if category or credit_type or price else _published(list(by_article)),
    }
    ordered = [(kind, i) for kind, i in order if i in allowed[kind]]
    shown = ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    course_ids = [i for kind, i in shown if kind == "course"]
    courses = {
        c.id: c
        for c in db.session.scalars(
            select(Course)
            .where(Course.id.in_(course_ids))
            .options(selectinload(Course.lessons), selectinload(Course.instructor))
        )
    }
    # who may watch which, and the outlines the others see instead of a matching transcript,
    # for the whole page at once: not a query per result
    watchable = access.watchable(user, courses.values())
    outlines = insights.published_views(
        [
            by_course[i]["transcript"].lesson_id
            for i, course in courses.items()
            if "transcript" in by_course[i] and not access.sees_everything(user, course, watchable)
        ]
    )
    articles = {
        a.id: a
        for a in db.session.scalars(
            select(Article).where(Article.id.in_([i for kind, i in shown if kind == "article"]))
        )
    }
    results: list[Result | ArticleResult] = []
    for kind, i in shown:
        if kind == "course" and i in courses:
            hits = by_course[i]
            results.append(_result(user, courses[i], hits, terms, watchable, outlines))
        elif kind == "article" and i in articles:
            results.append(_article_result(articles[i], by_article[i], terms))
    return SearchPage(cleaned, results, len(ordered), page, watchable)


def _browse(user, category: str, credit_type: str, price: str, page: int) -> SearchPage:
    """No words, only filters: every published course that passes them, newest first (all
    CTP courses, all free ones)."""
    ids = _filtered(category, credit_type, price)
    total = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    courses = list(
        db.session.scalars(
            select(Course)
            .where(Course.id.in_(ids))
            .options(selectinload(Course.lessons), selectinload(Course.instructor))
            .order_by(Course.published_on.desc(), Course.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    )
    results: list[Result | ArticleResult] = [
        Result(course, "title", Markup.escape(course.title), Markup.escape(course.title))
        for course in courses
    ]
    return SearchPage("", results, total, page, access.watchable(user, courses))


def _published(article_ids: list[int]) -> set[int]:
    """Which of these articles are published."""
    return set(
        db.session.scalars(
            select(Article.id).where(
                Article.id.in_(article_ids), Article.status == ArticleStatus.PUBLISHED
            )
        )
    )


def _article_result(article: Article, hit: Hit, terms: list[Term]) -> ArticleResult:
    title = highlight(article.title, terms, width=200)
    match, snippet = _own_match(hit.fields, terms) or ("title", title)
    return ArticleResult(article, match, snippet, title)


def _own_match(fields: dict[str, str], terms: list[Term]) -> tuple[str, Markup] | None:
    """The course's own field that matched (instructor counts as description), marked."""
    for name, match in (
        ("title", "title"),
        ("keywords", "keywords"),
        ("description", "description"),
        ("instructor", "description"),
    ):
        if matches(fields.get(name, ""), terms):
            return match, highlight(fields[name], terms)
    return None


def _result(
    user,
    course: Course,
    hits: dict[str, Hit],
    terms: list[Term],
    watchable: set[int],
    outlines: dict[int, dict],
) -> Result:
    """One course found; `watchable` and `outlines` were read for the whole page (search)."""
    title = highlight(course.title, terms, width=200)
    best = min(hits.values(), key=lambda h: h.rank)
    own = _own_match(hits["course"].fields, terms) if "course" in hits else None
    if best.kind == "course" or "transcript" not in hits:
        match, snippet = own or ("title", title)
        return Result(course, match, snippet, title)
    sentence = hits["transcript"]
    if access.sees_everything(user, course, watchable):
        lesson = next((x for x in course.lessons if x.id == sentence.lesson_id), None)
        snippet = highlight(sentence.fields.get("transcript", ""), terms)
        return Result(course, "transcript", snippet, title, lesson, sentence.at)
    # A visitor of an outline sees no transcript: say where it matched, show what they may see.
    view = outlines.get(sentence.lesson_id) or {}
    summary = view.get("summary") or ""
    if matches(summary, terms):
        snippet = highlight(summary, terms)
    elif own is not None:
        snippet = own[1]
    else:
        snippet = highlight(summary or course.title, terms)
    return Result(course, "transcript", snippet, title)
