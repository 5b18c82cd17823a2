"""Every ledger code an admin can see has words (the admin's learner page shows no raw codes)."""

from __future__ import annotations

import pytest

from academy.credits.models import EntryKind, EntrySource
from academy.credits.words import entry_kind_words, entry_source_words


@pytest.mark.parametrize("kind", list(EntryKind))
def test_each_entry_kind_has_words(app, kind):
    with app.test_request_context():
        assert entry_kind_words(kind) != kind.value


@pytest.mark.parametrize("source", list(EntrySource))
def test_each_entry_source_has_words(app, source):
    with app.test_request_context():
        assert entry_source_words(source) != source.value
