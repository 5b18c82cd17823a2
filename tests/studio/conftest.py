"""The studio's tests edit the draft course's lesson (`teacher` is in tests/conftest.py)."""

import pytest


@pytest.fixture
def lesson_with_insight(draft, make):
    """The draft's lesson with a transcript and derivations, not yet published."""
    course, lesson = draft
    make.insight(lesson, publish=False)
    return lesson
