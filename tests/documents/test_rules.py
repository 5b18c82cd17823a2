"""The rules of course documents as plain values, and the render's lifecycle table."""

from __future__ import annotations

import pytest

from academy.documents import rules
from academy.documents.models import TRANSITIONS, DocumentStatus
from academy.documents.services import _move
from academy.errors import Refusal


@pytest.mark.parametrize(
    ("page_count", "free_pages", "owner", "readable"),
    [
        (8, 3, False, 3),
        (8, 3, True, 8),
        (2, 3, False, 2),  # a preview longer than the document is the whole document
        (8, 0, False, 0),
        (8, 0, True, 8),
        (8, -1, False, 0),
    ],
)
def test_readable_pages(page_count, free_pages, owner, readable):
    assert rules.readable_pages(page_count, free_pages, owner=owner) == readable


@pytest.mark.parametrize("value", [-1, 201, "3", 2.5, True, None])
def test_free_pages_out_of_range_or_not_whole_are_refused(value):
    with pytest.raises(Refusal) as refused:
        rules.check_free_pages(value, 200)
    assert refused.value.code == "invalid_free_pages"


def test_a_title_over_the_column_is_refused_and_one_within_is_trimmed():
    assert rules.check_title("  讲义  ") == "讲义"
    with pytest.raises(Refusal):
        rules.check_title("讲" * 121)


def test_the_render_timeout_grows_with_pages_and_is_bounded():
    assert rules.render_timeout(1) < rules.render_timeout(50) <= 600
    assert rules.render_timeout(10_000) == 600


def test_the_transition_table_is_the_lifecycle():
    assert {
        DocumentStatus.QUEUED: {DocumentStatus.RENDERING},
        DocumentStatus.RENDERING: {
            DocumentStatus.DONE,
            DocumentStatus.FAILED,
            DocumentStatus.QUEUED,
        },
        DocumentStatus.DONE: set(),
        DocumentStatus.FAILED: {DocumentStatus.QUEUED},
    } == TRANSITIONS


@pytest.mark.parametrize("current", list(DocumentStatus))
@pytest.mark.parametrize("target", list(DocumentStatus))
def test_a_move_outside_the_table_is_refused_before_the_database(app, current, target):
    if target in TRANSITIONS[current]:
        assert _move(12345, current, target) is False  # allowed; no such row, nothing moved
    else:
        with pytest.raises(Refusal) as refused:
            _move(12345, current, target)
        assert refused.value.code == "illegal_transition"
