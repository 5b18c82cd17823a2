"""Key phrases of a lecture: multi-word terms specific to it, returned exactly as written.

Candidates are runs of 1-4 adjacent content words (phrases.py), never across filler, counts,
placeholder names or punctuation, and the terms the lecture repeats as units of characters
(ngrams.py: 跨境理财通, 标准普尔家庭资产象限图, C3类信息), segmented on a simplified copy so
traditional text works too. Each candidate is described by measurable features (_features: how
often it is said, a burst counting once; whether it stands alone or only inside a longer
phrase; how rare its words are in general Chinese, by jieba's IDF table; how many of the
platform's other transcripts say it, the domain's everyday language; its parts of speech;
whether the speaker names, defines or introduces it (所谓X, X是指, 第二种是X。); whether its
characters hold together and are free at both ends) and scored by a logistic model:

    score = FEATURE_BIAS + sum(FEATURE_WEIGHTS[f] * feature f)  (+ GLOSSARY_BOOST)

FEATURE_WEIGHTS were fitted on the tuning lectures of bench/data and only those (`python
bench/insights.py --fit` refits and prints them); the held-out and unseen lectures of bench/data
measure them. The glossary boost is set by hand, as the tuning lectures have no glossary. The
best candidates are kept, leaving out a part of a chosen phrase that rarely occurs on its own.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from academy.insights.text.corpus import Corpus
from academy.insights.text.ngrams import Grams
from academy.insights.text.phrases import (
    IDIOM_FLAGS,
    NOUN_FLAGS,
    UNIT_JOINERS,
    Phrase,
    candidate_phrases,
    word_breaks,
)
from academy.insights.text.words import Word, cut_words, general_idf, to_simplified

#: general-language IDF of a word only jieba's HMM guessed: jieba's median (12) would rank a
#: mis-cut like 进群 or 内开 with the rarest terms
GUESSED_IDF = 9.0
#: jieba's IDF values run from about 2 (的) to 14; scaled by this to about 0..1
IDF_SCALE = 12.0
#: a word more common than this in general Chinese (jieba IDF) after a phrase said more often
#: makes a generic extension of it (银保渠道销售, 保险公司合作): the generic_tail feature
COMMON_WORD_IDF = 7.0
#: occurrences closer than this (characters) are one burst and count once (a repeated line, a
#: speaker stuck on a word): a key phrase is said across the lecture
BURST_CHARS = 20
#: words after a term that define it (X就是..., X是指...) or before it that name it
DEFINING_AFTER = ("就是", "是指", "指的是", "的意思是", "这个概念", "这个词", "呢就是", "是什么")
NAMING_BEFORE = (
    "叫做", "叫", "称为", "所谓", "所谓的", "什么叫", "什么是", "主题是", "题目是", "话题就是",
    "聊一下", "讲一下", "来讲", "来聊",
)  # fmt: skip
#: what follows a phrase that closes a clause: a pause, punctuated or not
PAUSE_CHARS = frozenset("，。、！？；：,.!?;: \t\n\u3000")
#: words before a phrase that closes a clause and is thereby named as the complement (第二种是
#: 刷单返利。 这就是打破刚性兑付。 这个就叫双录中断， 要做好风险提示， 还有特定养老储蓄，) or as
#: the second of two things (倾听和记录): in the first ten tuning lectures a candidate said so
#: after 是 was an editor's phrase two times in three, against one candidate in ten overall
COMPLEMENT_CUES = ("是", "叫", "叫做", "做", "做好", "还有", "属于", "用", "和")
#: logit added for a glossary term: the instructor's word outweighs anything the text shows
GLOSSARY_BOOST = 4.0

#: fitted by `python bench/insights.py --fit` on the tuning lectures (bench/data/*.json); each
#: feature is described in _features
FEATURE_BIAS = -8.285
FEATURE_WEIGHTS = {
    "ln_alone": 0.633,
    "once": -0.789,
    "alone_ratio": 1.146,
    "idf_mean": 1.647,
    "idf_min": 1.357,
    "corpus_share": -4.496,
    "word_share": -0.534,
    "single": -1.427,
    "nounish": 0.551,
    "all_noun": 0.482,
    "first_verb": 0.032,
    "multi_idiom": -0.579,
    "guessed": 0.722,
    "words": -0.203,
    "left_break": 0.465,
    "right_break": 1.120,
    "sup_ratio": 0.221,
    "verb_ext": -0.657,
    "generic_tail": 0.405,
    "named": 0.316,
    "defined": 0.558,
    "clause_end": 0.593,
    "complement": 2.391,
    "unit": 0.865,
    "free": 0.763,
    "joined": -2.401,
    "multi_freq": 1.359,
}


@dataclass
class _Candidate:
    """A phrase candidate of this text: how often it occurs, its features and its score."""

    phrase: Phrase
    count: int
    #: where it occurs in the simplified text
    starts: list[int] = field(default_factory=list)
    named: bool = False
    features: dict[str, float] = field(default_factory=dict)
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
    candidates = _describe(words, simple_text, corpus)
    glossary_simple = {to_simplified(term.strip()) for term in glossary if term.strip()}
    for simple, candidate in candidates.items():
        candidate.score = score(candidate.features)
        if simple in glossary_simple:
            candidate.score += GLOSSARY_BOOST
    chosen = _choose(candidates, top_k)
    return [_as_written(text, simple_text, candidate.phrase.simple) for candidate in chosen]


def candidate_features(text: str, corpus: Corpus | None = None) -> dict[str, dict[str, float]]:
    """Every candidate phrase of the text (simplified) with its features: what the model of
    FEATURE_WEIGHTS scores, and what bench/insights.py --fit fits it on."""
    words = cut_words(text)
    simple_text = "".join(word.simple for word in words)
    return {simple: c.features for simple, c in _describe(words, simple_text, corpus).items()}


def score(features: dict[str, float]) -> float:
    """The model's logit for a candidate with these features (higher: more a key phrase)."""
    return FEATURE_BIAS + sum(FEATURE_WEIGHTS[name] * features[name] for name in FEATURE_WEIGHTS)


