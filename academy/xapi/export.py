"""One learner's statements as a JSON document, written piece by piece (a long record streams)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from academy.xapi import records
from academy.xapi.statements import Site


def filename(user_id: int) -> str:
    return f"xapi-statements-user-{user_id}.json"


def learner_json(where: Site, user_id: int) -> Iterator[str]:
    """{"user_id": ..., "statements": [...]}, oldest statement first."""
    yield json.dumps({"user_id": user_id})[:-1] + ', "statements": ['
    for index, statement in enumerate(records.learner_statements(where, user_id)):
        yield ("," if index else "") + json.dumps(statement, ensure_ascii=False)
    yield "]}"
