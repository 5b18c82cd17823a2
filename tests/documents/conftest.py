"""Fixtures for course documents: PDFs made with ReportLab, a paid course with its instructor,
and the people who look at it (the instructor, an owner, a stranger, another instructor)."""

from __future__ import annotations

import io

import pytest
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from academy.auth.services import ensure_instructor_profile
from academy.documents import services as documents
from academy.extensions import db
from academy.learning import services as learning
from tests.web import login


def pdf_bytes(pages: int = 8, *, encrypt=None) -> bytes:
    """A real A4 PDF whose every page carries its own number in large text."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, encrypt=encrypt, invariant=True)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica-Bold", 48)
        canvas.drawString(80, 700, f"Handout page {number}")
        canvas.setFont("Helvetica", 14)
        for line in range(number):  # different amounts of ink per page
            canvas.drawString(80, 640 - 20 * line, f"Line {line + 1} of page {number}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def encrypted_pdf_bytes() -> bytes:
    return pdf_bytes(3, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))


@pytest.fixture
def course(make, instructor):
    """A published paid course that belongs to `instructor`."""
    found = make.course(price_fen=9900, title="资产配置入门")
    found.instructor_id = instructor.instructor_profile.id
    db.session.commit()
    return found


@pytest.fixture
def document(course, instructor):
    """An 8-page handout of `course`, rendered, 3 pages free."""
    found = documents.add_document(
        course,
        instructor,
        title="资产配置讲义",
        free_pages=3,
        filename="讲义.pdf",
        stream=io.BytesIO(pdf_bytes(8)),
    )
    assert found.status == "done", found.error
    return found


def _client(app, username):
    client = app.test_client()
    login(client, username)
    return client


@pytest.fixture
def owner(app, make, course):
    """A learner who bought the course, logged in."""
    user = make.user("owner1")
    learning.grant_purchase(user.id, course.id, order_id=999)
    db.session.commit()
    return _client(app, "owner1")


@pytest.fixture
def stranger(app, make):
    """A learner who did not buy the course, logged in."""
    make.user("stranger1")
    return _client(app, "stranger1")


@pytest.fixture
def other_teacher(app, make):
    """An instructor of other courses, logged in."""
    ensure_instructor_profile(make.user("teacher2", role="instructor"))
    return _client(app, "teacher2")


@pytest.fixture
def admin(app, make):
    make.user("admin1", role="admin")
    return _client(app, "admin1")


def fetch(client, url: str):
    """GET `url` and close the response (a page image or PDF is an open file until closed)."""
    with client.get(url) as response:
        response.get_data()
    return response
