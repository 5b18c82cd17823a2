"""Languages: which one a request speaks, and the switch between them.

zh_CN (simplified, the source strings), zh_Hant (traditional script, generated: catalogs.py)
and en (translated by people). A ?lang= choice is remembered in the session; without one the
browser's Accept-Language decides, and simplified Chinese is the default.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

LANGUAGES = ("zh_CN", "zh_Hant", "en")
DEFAULT_LANGUAGE = "zh_CN"
#: each language's name in itself, as the switch shows it
LABELS = {"zh_CN": "简体中文", "zh_Hant": "繁體中文", "en": "English"}
#: the BCP 47 tag for <html lang> and hreflang
HTML_LANG = {"zh_CN": "zh-CN", "zh_Hant": "zh-Hant", "en": "en"}
#: regions that write traditional characters
TRADITIONAL_REGIONS = {"tw", "hk", "mo"}


def language_of_tag(tag: str) -> str | None:
    """The site's language for one Accept-Language tag: zh-TW -> zh_Hant, en-GB -> en."""
    parts = tag.strip().lower().replace("_", "-").split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] != "zh":
        return None
    if "hans" in parts[1:]:
        return "zh_CN"
    if "hant" in parts[1:] or TRADITIONAL_REGIONS & set(parts[1:]):
        return "zh_Hant"
    return "zh_CN"


def choose_language(asked: str | None, remembered: str | None, accepted: Iterable[str]) -> str:
    """?lang= first, then the choice remembered in the session, then the browser's list."""
    for chosen in (asked, remembered):
        if chosen in LANGUAGES:
            return chosen
    for tag in accepted:  # best first
        language = language_of_tag(tag)
        if language:
            return language
    return DEFAULT_LANGUAGE


def select_locale() -> str:
    """Flask-Babel's locale selector; a ?lang= choice is remembered in the session."""
    from flask import has_request_context, request, session

    if not has_request_context():  # CLI and background jobs speak the default language
        return DEFAULT_LANGUAGE
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
    accepted = [tag for tag, _quality in request.accept_languages]
    return choose_language(asked, session.get("lang"), accepted)


def current_language() -> str:
    from flask_babel import get_locale

    language = str(get_locale())
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def html_lang() -> str:
    """<html lang> of the page being rendered."""
    return HTML_LANG[current_language()]


def language_links() -> list[dict]:
    """The switch: this page in each language, its query kept with only `lang` replaced.

    Each link is the query alone: it keeps the page's own path, and a path such as
    //elsewhere.example cannot turn it into a link off the site.
    """
    from flask import request

    current = current_language()
    links = []
    for language in LANGUAGES:
        args = request.args.copy()
        args["lang"] = language
        query = urlencode(list(args.items(multi=True)))
        links.append(
            {
                "language": language,
                "label": LABELS[language],
                "tag": HTML_LANG[language],
                "url": f"?{query}",
                "current": language == current,
            }
        )
    return links
