"""Markdown to safe HTML: markdown-it-py renders, nh3 keeps only ordinary formatting.

Raw HTML in the Markdown is let through the renderer on purpose and then sanitized with the
rest, so one cleaner decides everything: no script or style, no on* or style attributes,
links only to http(s), mailto or our own paths (with rel="noopener nofollow"), and images
only from our own origin (a path like /media/...), since the CSP would block others anyway.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}}
#: tags dropped with their content (the rest of an unknown tag keeps its text)
DROPPED = {"script", "style", "iframe", "object", "embed", "template", "textarea", "select"}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def own_path(url: str) -> bool:
    """A path on our own origin: /x, not //host/x or /\\host/x (which browsers read as hosts)."""
    return url.startswith("/") and not url.startswith(("//", "/\\"))


def _attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "img" and name == "src" and not own_path(value):
        return None
    return value


def render(markdown: str) -> Markup:
    """The Markdown as sanitized HTML, safe to put in a page."""
    cleaned = nh3.clean(
        _parser.render(markdown or ""),
        tags=TAGS,
        clean_content_tags=DROPPED,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow",
    )
    return Markup(cleaned)


def plain_text(markdown: str) -> str:
    """The words a reader sees, without markup: for the search index and summaries."""
    text = nh3.clean(str(render(markdown)), tags=set(), clean_content_tags=DROPPED)
    return " ".join(html.unescape(text).split())
