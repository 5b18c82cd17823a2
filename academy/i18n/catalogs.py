"""The translation catalogs' upkeep: zh_CN is the source (the strings in the code are
simplified Chinese and need no catalog), zh_Hant is generated from it with OpenCC, en is
translated by people.

`flask --app wsgi academy translations` keeps the catalogs in step with the code:
1. extracts every msgid into academy/translations/messages.pot;
2. English: appends each msgid the English catalog lacks, with an empty msgstr for a person to
   fill in (or the translation it had when the string last existed, if it is kept as an obsolete
   `#~` entry). It never rewrites the file: existing translations, their order and the section
   comments stay as people wrote them;
3. zh_Hant: rewrites the catalog with one entry per msgid. An entry flagged `#, opencc` was
   written by the converter and is written again on every run, so it follows its msgid. To
   correct one by hand, edit its msgstr and delete the `opencc` flag: an entry without the
   flag is kept as it is, and when its msgid leaves the code it stays as an obsolete `#~` entry,
   taken up again if the msgid returns;
4. compiles the .mo files.

Conversion is OpenCC's s2twp: Taiwan's standard characters and Taiwan's words (保存 → 儲存,
用户名 → 使用者名稱, 视频 → 影片), the most widely read traditional-script convention (Hong
Kong readers read it too; s2hk or plain s2t would keep mainland words in traditional dress).
Its word table is written for software and mangles a few words of this site; CORRECTIONS puts
them back. The catalogs' test checks that no msgstr still holds characters OpenCC's
character-only s2tw would convert.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import escape, read_po, write_po

from academy.config import ROOT

TRANSLATIONS = ROOT / "academy" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"  # committed, so a diff shows what strings changed
ZH_HANT_HEADER = """\
# Traditional Chinese for academy, made by `flask academy translations`.
# Entries flagged opencc are rewritten on every run; to correct one, edit
# its msgstr and delete the flag (see academy/i18n/catalogs.py)."""
GENERATED = "opencc"  # the flag of a zh_Hant entry the converter wrote
OPENCC_CONFIG = "s2twp"
#: s2twp's software vocabulary where it is wrong here, put back after converting
CORRECTIONS = {
    "真即時間": "真實時間",  # 真实|时间 read as 真|实时|间
    "音影片": "影音",  # 音视频: sound and video, not "sound film"
    "型別": "類型",  # a kind of credit hour, not a programming language's type
    "程式碼": "代碼",  # a credit type's code, not source code
    "許可權": "權限",
    "稽核": "審核",  # moderating reviews, not auditing accounts
    "釋出": "發布",  # publishing a course or article, not releasing software
    "賬": "帳",  # 帳號, 帳戶: Taiwan's character for an account
}


def extract_template() -> Catalog:
    """Every translatable string of the code and templates (babel.cfg), as a template."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "messages.pot"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "babel.messages.frontend",
                "extract",
                "-F",
                str(TRANSLATIONS / "babel.cfg"),
                "-k",
                "_l",
                "-k",
                "lazy_gettext",
                "--no-location",
                "--sort-output",
                "-o",
                str(output),
                str(ROOT),
            ],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        with output.open("rb") as pot:
            return read_po(pot)


def catalog_path(language: str, folder: Path | None = None) -> Path:
    return (folder or TRANSLATIONS) / language / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, language: str | None = None) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as po:
        return read_po(po, locale=language)


@functools.cache
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_traditional(text: str) -> str:
    """Simplified Chinese in Taiwan's traditional script and words (see CORRECTIONS)."""
    converted = _converter(OPENCC_CONFIG).convert(text)
    for wrong, right in CORRECTIONS.items():
        converted = converted.replace(wrong, right)
    return converted


def has_simplified(text: str) -> bool:
    """Whether OpenCC would still change a character of `text` (words aside)."""
    return _converter("s2tw").convert(text) != text


def _key(message: Message):
    """Babel's own key: the (singular) msgid, with its context when it has one."""
    key = message.id[0] if isinstance(message.id, tuple) else message.id
    return key if message.context is None else (key, message.context)


def _traditional_string(message: Message):
    if isinstance(message.id, tuple):  # Chinese has one plural form
        return (to_traditional(message.id[0]),)
    return to_traditional(message.id)


