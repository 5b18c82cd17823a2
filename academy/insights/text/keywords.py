"""Key phrases of a lecture: multi-word terms specific to it, returned exactly as written."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from academy.insights.text.corpus import Corpus
from academy.insights.text.phrases import Phrase, candidate_phrases
from academy.insights.text.words import (
    background,
    cut_words,
    general_idf,
    general_idf_table,
    to_simplified,
)

#: general-language IDF that a generic word (客户, 产品) counts with, whatever jieba says
GENERIC_IDF = 3.0
#: jieba's IDF values run from about 2 (的) to 14; scaled by this to about 0..1
IDF_SCALE = 12.0
GLOSSARY_BOOST = 3.0


@dataclass
class _Candidate:
    phrase: Phrase
    count: int
    score: float = 0.0


def extract_keywords(
    text: str,
    *,
    corpus: Corpus | None = None,
    glossary: Sequence[str] = (),
    top_k: int = 20,
) -> list[str]:
    """About top_k key phrases of the text, best first, each exactly as written in the text."""
    words = cut_words(text, glossary)
    simple_text = "".join(word.simple for word in words)
    glossary_simple = {to_simplified(term.strip()) for term in glossary if term.strip()}
    candidates: dict[str, _Candidate] = {}
    for phrase in candidate_phrases(words):
        if phrase.simple not in candidates:
            candidates[phrase.simple] = _Candidate(phrase, simple_text.count(phrase.simple))
    for candidate in candidates.values():
        candidate.score = _score(candidate, corpus, glossary_simple)
    chosen = _choose(candidates, top_k)
    return [_as_written(text, simple_text, candidate.phrase.simple) for candidate in chosen]


def _general_specificity(phrase: Phrase) -> float:
    """How rare the phrase's words are in general Chinese, 0..~1."""
    generic = background().generic
    values = [
        min(general_idf(word.simple), GENERIC_IDF) if word.simple in generic else general_idf(word.simple)
        for word in phrase.words
    ]
    # The rarest word says most about a term, but a phrase of common words is still common.
    value = 0.5 * max(values) + 0.5 * sum(values) / len(values)
    whole = general_idf_table()[0].get(phrase.simple)
    if whole is not None and len(phrase.words) > 1:
        value = max(value, whole)
    return min(value / IDF_SCALE, 1.2)


def _score(candidate: _Candidate, corpus: Corpus | None, glossary: set[str]) -> float:
    phrase = candidate.phrase
    specificity = _general_specificity(phrase)
    if corpus is not None:
        specificity *= 0.3 + 0.7 * corpus.specificity(phrase.simple)
    frequency = candidate.count ** 0.7
    if candidate.count < 2:
        frequency *= 0.5
    length = math.log2(1 + len(phrase.simple))
    kind = 1.0 if phrase.nounish else 0.7
    boost = GLOSSARY_BOOST if phrase.simple in glossary else 1.0
    return frequency * specificity * length * kind * boost


def _choose(candidates: dict[str, _Candidate], top_k: int) -> list[_Candidate]:
    """The best candidates, leaving out parts of chosen phrases that rarely occur alone."""
    ranked = sorted(candidates.values(), key=lambda c: (-c.score, -len(c.phrase.simple)))
    chosen: list[_Candidate] = []
    for candidate in ranked:
        if len(chosen) >= top_k:
            break
        simple = candidate.phrase.simple
        inside = [c for c in chosen if simple in c.phrase.simple]
        alone = candidate.count - sum(c.count for c in inside)
        if inside and alone < 2:
            continue
        chosen.append(candidate)
    return chosen


def _as_written(text: str, simple_text: str, simple: str) -> str:
    """The most common way the phrase is written in the original text."""
    forms: Counter[str] = Counter()
    start = simple_text.find(simple)
    while start >= 0:
        forms[text[start : start + len(simple)]] += 1
        start = simple_text.find(simple, start + len(simple))
    return forms.most_common(1)[0][0]
