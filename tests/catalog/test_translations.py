"""Every string a page or message can show is translated: English by people, zh_Hant by OpenCC
(academy/i18n/catalogs.py); zh-CN stays the source.

`flask --app wsgi academy translations` brings zh_Hant up to date with the code."""

import re

import pytest

from academy.i18n.catalogs import (
    GENERATED,
    catalog_path,
    extract_template,
    has_simplified,
    read_catalog,
    to_traditional,
)

PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\w*\}")


@pytest.fixture(scope="module")
def wanted():
    return [m for m in extract_template() if m.id]


def text(value) -> str:
    """A msgid or msgstr as one string (a plural's forms joined)."""
    return " ".join(value) if isinstance(value, tuple) else value


def translated(catalog, message_id) -> bool:
    entry = catalog.get(message_id)
    if entry is None or entry.fuzzy:
        return False
    text = entry.string
    return all(text) if isinstance(text, tuple) else bool(text)


def test_every_translatable_string_has_an_english_translation(wanted):
    english = read_catalog(catalog_path("en"))
    missing = [m.id for m in wanted if not translated(english, m.id)]
    assert missing == []


def test_every_translatable_string_has_a_traditional_chinese_translation(wanted):
    traditional = read_catalog(catalog_path("zh_Hant"))
    missing = [m.id for m in wanted if not translated(traditional, m.id)]
    assert missing == [], "run: flask --app wsgi academy translations"


def test_traditional_chinese_holds_no_simplified_characters():
    traditional = read_catalog(catalog_path("zh_Hant"))
    simplified = [m.string for m in traditional if m.id and has_simplified(text(m.string))]
    assert simplified == []


def test_generated_entries_are_what_the_converter_writes():
    """A hand correction must drop the opencc flag, or the next regeneration overwrites it."""
    traditional = read_catalog(catalog_path("zh_Hant"))
    stale = [
        m.id
        for m in traditional
        if m.id
        and GENERATED in m.flags
        and text(m.string) != to_traditional(m.id[0] if isinstance(m.id, tuple) else m.id)
    ]
    assert stale == []


def test_traditional_chinese_keeps_every_placeholder():
    traditional = read_catalog(catalog_path("zh_Hant"))
    broken = [
        m.id
        for m in traditional
        if m.id and set(PLACEHOLDER.findall(text(m.id))) != set(PLACEHOLDER.findall(text(m.string)))
    ]
    assert broken == []


def test_lists_are_joined_as_the_reader_s_language_writes_them(app):
    from flask_babel import force_locale

    from academy.templating import join_list

    with app.test_request_context("/"), force_locale("zh_CN"):
        assert join_list(["甲", "乙"]) == "甲、乙" and join_list(["甲", "乙"], "；") == "甲；乙"
    with app.test_request_context("/"), force_locale("en"):
        assert join_list(["a", "b"]) == "a, b" and join_list(["a", "b"], "；") == "a; b"
