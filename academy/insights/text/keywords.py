"""Key phrases of a lecture: multi-word terms specific to it, returned exactly as written.

Candidates are runs of 1-4 adjacent content words (phrases.py), never across filler or
punctuation, segmented on a simplified copy so traditional text works too. Each is scored

    (1 + ln count) x specificity x log2(1 + length) x shape x boosts

where specificity is how rare its words are in general Chinese (jieba's IDF table) times how
rare the phrase is in the platform's other transcripts (Corpus); shape demotes phrases said once
that look like clauses rather than terms; boosts favour glossary terms and terms the speaker
names (叫做X, 第二种是X, X、Y). A candidate that occurs almost only inside a longer repeated one
(尽职 in 尽职调查) is dropped, as is a chosen phrase's part that rarely occurs alone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from academy.insights.text.corpus import Corpus
from academy.insights.text.phrases import IDIOM_FLAGS, NOUN_FLAGS, Phrase, candidate_phrases
from academy.insights.text.words import (
    Word,
    cut_words,
    general_idf,
    general_idf_table,
    to_simplified,
)

#: general-language IDF of a word only jieba's HMM guessed: jieba's median (12) would rank a
#: mis-cut like 进群 or 内开 with the rarest terms
GUESSED_IDF = 9.0
#: jieba's IDF values run from about 2 (的) to 14; scaled by this to about 0..1
IDF_SCALE = 12.0
GLOSSARY_BOOST = 3.0
#: a whole list item (、) or the term right after 叫做 is usually a term
NAMED_BOOST = 1.5
ONCE_PREDICATE_FACTOR = 0.4
ONCE_EXTENSION_FACTOR = 0.3
ONCE_GUESSED_FACTOR = 0.5
#: verbs more common than this (jieba IDF) inside a phrase make it a clause
COMMON_VERB_IDF = 7.0
#: a single word this common in general Chinese (jieba IDF) counts for little on its own
SINGLE_WORD_IDF_FLOOR = 6.0


@dataclass
class _Candidate:
    """A phrase candidate of this text: how often it occurs and how it scores."""

    phrase: Phrase
    count: int
    named: bool = False
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
        candidates[phrase.simple].named |= phrase.named
    alone = _alone_counts(simple_text, candidates)
    for simple, candidate in candidates.items():
        candidate.score = _score(candidate, corpus, glossary_simple)
        if candidate.count == 1 and _extends_repeated_phrase(candidate.phrase, candidates):
            # 风险承受能力发生, 有效期就要重新: a repeated term with a verb said once around it.
            candidate.score *= ONCE_EXTENSION_FACTOR
        # A part of a longer repeated phrase (尽职 in 尽职调查) is not a term by itself.
        if simple not in glossary_simple and _absorbed(candidate.count, alone[simple]):
            candidate.score = 0.0
    chosen = _choose(candidates, top_k)
    return [_as_written(text, simple_text, candidate.phrase.simple) for candidate in chosen]


def _general_specificity(phrase: Phrase) -> float:
    """How rare the phrase's words are in general Chinese, 0..~1."""
    values = [general_idf(word.simple) if word.known else GUESSED_IDF for word in phrase.words]
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
    if len(phrase.words) == 1:
        # A single everyday word (情绪, 满意) is rarely a key phrase; a rare one (复盘, 止盈) is.
        idf = general_idf(phrase.simple)
        specificity *= min(1.0, max(0.1, (idf - SINGLE_WORD_IDF_FLOOR) / 4))
    frequency = 1 + math.log(candidate.count)
    length = math.log2(1 + len(phrase.simple))
    kind = 1.0 if phrase.nounish else 0.75
    if candidate.count == 1 and not candidate.named:
        if not _looks_like_term(phrase):
            # Said once, a verb phrase (考虑年金险, 实行首问负责制) is a predicate, not a term.
            kind *= ONCE_PREDICATE_FACTOR
        if not phrase.words[-1].known:
            # A word only jieba's HMM guessed, said once, is as often a mis-cut (填高, 进群) as
            # a term; at the end of a phrase it usually is the mis-cut part.
            kind *= ONCE_GUESSED_FACTOR
    boost = GLOSSARY_BOOST if phrase.simple in glossary else 1.0
    if candidate.named and _looks_like_term(phrase):
        boost *= NAMED_BOOST
    return frequency * specificity * length * kind * boost


def _looks_like_term(phrase: Phrase) -> bool:
    """Whether a phrase is shaped like a term rather than a clause (考虑年金险, 客户投入资金)."""
    words = phrase.words
    if not phrase.nounish:
        return False
    if len(words) == 1:
        return True
    rest = words[1:]
    # A verb + one short noun is often a term (拆分交易, 继承纠纷); a verb + a phrase is a
    # predicate (遇到继承纠纷, 实行首问负责制).
    if _is_verb(words[0]) and (len(rest) > 1 or len(rest[0].simple) > 2):
        return False
    # A common verb inside (转移, 投入) makes a clause; a rare one (减除, 尽职) a term.
    return not any(
        _is_verb(word) and general_idf(word.simple) < COMMON_VERB_IDF for word in words[1:-1]
    )


def _is_verb(word: Word) -> bool:
    return word.flag.startswith("v") and word.flag != "vn"


def _extends_repeated_phrase(phrase: Phrase, candidates: dict[str, _Candidate]) -> bool:
    """Whether the phrase is a repeated candidate plus words that are not nouns."""
    words = phrase.words
    for cut in range(1, len(words)):
        for core, extra in ((words[:cut], words[cut:]), (words[cut:], words[:cut])):
            known = candidates.get("".join(word.simple for word in core))
            nouns = [w for w in extra if w.known and w.flag in NOUN_FLAGS - IDIOM_FLAGS]
            if known and known.count > 1 and not nouns:
                return True
    return False


def _absorbed(count: int, alone: int) -> bool:
    """Whether a phrase occurs almost only inside longer repeated phrases."""
    return alone < count and (alone < 2 or alone < 0.25 * count)


def _positions(haystack: str, needle: str) -> list[int]:
    found = []
    start = haystack.find(needle)
    while start >= 0:
        found.append(start)
        start = haystack.find(needle, start + len(needle))
    return found


def _alone_counts(simple_text: str, candidates: dict[str, _Candidate]) -> dict[str, int]:
    """How often each candidate occurs outside the longer repeated candidates that contain it."""
    covered: dict[str, set[int]] = {simple: set() for simple in candidates}
    for longer, candidate in candidates.items():
        if candidate.count < 2:
            continue
        starts = _positions(simple_text, longer)
        for i in range(len(longer)):
            for j in range(i + 1, len(longer) + 1):
                part = longer[i:j]
                if part != longer and part in covered:
                    covered[part].update(start + i for start in starts)
    return {
        simple: candidate.count - len(covered[simple].intersection(_positions(simple_text, simple)))
        for simple, candidate in candidates.items()
    }


def _choose(candidates: dict[str, _Candidate], top_k: int) -> list[_Candidate]:
    """The best candidates, leaving out parts of chosen phrases that rarely occur alone."""
    ranked = sorted(candidates.values(), key=lambda c: (-c.score, -len(c.phrase.simple)))
    chosen: list[_Candidate] = []
    for candidate in ranked:
        if len(chosen) >= top_k or candidate.score <= 0:
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
    forms = Counter(text[start : start + len(simple)] for start in _positions(simple_text, simple))
    return forms.most_common(1)[0][0]
