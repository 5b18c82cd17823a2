"""Chinese-aware words for the index and the query, and snippets that mark what matched.

Indexed text is cut by jieba's search mode (each word and the dictionary words inside it) and
stored space-separated, so the database's own tokenizer only splits on spaces. A query is cut
in precise mode; each of its words matches either itself or all of the words inside it, which
finds 身份识别 in 识别客户身份. Both sides are compared in simplified, lower-case characters
(to_simplified keeps the length, so a match found in the normalized copy marks the original).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup, escape

from academy.insights.text.words import shared_tokenizer, to_simplified

#: characters of a query that are used; the rest of a 10,000-character paste is ignored
MAX_QUERY = 200
#: words of a query that are used (each one must match: more only ever finds less)
MAX_TERMS = 12
#: characters of a snippet around its first match
SNIPPET_WIDTH = 90
#: words too common to require when the query has others
STOP_WORDS = frozenset("的了是和与及在或吗呢啊吧之")
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    """One word of a query: it matches `word`, or every one of `parts` (the words inside it)."""

    word: str
    parts: tuple[str, ...] = ()

    @property
    def all_words(self) -> tuple[str, ...]:
        return (self.word, *self.parts)


def normalize(text: str) -> str:
    """Simplified, lower-case, same length as `text` (so offsets carry over)."""
    simple = to_simplified(text)
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in simple)


def clean_query(raw: str | None) -> str:
    """The query as kept and shown: control characters dropped, spaces collapsed, bounded."""
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in (raw or "")[:2000])
    return " ".join(text.split())[:MAX_QUERY]


def _pieces(word: str) -> list[str]:
    """The word characters of one jieba word (punctuation and spaces are not searchable)."""
    return WORD.findall(word)


def index_text(text: str) -> str:
    """Text as the index stores it: search-mode words, space-separated."""
    if not text:
        return ""
    words = shared_tokenizer().cut_for_search(normalize(text))
    return " ".join(piece for word in words for piece in _pieces(word))


def query_terms(query: str) -> list[Term]:
    """The words of a query, each with the words inside it; [] when nothing is searchable."""
    tokenizer = shared_tokenizer()
    terms: list[Term] = []
    seen: set[str] = set()
    for word in tokenizer.cut(normalize(clean_query(query))):
        for piece in _pieces(word):
            if piece in seen:
                continue
            seen.add(piece)
            parts = tuple(
                dict.fromkeys(
                    p
                    for inner in tokenizer.cut_for_search(piece)
                    for p in _pieces(inner)
                    if p != piece
                )
            )
            terms.append(Term(piece, parts))
    meaningful = [t for t in terms if t.word not in STOP_WORDS]
    return (meaningful or terms)[:MAX_TERMS]


def _pattern(terms: list[Term]) -> re.Pattern | None:
    words = sorted({w for term in terms for w in term.all_words}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


def matches(text: str, terms: list[Term]) -> bool:
    """Whether any word of the query occurs in `text`."""
    pattern = _pattern(terms)
    return bool(text and pattern and pattern.search(normalize(text)))


def highlight(text: str, terms: list[Term], width: int = SNIPPET_WIDTH) -> Markup:
    """`text` escaped, its matches in <mark>, cut to about `width` characters around the first
    match. Built from escaped pieces: nothing of the text or the index is trusted as HTML."""
    text = text or ""
    pattern = _pattern(terms)
    normalized = normalize(text)
    found = list(pattern.finditer(normalized)) if pattern else []
    start, end = 0, len(text)
    if len(text) > width:
        first = found[0].start() if found else 0
        start = max(0, min(first - width // 3, len(text) - width))
        end = start + width
    spans: list[list[int]] = []
    for match in found:
        if match.start() < start or match.end() > end:
            continue
        if spans and match.start() <= spans[-1][1]:  # adjacent words: one mark (大额交易报告)
            spans[-1][1] = max(spans[-1][1], match.end())
        else:
            spans.append([match.start(), match.end()])
    out = [Markup("…")] if start > 0 else []
    position = start
    for left, right in spans:
        out.append(escape(text[position:left]))
        out.append(Markup("<mark>%s</mark>") % text[left:right])
        position = right
    out.append(escape(text[position:end]))
    if end < len(text):
        out.append(Markup("…"))
    return Markup("").join(out)
