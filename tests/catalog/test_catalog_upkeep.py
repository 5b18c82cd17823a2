"""The translations command: zh_Hant follows the code, hand corrections and English stay."""

import shutil

from babel.messages.catalog import Catalog

from academy.i18n import catalogs


def template_of(*ids: str) -> Catalog:
    catalog = Catalog()
    for message_id in ids:
        catalog.add(message_id, "")
    return catalog


def test_the_converter_writes_taiwan_script_and_words():
    assert catalogs.to_traditional("保存用户名") == "儲存使用者名稱"


def test_the_corrections_undo_software_words_that_are_wrong_here():
    assert catalogs.to_traditional("学时类型代码") == "學時類型代碼"
    assert catalogs.to_traditional("进度由服务器按真实时间核验") == "進度由伺服器按真實時間核驗"
    assert catalogs.to_traditional("发布课程") == "發布課程"


def test_generated_entries_follow_their_msgid_and_hand_made_ones_are_kept():
    previous = Catalog(locale="zh_Hant")
    previous.add("课程", "舊的", flags={"opencc"})
    previous.add("学时", "時數")  # corrected by hand: no opencc flag
    catalog = catalogs.traditional_catalog(template_of("课程", "学时", "新字符串"), previous)
    assert catalog.get("课程").string == "課程" and "opencc" in catalog.get("课程").flags
    assert catalog.get("学时").string == "時數" and "opencc" not in catalog.get("学时").flags
    assert catalog.get("新字符串").string == "新字串"


def test_a_hand_made_entry_whose_msgid_left_is_kept_obsolete_and_comes_back():
    previous = Catalog(locale="zh_Hant")
    previous.add("学时", "時數")
    gone = catalogs.traditional_catalog(template_of("课程"), previous)
    assert gone.get("学时") is None and "学时" in gone.obsolete
    back = catalogs.traditional_catalog(template_of("课程", "学时"), gone)
    assert back.get("学时").string == "時數"


def test_the_command_appends_to_english_and_writes_zh_hant(app, tmp_path, monkeypatch):
    folder = tmp_path / "translations"
    english = catalogs.catalog_path("en", folder)
    english.parent.mkdir(parents=True)
    shutil.copy(catalogs.catalog_path("en"), english)
    with english.open("a", encoding="utf-8") as po:
        po.write('\n# a section comment\nmsgid "不再使用的字符串"\nmsgstr "No longer used"\n')
    before = english.read_text(encoding="utf-8")
    monkeypatch.setattr(catalogs, "TRANSLATIONS", folder)
    monkeypatch.setattr(
        catalogs, "extract_template", lambda: template_of("课程", "一个新的字符串%(n)d")
    )

    result = app.test_cli_runner().invoke(args=["academy", "translations"])

    assert result.exit_code == 0, result.output
    after = english.read_text(encoding="utf-8")
    assert after.startswith(before)  # nothing rewritten, only appended
    assert 'msgid "一个新的字符串%(n)d"\nmsgstr ""' in after[len(before) :]
    traditional = catalogs.read_catalog(catalogs.catalog_path("zh_Hant", folder))
    assert traditional.get("一个新的字符串%(n)d").string == "一個新的字串%(n)d"
    assert (folder / "zh_Hant" / "LC_MESSAGES" / "messages.mo").exists()
    again = app.test_cli_runner().invoke(args=["academy", "translations"])
    assert "zh_Hant: 2 messages, 0 corrected by hand (unchanged)" in again.output
    assert english.read_text(encoding="utf-8") == after  # "课程" was there already


def test_skip_english_leaves_the_english_catalog_alone(app, tmp_path, monkeypatch):
    folder = tmp_path / "translations"
    english = catalogs.catalog_path("en", folder)
    english.parent.mkdir(parents=True)
    english.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    monkeypatch.setattr(catalogs, "TRANSLATIONS", folder)
    monkeypatch.setattr(catalogs, "extract_template", lambda: template_of("课程"))

    result = app.test_cli_runner().invoke(args=["academy", "translations", "--skip-english"])

    assert result.exit_code == 0, result.output
    assert english.read_text(encoding="utf-8") == 'msgid ""\nmsgstr ""\n'
