"""The demo's sample handout: drawn at load time, rendered, previewed on its course page."""

from __future__ import annotations

from sqlalchemy import func, select

from academy.catalog.models import Course
from academy.demo import handout, loader
from academy.documents import services as documents
from academy.documents.models import CourseDocument
from academy.extensions import db
from tests.demo.support import load_demo_with_the_clip


def test_the_demo_course_gets_a_rendered_handout_once(app, anon, monkeypatch):
    printed = load_demo_with_the_clip(monkeypatch)
    assert any("handout" in line for line in printed)
    course = db.session.scalar(select(Course).where(Course.slug == handout.COURSE_SLUG))
    (document,) = documents.list_documents(course.id)
    assert (document.status, document.page_count) == ("done", len(handout.TOPICS) + 1)
    html = anon.get(f"/courses/{course.id}").get_data(as_text=True)
    left = document.page_count - handout.FREE_PAGES
    assert f"已阅读 {handout.FREE_PAGES} 页，还剩 {left} 页未读" in html

    list(loader.load_demo())
    assert db.session.scalar(select(func.count()).select_from(CourseDocument)) == 1
