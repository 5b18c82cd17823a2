"""Where the index lives: one small interface, with SQLite FTS5 or PostgreSQL behind it.

A backend stores documents (a course's own text, or one transcript sentence) as the words
tokens.index_text makes, and finds the best document of each kind per course for a query.
Both backends take those words as they are (jieba already cut them; neither database's own
parser knows Chinese): FTS5 splits on the spaces, PostgreSQL gets a tsvector literal with each
word's positions and field weight, and a tsquery literal built from the same terms. The
services do not change with the database. Any other database: nothing is indexed or found.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import text

from academy.extensions import db
from academy.search.tokens import Term, index_text

#: the indexed fields of a document, in the order of the index's columns
FIELDS = ("title", "keywords", "description", "instructor", "transcript")
#: how much a match in each field counts: the title and key phrases above a spoken sentence
WEIGHTS = {"title": 10.0, "keywords": 6.0, "description": 3.0, "instructor": 3.0, "transcript": 1.0}
#: documents (the best of each kind per course) one query reads at most
MAX_HITS = 1000
#: matching documents one query ranks at most (the best of them, by bm25)
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Document:
    """What is indexed: a course's own text (kind "course"), one sentence of a lesson's
    transcript (kind "transcript", with the lesson and the time it starts, in seconds), or a
    published article (kind "article": course_id then holds the article's id)."""

    course_id: int
    kind: str
    fields: dict[str, str]
    lesson_id: int | None = None
    at: float | None = None


@dataclass(frozen=True)
class Hit:
    """The best-ranked document of one kind of a course (lower rank is better)."""

    course_id: int
    kind: str
    rank: float
    lesson_id: int | None = None
    at: float | None = None
    fields: dict[str, str] = field(default_factory=dict)


class SearchBackend(Protocol):
    def ensure(self) -> bool:
        """Create the index where it is missing; True when it was just created (and empty)."""

    def replace_course(self, course_id: int, documents: list[Document]) -> None:
        """Drop the course's documents and store these (none: the course is not searchable)."""

    def replace_article(self, article_id: int, documents: list[Document]) -> None:
        """Drop the article's document and store these (none: the article is not searchable)."""

    def clear(self) -> None:
        """Drop every document."""

    def find(self, terms: list[Term], limit: int = MAX_HITS) -> list[Hit]:
        """The best document of each kind per course matching every term, best first."""


class IndexTable:
    """What both databases' backends do alike: one table of documents, replaced per course or
    article. Subclasses name the TABLE and store rows with `_insert`."""

    TABLE = "search_index"

    def _insert(self, documents: list[Document]) -> None:
        raise NotImplementedError

    def replace_course(self, course_id: int, documents: list[Document]) -> None:
        db.session.execute(
            text(f"DELETE FROM {self.TABLE} WHERE course_id = :id AND kind != 'article'"),
            {"id": course_id},
        )
        self._insert(documents)

    def replace_article(self, article_id: int, documents: list[Document]) -> None:
        # an article's document keeps the article's id in course_id, told apart by its kind
        db.session.execute(
            text(f"DELETE FROM {self.TABLE} WHERE course_id = :id AND kind = 'article'"),
            {"id": article_id},
        )
        self._insert(documents)

    def clear(self) -> None:
        db.session.execute(text(f"DELETE FROM {self.TABLE}"))


class Fts5Backend(IndexTable):
    """SQLite FTS5 over pre-tokenized text: unicode61 splits on the spaces index_text puts."""

    TABLE = "search_index"
    CREATE = (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
        "course_id UNINDEXED, kind UNINDEXED, lesson_id UNINDEXED, at UNINDEXED, "
        f"original UNINDEXED, {', '.join(FIELDS)}, tokenize = 'unicode61 remove_diacritics 2')"
    )

    def ensure(self) -> bool:
        exists = db.session.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": self.TABLE},
        ).first()
        if exists:
            return False
        db.session.execute(text(self.CREATE))
        return True

    def _insert(self, documents: list[Document]) -> None:
        rows = [
            {
                "course_id": d.course_id,
                "kind": d.kind,
                "lesson_id": d.lesson_id,
                "at": d.at,
                "original": json.dumps(d.fields, ensure_ascii=False),
                **{name: index_text(d.fields.get(name, "")) for name in FIELDS},
            }
            for d in documents
        ]
        if rows:
            names = ["course_id", "kind", "lesson_id", "at", "original", *FIELDS]
            db.session.execute(
                text(
                    f"INSERT INTO {self.TABLE} ({', '.join(names)}) "
                    f"VALUES ({', '.join(':' + n for n in names)})"
                ),
                rows,
            )

    def find(self, terms: list[Term], limit: int = MAX_HITS) -> list[Hit]:
        if not terms:
            return []
        weights = ", ".join(["0"] * 5 + [str(WEIGHTS[name]) for name in FIELDS])
        rows = db.session.execute(
            text(
                "SELECT course_id, kind, lesson_id, at, original, MIN(rank) AS best FROM ("
                f"  SELECT course_id, kind, lesson_id, at, original, bm25({self.TABLE}, {weights})"
                f"  AS rank FROM {self.TABLE} WHERE {self.TABLE} MATCH :query"
                # ordered and bounded: SQLite then keeps bm25 inside (no flattening into the
                # GROUP BY, where it may not run), and a word said everywhere reads no further
                "  ORDER BY rank LIMIT :rows"
                ") GROUP BY course_id, kind ORDER BY best, course_id LIMIT :limit"
            ),
            {"query": match_expression(terms), "rows": MAX_ROWS, "limit": limit},
        )
        # SQLite gives the other columns of a MIN() group from the row holding the minimum
        return [_hit(row, float(row.best)) for row in rows]


