"""Every string a page or message can show has its English translation (zh-CN stays the source)."""

import subprocess
import sys

from babel.messages.pofile import read_po

from academy.config import ROOT


def test_every_translatable_string_has_an_english_translation(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "academy" / "translations" / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(template),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    with (
        template.open("rb") as pot,
        (ROOT / "academy" / "translations" / "en" / "LC_MESSAGES" / "messages.po").open("rb") as po,
    ):
        wanted, english = read_po(pot), read_po(po)

    def translated(message_id) -> bool:
        entry = english.get(message_id)
        if entry is None or entry.fuzzy:
            return False
        text = entry.string
        return all(text) if isinstance(text, tuple) else bool(text)

    missing = [m.id for m in wanted if m.id and not translated(m.id)]
    assert missing == []