def _describe(words: list[Word], simple_text: str, corpus: Corpus | None) -> dict[str, _Candidate]:
    """The candidates of a segmented text with their features."""
    candidates: dict[str, _Candidate] = {}
    breaks = word_breaks(words)
    grams = Grams(simple_text)
    for phrase in candidate_phrases(words, breaks, grams):
        if phrase.simple not in candidates:
            starts = _positions(simple_text, phrase.simple)
            candidates[phrase.simple] = _Candidate(phrase, len(starts), starts)
        candidates[phrase.simple].named |= phrase.named
    alone = _alone_counts(candidates)
    longest = _longest_containing(candidates)
    edges = _edges(words, breaks)
    context = _Context(simple_text, candidates, edges, grams.stats(), corpus)
    for simple, candidate in candidates.items():
        candidate.features = _features(candidate, context, alone[simple], longest[simple])
    return candidates


@dataclass
class _Context:
    """What the features of one candidate are measured against: the lecture and its other
    candidates."""

    simple_text: str
    candidates: dict[str, _Candidate]
    #: offsets where runs of content words begin and end
    edges: tuple[set[int], set[int]]
    #: the lecture's character n-grams (ngrams.Grams.stats)
    grams: dict
    corpus: Corpus | None


def _features(
    candidate: _Candidate, context: _Context, alone: int, longest: int
) -> dict[str, float]:
    """The features of one candidate (see FEATURE_WEIGHTS for their weights)."""
    phrase, count, starts = candidate.phrase, candidate.count, candidate.starts
    simple, words = phrase.simple, phrase.words
    simple_text, candidates, corpus = context.simple_text, context.candidates, context.corpus
    grams = context.grams.get(simple)
    idfs = [general_idf(word.simple) if word.known else GUESSED_IDF for word in words]
    shares = [corpus.share(word.simple) for word in words] if corpus else [0.0]
    opens, closes = context.edges
    alone = max(0, alone)
    return {
        # how often it is said on its own, a burst counting once
        "ln_alone": math.log(1 + alone * _unbursted(starts) / count),
        "once": float(count == 1),
        # the share of its occurrences outside longer repeated candidates
        "alone_ratio": alone / count,
        # how rare its words are in general Chinese
        "idf_mean": sum(idfs) / len(idfs) / IDF_SCALE,
        "idf_min": min(idfs) / IDF_SCALE,
        # the share of the platform's other transcripts that say it, or its commonest word
        "corpus_share": corpus.share(simple) if corpus else 0.0,
        "word_share": max(shares),
        # its shape: one word; ends in a noun; nouns only; opens with a verb; holds an idiom
        # among other words; holds a word only jieba's HMM guessed; how many words
        "single": float(len(words) == 1),
        "nounish": float(phrase.nounish),
        "all_noun": float(all(word.flag in NOUN_FLAGS for word in words)),
        "first_verb": float(_is_verb(words[0])),
        "multi_idiom": float(len(words) > 1 and any(w.flag in IDIOM_FLAGS for w in words)),
        "guessed": float(any(not word.known for word in words)),
        "words": float(len(words)),
        # the share of its occurrences that begin (end) where a run of content words does: a
        # unit of its own rather than a slice of a longer one
        "left_break": sum(1 for s in starts if s in opens) / count,
        "right_break": sum(1 for s in starts if s + len(simple) in closes) / count,
        # how often the commonest longer candidate holding it occurs, relative to it
        "sup_ratio": longest / count,
        # a verb before a candidate said more often (列入关注名单, 提交可疑交易报告)
        "verb_ext": float(_verb_extension(words, count, candidates)),
        # a candidate said more often with a common word after it (信用卡分期业务)
        "generic_tail": float(_generic_tail(words, count, candidates)),
        # a whole list item or a named term (叫做X, 第二种是X), or one defined (X就是...)
        "named": float(candidate.named),
        "defined": float(_defined(simple_text, simple, starts)),
        # the share of its occurrences that close a clause (a pause follows), and whether one
        # does after 是 (第二种是刷单返利。): how a lecture names its terms
        "clause_end": sum(1 for s in starts if _pause_after(simple_text, s + len(simple))) / count,
        "complement": float(_complement(simple_text, simple, starts)),
        # the lecture's characters: repeated as a unit (cohesive, free at both ends:
        # ngrams.py), and how free its ends are (the smaller branching entropy over the most
        # it could be, every neighbour different: 0..1)
        "unit": float(grams is not None and grams.unit),
        "free": min(grams.left, grams.right) / math.log(grams.count) if grams else 0.0,
        # two things joined by 和/与/及 (账户和鉴别信息, 结汇和购汇)
        "joined": float(any(word.simple in UNIT_JOINERS for word in words[1:-1])),
        # how often a phrase of several words is said: one said often is a term of the
        # lecture, a single word said often is as likely its everyday language (客户, 产品)
        "multi_freq": math.log(1 + count) * (len(words) > 1),
    }