def _hit(row, rank: float) -> Hit:
    """A found row of either backend's table as a Hit."""
    return Hit(
        course_id=int(row.course_id),
        kind=row.kind,
        rank=rank,
        lesson_id=None if row.lesson_id is None else int(row.lesson_id),
        at=None if row.at is None else float(row.at),
        fields=json.loads(row.original),
    )


def _query(terms: list[Term], quote, both: str, either: str) -> str:
    """Every term, each as its word or all of the words inside it, in a database's syntax."""
    groups = []
    for term in terms:
        alternative = quote(term.word)
        if term.parts:
            inside = both.join(map(quote, term.parts))
            alternative = f"({alternative}{either}({inside}))"
        groups.append(alternative)
    return both.join(groups)


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def match_expression(terms: list[Term]) -> str:
    """FTS5 query: every term, each as its word or all of the words inside it."""
    return _query(terms, _quoted, " AND ", " OR ")


class NullBackend:
    """For a database no backend supports yet: nothing is indexed, nothing is found."""

    def ensure(self) -> bool:
        return False

    def replace_course(self, course_id: int, documents: list[Document]) -> None:
        pass

    def replace_article(self, article_id: int, documents: list[Document]) -> None:
        pass

    def clear(self) -> None:
        pass

    def find(self, terms: list[Term], limit: int = MAX_HITS) -> list[Hit]:
        return []