def traditional_catalog(template: Catalog, previous: Catalog | None) -> Catalog:
    """zh_Hant: the converter's entries follow their msgid; hand-made ones are kept (docstring)."""
    catalog = Catalog(
        locale="zh_Hant",
        project="academy",
        header_comment=ZH_HANT_HEADER,
        last_translator=f"OpenCC {OPENCC_CONFIG}",
        fuzzy=False,
    )
    catalog.creation_date = template.creation_date
    hand_made: dict = {}
    if previous is not None:
        for message in [*previous, *previous.obsolete.values()]:
            if message.id and GENERATED not in message.flags and message.string:
                hand_made[_key(message)] = message
    for message in template:
        if not message.id:
            continue
        kept = hand_made.pop(_key(message), None)
        flags = set(message.flags) - {"fuzzy"}
        if kept is not None:
            string = kept.string
        else:
            string, flags = _traditional_string(message), flags | {GENERATED}
        catalog.add(message.id, string, flags=flags, context=message.context)
    for message in hand_made.values():  # its msgid left the code: keep the work, obsolete
        catalog.obsolete[_key(message)] = message
    return catalog


def _entries(catalog: Catalog | None) -> list:
    if catalog is None:
        return []
    return sorted(
        (str(m.id), str(m.context), str(m.string), sorted(m.flags))
        for m in [*catalog, *catalog.obsolete.values()]
        if m.id
    )


def write_if_changed(path: Path, catalog: Catalog, previous: Catalog | None, **options) -> bool:
    """Write a catalog only when its entries changed, so a second run leaves no diff."""
    if previous is not None and _entries(previous) == _entries(catalog):
        return False
    catalog.revision_date = datetime.now(UTC)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog, **options)
    return True


def missing_english(template: Catalog, english: Catalog) -> list[Message]:
    """A message for each msgid the English catalog lacks, with the translation it had when
    the string last existed (an obsolete entry), else empty."""
    missing = []
    for message in template:
        if message.id and english.get(message.id, message.context) is None:
            old = english.obsolete.get(_key(message))
            blank = ("", "") if isinstance(message.id, tuple) else ""
            string = old.string if old is not None and old.string else blank
            flags = set(message.flags) - {"fuzzy"}
            missing.append(Message(message.id, string, flags=flags, context=message.context))
    return missing


def append_english(path: Path, missing: list[Message]) -> None:
    """Append entries at the end of the English catalog, leaving what is there untouched."""
    lines = ["", "# Added by `flask academy translations`: to translate"]
    for message in missing:
        lines.append("")
        if message.flags:
            lines.append(f"#, {', '.join(sorted(message.flags))}")
        if message.context is not None:
            lines.append(f"msgctxt {escape(message.context)}")
        if isinstance(message.id, tuple):
            lines.append(f"msgid {escape(message.id[0])}")
            lines.append(f"msgid_plural {escape(message.id[1])}")
            for n, string in enumerate(message.string):
                lines.append(f"msgstr[{n}] {escape(string)}")
        else:
            lines.append(f"msgid {escape(message.id)}")
            lines.append(f"msgstr {escape(message.string)}")
    text = path.read_text(encoding="utf-8")
    separator = "" if text.endswith("\n") else "\n"
    path.write_text(text + separator + "\n".join(lines) + "\n", encoding="utf-8")


def compile_catalogs(folder: Path | None = None) -> None:
    for po_path in (folder or TRANSLATIONS).glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


def update_catalogs(english: bool = True, folder: Path | None = None) -> list[str]:
    """Extract, add the new msgids to English, regenerate zh_Hant, compile; report lines."""
    folder = folder or TRANSLATIONS
    report = []
    template = extract_template()
    template_path = folder / TEMPLATE.name
    old_template = read_catalog(template_path)
    if write_if_changed(template_path, template, old_template, no_location=True, sort_output=True):
        report.append(f"{template_path.name}: {len(template)} messages")
    if english:
        english_path = catalog_path("en", folder)
        missing = missing_english(template, read_catalog(english_path, "en"))
        if missing:
            append_english(english_path, missing)
        report.append(f"en: {len(missing)} new msgids appended, to translate")
    zh_path = catalog_path("zh_Hant", folder)
    previous = read_catalog(zh_path, "zh_Hant")
    catalog = traditional_catalog(template, previous)
    changed = write_if_changed(zh_path, catalog, previous, sort_output=True)
    kept = sum(1 for m in catalog if m.id and GENERATED not in m.flags)
    report.append(
        f"zh_Hant: {len(catalog)} messages, {kept} corrected by hand"
        + ("" if changed else " (unchanged)")
    )
    compile_catalogs(folder)
    return report
