"""Phrase candidates: runs of adjacent content words, never across filler words or punctuation."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from academy.insights.text.words import NUMERALS, Word, background

#: POS tags of function words (pronouns, conjunctions, prepositions, particles, interjections)
FUNCTION_FLAGS = frozenset({"r", "rr", "rz", "c", "p", "y", "e", "o", "x", "w"})
#: a one-character word with these tags cannot begin or end a phrase (adverbs, directions ...)
WEAK_EDGE_FLAGS = frozenset({"d", "f", "q", "m", "t", "s", "p", "c", "r", "u", "v"})
#: tags of nouns and noun-like words, which make the best key phrases
NOUN_FLAGS = frozenset({"n", "nz", "nt", "ns", "nr", "nrt", "nw", "vn", "an", "j", "l", "i", "eng"})
#: idioms and set phrases: a term on their own (追涨杀跌), a clause when added to a term
#: (高风险客户拒之门外); jieba also tags noun compounds l (共同财产), so only i ends a phrase's
#: noun-ness
IDIOM_FLAGS = frozenset({"l", "i"})
#: second characters of verb + complement words (停掉, 买到, 设得): never a term on their own
COMPLEMENT_CHARS = frozenset("掉到得过给完住着了好起")
#: endings of longer verb + complement words (解释一下, 讲明白, 拿出来)
COMPLEMENT_ENDINGS = ("一下", "一遍", "清楚", "明白", "出来", "下去", "起来", "进去")
#: words right before a term that an instructor is naming (叫做双十原则, 所谓的...)
NAMING_CUES = frozenset({"叫", "叫做", "称为", "称作", "所谓", "就叫", "即"})
#: an ordinal before 是 opens a list item (第二种是刷单返利, 首先是重疾险)
ORDINAL = re.compile(
    r"^(第[一二三四五六七八九十\d]+[个种类步点项条]?|[一二三四五]|首先|其次|然后|最后)$"
)
#: one-character prefixes that begin terms (反洗钱, 非柜面, 涉案): fine at a phrase's start
TERM_PREFIXES = frozenset("反非超准副总伪涉防")
#: separators of an enumeration (子女教育、继续教育、大病医疗): each item is usually a term
LIST_MARKS = frozenset("、")
MAX_PHRASE_WORDS = 4
MAX_PHRASE_CHARS = 10
CONTENT_CHAR = re.compile(r"[\u3400-\u9fffA-Za-z]")
NUMBER = re.compile(r"^[\d.%零〇一二三四五六七八九十百千万亿两几半多余第点]+$")
AMOUNT = re.compile(
    r"^[\d零〇一二三四五六七八九十百千万亿两几半好]+[块钱元角毛份个次笔年月天岁倍号周位家]+$"
)


@dataclass(frozen=True)
class Phrase:
    """A candidate phrase: adjacent words of one run, in simplified characters."""

    simple: str
    words: tuple[Word, ...]
    #: the phrase is a whole list item or a term being named (叫做X, 第二种是X, 什么是X)
    named: bool = False

    @property
    def nounish(self) -> bool:
        """Whether the phrase ends in a noun-like word (terms usually do), not in an idiom."""
        last = self.words[-1].flag
        return last in NOUN_FLAGS and (len(self.words) == 1 or last != "i")


def is_break(word: Word) -> bool:
    """Whether a phrase must stop at this word (punctuation, filler, function word, number)."""
    if not CONTENT_CHAR.search(word.simple):
        return True
    if word.simple in background().filler:
        return True
    if word.flag in FUNCTION_FLAGS or word.flag.startswith("u"):
        return True
    if word.simple.isascii() and any(char.isdigit() for char in word.simple):
        return True  # codes and figures (R1, 2024, 5G) are not terms
    # Amounts and counts (一千, 三年, 一块钱) are not terms; 双十原则 still is.
    return bool(NUMBER.match(word.simple) or AMOUNT.match(word.simple)) or (
        word.flag.startswith("m") and word.simple[0] in NUMERALS
    )


def content_runs(words: Sequence[Word]) -> Iterator[tuple[list[Word], bool]]:
    """Maximal runs of words between breaks, each with whether it is named or listed."""
    run: list[Word] = []
    breaks_before: list[str] = []
    for index, word in enumerate(words):
        if is_break(word):
            if run:
                after = [w.simple for w in words[index : index + 3] if w.simple.strip()]
                yield run, _is_named(breaks_before[-2:], after[:2])
            run = []
            if word.simple.strip():
                breaks_before.append(word.simple)
        else:
            if not run:
                breaks_before = breaks_before[-2:]
            run.append(word)
    if run:
        yield run, _is_named(breaks_before[-2:], [])


def _is_named(before: list[str], after: list[str]) -> bool:
    """Whether a run is a term being named: 叫做X, 什么是X, 第二种是X, X、Y, X是什么."""
    last = before[-1] if before else ""
    earlier = before[-2] if len(before) > 1 else ""
    if last in NAMING_CUES or last[-1:] in LIST_MARKS or after[:1] and after[0][:1] in LIST_MARKS:
        return True
    if last == "是" and (earlier == "什么" or ORDINAL.match(earlier)):
        return True
    return after == ["是", "什么"]


def _weak_edge(word: Word, *, first: bool = False) -> bool:
    if first and word.simple in TERM_PREFIXES:
        return False
    return len(word.simple) == 1 and word.flag[:1] in WEAK_EDGE_FLAGS


def _is_verb_complement(span: tuple[Word, ...]) -> bool:
    word = span[0]
    if len(span) > 1:
        return False
    short = (
        word.flag.startswith("v") and len(word.simple) == 2 and word.simple[1] in COMPLEMENT_CHARS
    )
    return short or word.simple.endswith(COMPLEMENT_ENDINGS)


def candidate_phrases(words: Sequence[Word]) -> Iterator[Phrase]:
    """Every phrase candidate (with repeats): 1-4 adjacent content words, 2-10 characters."""
    shipped = background()
    for run, named in content_runs(words):
        for i in range(len(run)):
            if _weak_edge(run[i], first=True):
                continue
            for j in range(i + 1, min(len(run), i + MAX_PHRASE_WORDS) + 1):
                span = tuple(run[i:j])
                simple = "".join(word.simple for word in span)
                if len(simple) > MAX_PHRASE_CHARS:
                    break
                last = span[-1]
                if len(simple) < 2 or _weak_edge(last) or _is_verb_complement(span):
                    continue
                # An adverb cannot close a term, nor can a guessed word glued to the next
                # character (资金快进快 from a mis-cut 快/进快/出).
                if last.flag == "d" and len(span) > 1:
                    continue
                if not last.known and j < len(run) and len(run[j].simple) == 1:
                    continue
                if simple in shipped.generic or simple in shipped.filler:
                    continue  # 理财经理 is generic even when cut as 理财 + 经理
                yield Phrase(simple, span, named=named and i == 0 and j == len(run))