class PostgresBackend(IndexTable):
    """PostgreSQL full-text search over the same words: a tsvector per document, GIN-indexed,
    weighted by field (A title, B key phrases, C description and instructor, D transcript)
    and ranked with ts_rank."""

    TABLE = "search_index"
    #: the field each index column's words get their weight from
    FIELD_WEIGHT = {
        "title": "A",
        "keywords": "B",
        "description": "C",
        "instructor": "C",
        "transcript": "D",
    }
    #: ts_rank's weights for {D, C, B, A}: WEIGHTS scaled so that a title counts 1
    RANK_WEIGHTS = (
        "{"
        + ", ".join(
            str(WEIGHTS[name] / WEIGHTS["title"])
            for name in ("transcript", "description", "keywords", "title")
        )
        + "}"
    )
    #: PostgreSQL keeps positions 1..16383 and at most 256 of them per word
    MAX_POSITION = 16383
    MAX_POSITIONS_PER_WORD = 256

    def ensure(self) -> bool:
        exists = db.session.execute(
            text("SELECT to_regclass(:name) IS NOT NULL"), {"name": self.TABLE}
        ).scalar()
        if exists:
            return False
        # two workers creating it at once: the second waits here, then finds it made
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": self.TABLE}
        )
        if db.session.execute(
            text("SELECT to_regclass(:name) IS NOT NULL"), {"name": self.TABLE}
        ).scalar():
            return False
        db.session.execute(
            text(
                f"CREATE TABLE {self.TABLE} (id bigserial PRIMARY KEY, course_id integer NOT NULL,"
                " kind text NOT NULL, lesson_id integer, at double precision,"
                " original text NOT NULL, document tsvector NOT NULL)"
            )
        )
        db.session.execute(
            text(f"CREATE INDEX ix_{self.TABLE}_document ON {self.TABLE} USING gin (document)")
        )
        db.session.execute(
            text(f"CREATE INDEX ix_{self.TABLE}_course_kind ON {self.TABLE} (course_id, kind)")
        )
        return True

    def vector(self, fields: dict[str, str]) -> str:
        """The document as a tsvector literal: every word with its positions and weight."""
        positions: dict[str, list[str]] = {}
        position = 0
        for name in FIELDS:
            weight = self.FIELD_WEIGHT[name]
            for word in index_text(fields.get(name, "")).split():
                position = min(position + 1, self.MAX_POSITION)
                kept = positions.setdefault(word, [])
                if len(kept) < self.MAX_POSITIONS_PER_WORD:
                    kept.append(f"{position}{weight}")
        return " ".join(f"{_lexeme(word)}:{','.join(at)}" for word, at in positions.items())

    def _insert(self, documents: list[Document]) -> None:
        rows = [
            {
                "course_id": d.course_id,
                "kind": d.kind,
                "lesson_id": d.lesson_id,
                "at": d.at,
                "original": json.dumps(d.fields, ensure_ascii=False),
                "document": self.vector(d.fields),
            }
            for d in documents
        ]
        if rows:
            db.session.execute(
                text(
                    f"INSERT INTO {self.TABLE} (course_id, kind, lesson_id, at, original, document)"
                    " VALUES (:course_id, :kind, :lesson_id, :at, :original,"
                    " CAST(:document AS tsvector))"
                ),
                rows,
            )

    def find(self, terms: list[Term], limit: int = MAX_HITS) -> list[Hit]:
        if not terms:
            return []
        rows = db.session.execute(
            text(
                "SELECT course_id, kind, lesson_id, at, original, score FROM ("
                "  SELECT DISTINCT ON (course_id, kind) course_id, kind, lesson_id, at, original,"
                "  score FROM ("
                "    SELECT id, course_id, kind, lesson_id, at, original,"
                "    ts_rank(CAST(:weights AS real[]), document, query, 1) AS score"
                f"    FROM {self.TABLE}, CAST(:query AS tsquery) AS query"
                "    WHERE document @@ query ORDER BY score DESC, id LIMIT :rows"
                "  ) matched ORDER BY course_id, kind, score DESC, id"
                ") best ORDER BY score DESC, course_id LIMIT :limit"
            ),
            {
                "weights": self.RANK_WEIGHTS,
                "query": tsquery_expression(terms),
                "rows": MAX_ROWS,
                "limit": limit,
            },
        )
        return [_hit(row, -float(row.score)) for row in rows]  # a Hit's rank: lower is better


def _lexeme(word: str) -> str:
    """One word quoted for a tsvector or tsquery literal."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_expression(terms: list[Term]) -> str:
    """tsquery literal: every term, each as its word or all of the words inside it."""
    return _query(terms, _lexeme, " & ", " | ")


def get_backend() -> SearchBackend:
    """The backend for the configured database."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        return Fts5Backend()
    if dialect == "postgresql":
        return PostgresBackend()
    return NullBackend()
