"""Phrase candidates: runs of adjacent content words, never across filler words or punctuation."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from academy.insights.text.words import Word, background

#: POS tags of function words (pronouns, conjunctions, prepositions, particles, interjections)
FUNCTION_FLAGS = frozenset({"r", "rr", "rz", "c", "p", "y", "e", "o", "x", "w", "zg", "uj"})
#: a one-character word with these tags cannot begin or end a phrase (adverbs, directions ...)
WEAK_EDGE_FLAGS = frozenset({"d", "f", "q", "m", "t", "s", "p", "c", "r", "u"})
#: tags of nouns and noun-like words, which make the best key phrases
NOUN_FLAGS = frozenset({"n", "nz", "nt", "ns", "nr", "nrt", "nw", "vn", "an", "j", "l", "i", "eng"})
MAX_PHRASE_WORDS = 4
MAX_PHRASE_CHARS = 10
CONTENT_CHAR = re.compile(r"[\u3400-\u9fffA-Za-z]")
NUMBER = re.compile(r"^[\d.%零〇一二三四五六七八九十百千万亿两几半多余第]+$")


@dataclass(frozen=True)
class Phrase:
    """A candidate phrase: adjacent words of one run, in simplified characters."""

    simple: str
    words: tuple[Word, ...]

    @property
    def nounish(self) -> bool:
        """Whether the phrase ends in a noun-like word (terms usually do)."""
        return self.words[-1].flag in NOUN_FLAGS


def is_break(word: Word) -> bool:
    """Whether a phrase must stop at this word (punctuation, filler, function word, number)."""
    if not CONTENT_CHAR.search(word.simple):
        return True
    if word.simple in background().filler:
        return True
    if word.flag in FUNCTION_FLAGS or word.flag.startswith("u"):
        return True
    return bool(NUMBER.match(word.simple))


def content_runs(words: Sequence[Word]) -> Iterator[list[Word]]:
    """Maximal runs of words between breaks."""
    run: list[Word] = []
    for word in words:
        if is_break(word):
            if run:
                yield run
            run = []
        else:
            run.append(word)
    if run:
        yield run


def _weak_edge(word: Word, *, first: bool) -> bool:
    if len(word.simple) > 1:
        return False
    # A one-character verb may open a term (免赔额, 获客期) but not close one (存现金 is fine, 转 is not).
    return word.flag[:1] in WEAK_EDGE_FLAGS or (not first and word.flag == "v")


def candidate_phrases(words: Sequence[Word]) -> Iterator[Phrase]:
    """Every phrase candidate (with repeats): 1-4 adjacent content words, 2-10 characters."""
    generic = background().generic
    for run in content_runs(words):
        for i in range(len(run)):
            if _weak_edge(run[i], first=True):
                continue
            for j in range(i + 1, min(len(run), i + MAX_PHRASE_WORDS) + 1):
                span = tuple(run[i:j])
                simple = "".join(word.simple for word in span)
                if len(simple) > MAX_PHRASE_CHARS:
                    break
                if len(simple) < 2 or _weak_edge(span[-1], first=False):
                    continue
                if len(span) == 1 and simple in generic:
                    continue
                yield Phrase(simple, span)
