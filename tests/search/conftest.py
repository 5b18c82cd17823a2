"""Courses with published transcripts of our choosing, indexed for search; every search test
runs on SQLite (FTS5) and on PostgreSQL (tsvector), the two backends behind one interface."""

from __future__ import annotations

import pytest

from academy.extensions import db
from academy.insights import services as insights
from academy.insights.models import LessonInsight
from academy.search import services as search


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_schema_database")
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def lecture(make):
    """A published course whose first lesson has a published transcript of these sentences
    ((start seconds, text) pairs); the course is indexed either way."""

    def build(title: str, sentences=(), *, description: str = "", keywords=(), **course):
        made = make.course(title=title, **course)
        made.description = description
        db.session.commit()
        if sentences:
            lesson = made.lessons[0]
            db.session.add(
                LessonInsight(
                    lesson_id=lesson.id,
                    segments=[
                        {"start": start, "end": start + 5.0, "text": text}
                        for start, text in sentences
                    ],
                    keywords=list(keywords),
                    summary="本讲概要：客户沟通的基本方法。",
                    chapters=[],
                    questions=[],
                    mind_map=None,
                )
            )
            db.session.commit()
            insights.publish(lesson)
        else:
            search.index_course(made.id)
        return made

    return build
