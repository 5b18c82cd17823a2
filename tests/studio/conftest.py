"""The studio's tests log in as the draft course's instructor and edit its lesson."""

import pytest

from tests.web import login


@pytest.fixture
def teacher(app, instructor):
    client = app.test_client()
    login(client, "teacher1")
    return client


@pytest.fixture
def lesson_with_insight(draft, make):
    """The draft's lesson with a transcript and derivations, not yet published."""
    course, lesson = draft
    make.insight(lesson, publish=False)
    return lesson
