"""Every code the learning domain can write has words for people (academy/learning/codes.py).

The codes are found in the source, not copied by hand: a new refusal, event or note in the
watch protocol fails here until it has its words.
"""

import ast
from pathlib import Path

import pytest

from academy.api.openapi import document
from academy.config import ROOT
from academy.learning import codes

LEARNING = sorted((ROOT / "academy" / "learning").glob("*.py"))
WATCH_API = ROOT / "academy" / "api" / "watch.py"
API_HELPERS = ROOT / "academy" / "api" / "__init__.py"


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _text(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _called(node: ast.Call) -> str:
    return getattr(node.func, "id", None) or getattr(node.func, "attr", "")


def _refusals(nodes) -> set[str]:
    """The code of every Refusal(...) raised in these nodes."""
    return {
        _text(node.args[0])
        for root in nodes
        for node in ast.walk(root)
        if isinstance(node, ast.Call) and _called(node) == "Refusal" and node.args
    } - {None}


def _helpers_the_watch_api_calls() -> list[ast.FunctionDef]:
    """The functions of academy/api/__init__.py the watch routes call, and those they call:
    their refusals are raised inside the routes' try and recorded in the viewing log."""
    imported = {
        alias.name
        for node in ast.walk(_tree(WATCH_API))
        if isinstance(node, ast.ImportFrom) and node.module == "academy.api"
        for alias in node.names
    }
    functions = {
        node.name: node for node in _tree(API_HELPERS).body if isinstance(node, ast.FunctionDef)
    }
    wanted, queue = set(), [name for name in imported if name in functions]
    while queue:
        name = queue.pop()
        if name in wanted:
            continue
        wanted.add(name)
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Call) and _called(node) in functions:
                queue.append(_called(node))
    return [functions[name] for name in sorted(wanted)]


def _codes_in_source() -> dict[str, set[str]]:
    """Each kind of code the learning domain writes, read from its source."""
    trees = [_tree(path) for path in LEARNING if path.name != "codes.py"]
    found = {
        "refusals": _refusals([*trees, _tree(WATCH_API), *_helpers_the_watch_api_calls()]),
        "events": set(),
        "details": set(),
        "notes": set(),
        "popup_kinds": set(),
    }
    for node in (n for tree in trees for n in ast.walk(tree)):
        if isinstance(node, ast.Call):
            name = _called(node)
            # events.record(session, user, lesson, kind, ...)
            if name == "record" and len(node.args) > 3:
                found["events"].add(_text(node.args[3]))
            if name == "BeatResult" and len(node.args) > 2:  # BeatResult(verified, allowance, why)
                found["notes"].add(_text(node.args[2]))
            for keyword in node.keywords:
                if keyword.arg in ("detail", "ended_reason"):
                    found["details"].add(_text(keyword.value))
                if name == "Popup" and keyword.arg == "kind":
                    found["popup_kinds"].add(_text(keyword.value))
        if isinstance(node, ast.Assign):
            for target in node.targets:
                pairs = (
                    zip(target.elts, node.value.elts, strict=False)
                    if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                    else [(target, node.value)]
                )
                for name, value in pairs:
                    if isinstance(name, ast.Name) and name.id == "reason":  # rules.py's notes
                        found["notes"].add(_text(value))
                    if isinstance(name, ast.Attribute) and name.attr == "kind":  # popup.kind = ..
                        found["popup_kinds"].add(_text(value))
    return {kind: values - {None, ""} for kind, values in found.items()}


SOURCE_CODES = _codes_in_source()


def test_the_source_scan_finds_the_codes_it_is_meant_to():
    # a guard on the scan itself: if these went missing, the tests below would prove nothing
    assert {"stale_seq", "session_ended", "invalid_field"} <= SOURCE_CODES["refusals"]
    assert {"start", "beat", "refused", "ended"} <= SOURCE_CODES["events"]
    assert "replaced" in SOURCE_CODES["details"]
    assert {"ahead_of_verified", "popup_pending"} <= SOURCE_CODES["notes"]
    assert {"confirm", "question"} <= SOURCE_CODES["popup_kinds"]


@pytest.mark.parametrize(
    ("kind", "family"),
    [
        ("refusals", codes.REFUSALS),
        ("events", codes.EVENT_KINDS),
        ("details", codes.SESSION_ENDS),
        ("notes", codes.BEAT_NOTES),
        ("popup_kinds", codes.POPUP_KINDS),
    ],
)
def test_every_code_in_the_source_has_words(kind, family):
    assert sorted(SOURCE_CODES[kind] - set(family)) == []


def test_every_note_and_popup_kind_the_api_documents_has_words():
    schemas = document()["components"]["schemas"]
    notes = set(schemas["BeatReply"]["properties"]["note"]["enum"]) - {""}
    kinds = set(schemas["Popup"]["properties"]["kind"]["enum"])
    assert notes <= set(codes.BEAT_NOTES)
    assert kinds <= set(codes.POPUP_KINDS)


def test_a_code_means_one_thing():
    seen: dict[str, int] = {}
    for family in codes.FAMILIES:
        for code in family:
            seen[code] = seen.get(code, 0) + 1
    assert [code for code, count in seen.items() if count > 1] == []


def test_words_are_chinese_and_an_unknown_value_is_shown_as_it_is(app):
    with app.test_request_context("/"):
        assert codes.describe("ahead_of_verified") == "超出已核验进度（向前拖动），不计进度"
        assert codes.describe("replaced") == "被新开始的学习取代"
        assert codes.describe("tok3n latency_ms=812") == "tok3n latency_ms=812"
        assert codes.describe("") == "" and codes.describe(None) == ""


def test_words_follow_the_reader_language(app):
    with app.test_request_context("/?lang=en"):
        assert codes.describe("stale_seq") == "A repeated or stale progress report"