def _is_verb(word: Word) -> bool:
    return word.flag.startswith("v") and word.flag != "vn"


def _unbursted(starts: list[int]) -> int:
    """How many occurrences remain when those within BURST_CHARS of the last kept one merge."""
    kept, last = 0, -BURST_CHARS
    for start in starts:
        if start - last >= BURST_CHARS:
            kept, last = kept + 1, start
    return kept


def _edges(words: list[Word], broken: list[bool]) -> tuple[set[int], set[int]]:
    """Offsets where a run of content words begins, and where one ends."""
    opens, closes = set(), set()
    for index, word in enumerate(words):
        if broken[index]:
            continue
        if index == 0 or broken[index - 1]:
            opens.add(word.start)
        if index + 1 == len(words) or broken[index + 1]:
            closes.add(word.end)
    return opens, closes


def _verb_extension(words: tuple[Word, ...], count: int, candidates: dict) -> bool:
    """Whether the phrase is a verb before a candidate said more often than the phrase."""
    if len(words) < 2 or not _is_verb(words[0]):
        return False
    rest = candidates.get("".join(word.simple for word in words[1:]))
    return rest is not None and rest.count > count


def _generic_tail(words: tuple[Word, ...], count: int, candidates: dict) -> bool:
    """Whether the phrase is a candidate said more often, then a common word or a verb."""
    if len(words) < 2:
        return False
    last = words[-1]
    body = candidates.get("".join(word.simple for word in words[:-1]))
    common = general_idf(last.simple) < COMMON_WORD_IDF or last.flag.startswith("v")
    return body is not None and body.count > count and common


def _defined(simple_text: str, simple: str, starts: list[int]) -> bool:
    """Whether the speaker defines or names the phrase somewhere (X就是..., 所谓X)."""
    for start in starts:
        after = simple_text[start + len(simple) : start + len(simple) + 8].lstrip("，, ")
        before = simple_text[max(0, start - 6) : start]
        if after.startswith(DEFINING_AFTER) or before.endswith(NAMING_BEFORE):
            return True
    return False


def _pause_after(simple_text: str, end: int) -> bool:
    return end >= len(simple_text) or simple_text[end] in PAUSE_CHARS


def _complement(simple_text: str, simple: str, starts: list[int]) -> bool:
    """Whether the phrase closes a clause right after 是, 叫 ... somewhere (第三步是调查核实，)."""
    return any(
        simple_text[max(0, start - 3) : start].rstrip(" ").endswith(COMPLEMENT_CUES)
        and _pause_after(simple_text, start + len(simple))
        for start in starts
    )


def _positions(haystack: str, needle: str) -> list[int]:
    found = []
    start = haystack.find(needle)
    while start >= 0:
        found.append(start)
        start = haystack.find(needle, start + len(needle))
    return found


def _parts(simple: str) -> set[str]:
    """Every proper substring of a phrase of two characters or more."""
    return {
        simple[i:j]
        for i in range(len(simple))
        for j in range(i + 2, len(simple) + 1)
        if j - i < len(simple)
    }


def _longest_containing(candidates: dict[str, _Candidate]) -> dict[str, int]:
    """For each candidate, the count of the commonest longer candidate that contains it."""
    longest = dict.fromkeys(candidates, 0)
    for simple, candidate in candidates.items():
        for part in _parts(simple):
            if part in longest:
                longest[part] = max(longest[part], candidate.count)
    return longest


def _alone_counts(candidates: dict[str, _Candidate]) -> dict[str, int]:
    """How often each candidate occurs outside the longer repeated candidates that contain it."""
    covered: dict[str, set[int]] = {simple: set() for simple in candidates}
    for longer, candidate in candidates.items():
        if candidate.count < 2:
            continue
        for i in range(len(longer)):
            for j in range(i + 1, len(longer) + 1):
                part = longer[i:j]
                if part != longer and part in covered:
                    covered[part].update(start + i for start in candidate.starts)
    return {
        simple: candidate.count - len(covered[simple].intersection(candidate.starts))
        for simple, candidate in candidates.items()
    }


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
    forms = Counter(text[start : start + len(simple)] for start in _positions(simple_text, simple))
    return forms.most_common(1)[0][0]
