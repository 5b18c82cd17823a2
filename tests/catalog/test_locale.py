"""Simplified Chinese first; traditional script and English for those who ask."""

from datetime import date
from html.parser import HTMLParser

import pytest
from flask_babel import format_date, format_decimal, get_locale

from academy.i18n import choose_language, language_of_tag

TITLES = {"zh_CN": "金融继续教育学院", "zh_Hant": "金融繼續教育學院", "en": "Finance CPE Academy"}


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("zh-TW", "zh_Hant"),
        ("zh-HK", "zh_Hant"),
        ("zh-MO", "zh_Hant"),
        ("zh-Hant", "zh_Hant"),
        ("zh-Hant-CN", "zh_Hant"),
        ("zh_TW", "zh_Hant"),
        ("zh", "zh_CN"),
        ("zh-CN", "zh_CN"),
        ("zh-SG", "zh_CN"),
        ("zh-Hans-HK", "zh_CN"),
        ("en", "en"),
        ("en-GB", "en"),
        ("fr-FR", None),
        ("*", None),
    ],
)
def test_a_browser_language_tag_maps_to_a_site_language(tag, language):
    assert language_of_tag(tag) == language


def test_an_explicit_choice_beats_the_remembered_one_which_beats_the_browser():
    assert choose_language("en", "zh_Hant", ["zh-CN"]) == "en"
    assert choose_language(None, "zh_Hant", ["en"]) == "zh_Hant"
    assert choose_language("klingon", None, ["en"]) == "en"


def test_the_first_browser_language_the_site_speaks_wins():
    assert choose_language(None, None, ["fr", "zh-TW", "en"]) == "zh_Hant"
    assert choose_language(None, None, ["fr", "de"]) == "zh_CN"
    assert choose_language(None, None, []) == "zh_CN"


def page_language(html: str) -> str:
    return html.split("<html lang=", 1)[1].split(">", 1)[0].strip('"')


def test_pages_are_simplified_chinese_by_default(anon):
    html = anon.get("/").get_data(as_text=True)
    assert TITLES["zh_CN"] in html and page_language(html) == "zh-CN"


@pytest.mark.parametrize(
    ("accept", "language", "tag"),
    [
        ("en-US,en;q=0.9", "en", "en"),
        ("zh-TW,zh;q=0.9", "zh_Hant", "zh-Hant"),
        ("zh-HK", "zh_Hant", "zh-Hant"),
        ("zh-Hant", "zh_Hant", "zh-Hant"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh_CN", "zh-CN"),
        ("zh", "zh_CN", "zh-CN"),
        ("fr-FR,de;q=0.5", "zh_CN", "zh-CN"),
    ],
)
def test_the_browser_language_decides_when_nothing_was_chosen(anon, accept, language, tag):
    html = anon.get("/", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert TITLES[language] in html and page_language(html) == tag


def test_the_language_choice_is_remembered(anon):
    anon.get("/?lang=en")
    assert TITLES["en"] in anon.get("/").get_data(as_text=True)
    anon.get("/?lang=zh_Hant")
    html = anon.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert TITLES["zh_Hant"] in html and page_language(html) == "zh-Hant"
    anon.get("/?lang=zh_CN")
    assert TITLES["zh_CN"] in anon.get("/").get_data(as_text=True)


def test_an_unknown_language_choice_is_ignored(anon):
    html = anon.get("/?lang=fr").get_data(as_text=True)
    assert TITLES["zh_CN"] in html
    with anon.session_transaction() as session:
        assert "lang" not in session


class SwitchLinks(HTMLParser):
    """The language switch's links: (href, hreflang, aria-current, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.links = False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "lang-switch" in (attrs.get("class") or ""):
            self.inside = True
        elif tag == "a" and self.inside:
            self.links.append([attrs["href"], attrs["hreflang"], attrs.get("aria-current"), ""])

    def handle_endtag(self, tag):
        if tag == "nav":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.links and not self.links[-1][3]:
            self.links[-1][3] = data.strip()


def test_the_switch_offers_three_languages_keeping_the_page_and_its_query(anon):
    """Links of the query alone keep the path (and never lead off the site: //host/...)."""
    html = anon.get("/search?q=%E5%9F%BA%E9%87%91&page=2&lang=en").get_data(as_text=True)
    parser = SwitchLinks()
    parser.feed(html)
    assert parser.links == [
        ["?q=%E5%9F%BA%E9%87%91&page=2&lang=zh_CN", "zh-CN", None, "简体中文"],
        ["?q=%E5%9F%BA%E9%87%91&page=2&lang=zh_Hant", "zh-Hant", None, "繁體中文"],
        ["?q=%E5%9F%BA%E9%87%91&page=2&lang=en", "en", "true", "English"],
    ]


def test_babel_formats_dates_and_numbers_in_traditional_chinese(app):
    with app.test_request_context("/?lang=zh_Hant"):
        assert str(get_locale()) == "zh_Hant"
        assert format_date(date(2026, 12, 1), "full") == "2026年12月1日 星期二"
        assert format_decimal(1234567.5) == "1,234,567.5"


def test_api_errors_follow_the_language(app, learner):
    def message(accept: str) -> str:
        response = app.test_client().post(
            "/api/v1/auth/login",
            json={"username": "learner1", "password": "nope"},
            headers={"Accept-Language": accept},
        )
        assert response.get_json()["error"]["code"] == "invalid_credentials"
        return response.get_json()["error"]["message"]

    assert "incorrect" in message("en").lower()
    assert message("zh-TW") == "使用者名稱或密碼不正確。"
