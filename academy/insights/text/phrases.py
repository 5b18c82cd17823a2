"""Phrase candidates: runs of adjacent content words, never across filler words or punctuation.

What breaks a run is decided by part of speech and patterns, not by a list of the filler seen in
some lecture: function words (jieba tags r, c, p, u ...), counts and ordinals (a numeral with
a measure word: 三个, 一堂课, 第三周, 这张图), placeholder names (张三, 李四, 小王), times relative
to now (上节, 本周), the closed class of spoken discourse words (data/background.txt, under
# filler), and the nouns a lecture uses to count its own parts (三个维度, 第二个方面:
structural_nouns). Terms the lecture repeats as units of characters (ngrams.py: 跨境理财通,
北向通, 标准普尔家庭资产象限图, C3类信息, 账户和鉴别信息) are candidates too, across what
segmentation and these rules would cut, when they are whole words of the segmentation and hold
no filler.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from academy.insights.text.clean import ACRONYM
from academy.insights.text.ngrams import Grams
from academy.insights.text.words import (
    DEICTIC_CHARS,
    FUNCTION_CHARS,
    MEASURE_CHARS,
    NUMERALS,
    SUFFIX_FLAG,
    Word,
    background,
    general_idf,
)

#: POS tags of function words (pronouns, conjunctions, prepositions, particles, interjections)
FUNCTION_FLAGS = frozenset({"r", "rr", "rz", "c", "p", "y", "e", "o", "x", "w"})
#: a one-character word with these tags cannot begin or end a phrase (adverbs, directions ...)
WEAK_EDGE_FLAGS = frozenset({"d", "f", "q", "m", "t", "s", "p", "c", "r", "u", "v"})
#: tags of nouns and noun-like words, which make the best key phrases
NOUN_FLAGS = frozenset(
    {"n", "nz", "nt", "ns", "nr", "nrt", "nw", "vn", "an", "j", "l", "i", "eng", SUFFIX_FLAG}
)
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
#: a one-word key phrase must be at least this rare in general Chinese (jieba's IDF): 意味着 (5.8),
#: 也就是说 (6.7) and 问题 (4.0) are everyday words; the single-word terms of our lectures (结汇,
#: 止盈, 复盘, 委托人) are all above 8
SINGLE_WORD_MIN_IDF = 7.0
#: a noun a lecture counts this often, at least this share of the times it says it (三个维度,
#: 第二个方面, 几个阶段), is the scaffolding of the talk, not its subject
STRUCTURAL_MIN_COUNT = 3
STRUCTURAL_COUNTED_SHARE = 0.5
#: a common verb (general IDF under SINGLE_WORD_MIN_IDF) said this often, before a different
#: word at least this share of the times, opens clauses (意味着X, 发现Y), not terms
OPERATOR_MIN_COUNT = 3
OPERATOR_FOLLOWERS = 0.75
#: ... and that seldom closes a run (at most this share of the times): one that often does is a
#: noun jieba tags as a verb (客户的需求， 需求诊断; 手续费收入)
OPERATOR_MAX_CLOSING = 0.2
MAX_PHRASE_WORDS = 4
MAX_PHRASE_CHARS = 10
#: words that join two terms into one the lecture repeats as a unit (账户和鉴别信息, 回访和归档)
UNIT_JOINERS = frozenset("和与及")
#: filler words that may open a unit the lecture repeats (无业务背景查询, 非居民金融账户)
UNIT_PREFIXES = frozenset("无非未")
#: a unit opened or closed by a one-character word that cannot open or close a run (月 of 月供,
#: 通 of 北向通, 行 of 合作行) must be said this often: said twice, 客户签 and 净值跌 are clauses
WEAK_END_MIN_COUNT = 3
CONTENT_CHAR = re.compile(r"[\u3400-\u9fffA-Za-z]")
NUMBER = re.compile(r"^[\d.%零〇一二三四五六七八九十百千万亿两几半多余第点]+$")
AMOUNT = re.compile(
    r"^[\d零〇一二三四五六七八九十百千万亿两几半好]+[块钱元角毛份个次笔年月天岁倍号周位家]+$"
)
_NUMERAL_CLASS = "".join(sorted(NUMERALS))
_MEASURE_CLASS = "".join(sorted(MEASURE_CHARS))
#: a count or an ordinal: numeral + measure word (三个, 一堂课, 两套) or 第 + numeral (第三周,
#: 第一节); 双十原则 and 分批止盈 have no measure word and stay terms
COUNTING = re.compile(rf"^(第[{_NUMERAL_CLASS}]|[{_NUMERAL_CLASS}]+[{_MEASURE_CLASS}])")
#: the most common Chinese surnames, for placeholder names
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤"
)
#: placeholder names of examples (张三, 李四, 王五) and familiar ones (小王, 老李)
PLACEHOLDER_NAME = re.compile(rf"^([{SURNAMES}][一二三四五六七八九十]|[小老][{SURNAMES}])$")


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


def is_filler(simple: str) -> bool:
    """A spoken filler word (background list), one made of two (一般来讲, 总的来说), or a filler
    character before 是 (像是, 而是). Two one-character fillers alone make a content word as
    often as not (大额, 份额, 条件)."""
    filler = background().filler
    if simple in filler or (len(simple) == 2 and simple[1] == "是" and simple[0] in filler):
        return True
    return len(simple) > 2 and any(
        simple[:cut] in filler and simple[cut:] in filler for cut in range(1, len(simple))
    )


def is_counting(word: Word) -> bool:
    """Whether a word counts or orders things (三个, 一堂课, 第三周, a measure word alone)."""
    return word.flag in ("q", "mq") or bool(COUNTING.match(word.simple))


def is_break(word: Word, structural: frozenset[str] = frozenset()) -> bool:
    """Whether a phrase must stop at this word: punctuation, filler, a function word, a number
    or count, a placeholder name, a time relative to now, or one of the lecture's structural
    nouns. A glossary term never is one."""
    if word.glossary:
        return False
    if not CONTENT_CHAR.search(word.simple) or word.simple in structural:
        return True
    if is_filler(word.simple) or is_counting(word) or PLACEHOLDER_NAME.match(word.simple):
        return True
    if word.flag == "t" and word.simple[0] in DEICTIC_CHARS:
        return True  # 上节, 本周, 今年: when, not what
    if word.flag in FUNCTION_FLAGS or word.flag.startswith("u"):
        return True
    if word.simple.isascii() and any(char.isdigit() for char in word.simple):
        return True  # codes and figures (R1, 2024, 5G) are not terms
    # Amounts and counts (一千, 三年, 一块钱) are not terms; 双十原则 still is.
    return bool(NUMBER.match(word.simple) or AMOUNT.match(word.simple)) or (
        word.flag.startswith("m") and word.simple[0] in NUMERALS
    )


def structural_nouns(words: Sequence[Word]) -> frozenset[str]:
    """The nouns this lecture mostly counts (三个维度, 第二个方面, 几个部分): the speaker's
    scaffolding, learned from how the text itself uses them."""
    said: Counter[str] = Counter()
    counted: Counter[str] = Counter()
    previous: Word | None = None
    code = False  # the word before previous is a code: C3 + 类 + 信息 names a class
    for word in words:
        if not word.simple.strip():
            continue
        if len(word.simple) > 1 and word.flag in NOUN_FLAGS and not word.glossary:
            said[word.simple] += 1
            if previous is not None and is_counting(previous) and not code:
                counted[word.simple] += 1
        code = previous is not None and _code(previous)
        previous = word
    return frozenset(
        noun
        for noun, count in said.items()
        if count >= STRUCTURAL_MIN_COUNT and counted[noun] >= STRUCTURAL_COUNTED_SHARE * count
    )


def content_runs(
    words: Sequence[Word], breaks: Sequence[bool] | None = None
) -> Iterator[tuple[list[Word], bool]]:
    """Maximal runs of words between breaks, each with whether it is named or listed (breaks:
    is_break of each word, when the caller has them)."""
    run: list[Word] = []
    breaks_before: list[str] = []
    if breaks is None:
        breaks = word_breaks(words)
    for index, word in enumerate(words):
        if breaks[index]:
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
    if word.flag == SUFFIX_FLAG:
        return first  # 率 ends 替代率 and begins nothing
    return len(word.simple) == 1 and word.flag[:1] in WEAK_EDGE_FLAGS


def _is_verb_complement(span: tuple[Word, ...]) -> bool:
    word = span[0]
    if len(span) > 1:
        return False
    short = (
        word.flag.startswith("v") and len(word.simple) == 2 and word.simple[1] in COMPLEMENT_CHARS
    )
    return not word.glossary and (short or word.simple.endswith(COMPLEMENT_ENDINGS))


def word_breaks(words: Sequence[Word]) -> list[bool]:
    """is_break of each word with the lecture's structural nouns; a one-character noun right
    after a count belongs to the count (张 + 图 of 这张图, 课 of 第一节课)."""
    structural = structural_nouns(words)
    breaks = [is_break(word, structural) for word in words]
    previous: Word | None = None
    for index, word in enumerate(words):
        if not word.simple.strip():
            continue
        if previous is not None and is_counting(previous) and len(word.simple) == 1:
            breaks[index] = breaks[index] or not word.glossary
        previous = word
    return breaks


def operator_verbs(words: Sequence[Word]) -> frozenset[str]:
    """Common verbs this lecture puts before many different words (意味着, 需要, 发现): they
    open a clause, so a phrase never begins with one."""
    said: Counter[str] = Counter()
    closing: Counter[str] = Counter()
    followers: dict[str, set[str]] = {}
    spoken = [word for word in words if word.simple.strip()]
    for word, after in zip(spoken, spoken[1:], strict=False):
        if _is_common_verb(word):
            said[word.simple] += 1
            followers.setdefault(word.simple, set()).add(after.simple)
            closing[word.simple] += _closes(after)
    return frozenset(
        verb
        for verb, count in said.items()
        if count >= OPERATOR_MIN_COUNT
        and len(followers[verb]) >= OPERATOR_FOLLOWERS * count
        and closing[verb] <= OPERATOR_MAX_CLOSING * count
    )


def _closes(after: Word) -> bool:
    """Whether a word ends the run before it: punctuation, a function word or filler."""
    function = after.flag in FUNCTION_FLAGS or after.flag.startswith("u")
    return not CONTENT_CHAR.search(after.simple) or function or is_filler(after.simple)


def _is_common_verb(word: Word) -> bool:
    verb = word.flag.startswith("v") and word.flag != "vn" and not word.glossary
    return verb and general_idf(word.simple) < SINGLE_WORD_MIN_IDF


def candidate_phrases(
    words: Sequence[Word], breaks: Sequence[bool] | None = None, grams: Grams | None = None
) -> Iterator[Phrase]:
    """Every phrase candidate (with repeats): 1-4 adjacent content words, 2-10 characters, and
    the units the lecture repeats (unit_phrases)."""
    if breaks is None:
        breaks = word_breaks(words)
    operators = operator_verbs(words)
    for run, named in content_runs(words, breaks):
        for i in range(len(run)):
            if _weak_edge(run[i], first=True) or run[i].simple in operators:
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
                # 期内, 以后, 之外 look back at the words before them: a term does not run on
                # past a locality word (冷静期内客户).
                if any(word.flag == "f" for word in span[1:]):
                    continue
                if is_filler(simple) or (len(span) == 1 and _too_common(last)):
                    continue
                if _repeats_a_word(span):
                    continue  # 私募基金私募: a speaker (or Whisper) repeating, not a term
                yield Phrase(simple, span, named=named and i == 0 and j == len(run))
    yield from unit_phrases(words, breaks, grams)


def unit_phrases(
    words: Sequence[Word], breaks: Sequence[bool], grams: Grams | None = None
) -> Iterator[Phrase]:
    """The terms this lecture repeats as units of characters (ngrams.Grams) that are whole
    words of its segmentation, once each: names ending in one character (北向通), long names,
    codes (C3类信息) and coordinations (账户和鉴别信息) that runs of content words miss."""
    simple = "".join(word.simple for word in words)
    first_word = {word.start: index for index, word in enumerate(words)}
    last_word = {word.end: index for index, word in enumerate(words)}
    grams = grams or Grams(simple)
    stats = grams.stats()
    for gram in grams.units():
        start = simple.find(gram)
        while start >= 0:
            i, j = first_word.get(start), last_word.get(start + len(gram))
            if i is not None and j is not None:
                span = words[i : j + 1]
                if j > i and _unit_span(span, breaks[i : j + 1], stats[gram].count):
                    yield Phrase(gram, tuple(span))
                break
            start = simple.find(gram, start + 1)


def _unit_span(span: Sequence[Word], broken: Sequence[bool], count: int) -> bool:
    """Whether repeated words make a term: no filler, count, name or locality word inside (a
    joiner between two terms may be), a content word, term prefix or plain numeral first (三支柱,
    一级债基), a content word last (one that cannot close a run only if said often)."""
    first, last = span[0], span[-1]
    often = count >= WEAK_END_MIN_COUNT
    if is_filler("".join(word.simple for word in span)) or _repeats_a_word(span):
        return False
    # 行 of 合作行 is filler on its own (行, 好的), never a function word (的, 是).
    if broken[-1] and not (often and _one_filler_character(last)):
        return False
    if _weak_edge(last) and not often:
        return False
    if first.simple in UNIT_PREFIXES or _plain_numeral(first, span[1]) or _code(first):
        pass
    elif broken[0] or (_weak_edge(first, first=True) and not often):
        return False
    if any(PLACEHOLDER_NAME.match(word.simple) for word in span):
        return False
    # A measure word after a code is a class (C3类信息), not a count.
    classes = {i for i in range(1, len(span)) if _code(span[i - 1]) and len(span[i].simple) == 1}
    if any(is_counting(word) for i, word in enumerate(span) if i not in classes):
        return False
    if any(word.flag == "f" for word in span[1:]):
        return False
    for index in range(1, len(span) - 1):
        joins = span[index].simple in UNIT_JOINERS and not (broken[index - 1] or broken[index + 1])
        if broken[index] and not joins and index not in classes:
            return False
    return not all(NUMBER.match(word.simple) for word in span)


def _one_filler_character(word: Word) -> bool:
    """A character that is filler alone (行, 好) but no function word: it may close a name."""
    function = word.flag in FUNCTION_FLAGS or word.flag.startswith("u")
    single = len(word.simple) == 1 and word.simple not in FUNCTION_CHARS
    return single and not function and is_filler(word.simple) and not is_counting(word)


def _code(word: Word) -> bool:
    """A code of capitals and digits (C3, R2): a term's head when the lecture repeats it."""
    return bool(ACRONYM.fullmatch(word.simple)) and any(char.isdigit() for char in word.simple)


def _plain_numeral(word: Word, after: Word) -> bool:
    """A numeral without a measure word before a word of two characters or more (三 of 三支柱,
    一级 of 一级债基): not a count (三个), an ordinal (第三) or filler (一下)."""
    numeral = word.flag.startswith("m") and word.simple[0] in NUMERALS and len(after.simple) > 1
    return numeral and not is_counting(word) and not is_filler(word.simple)


def _repeats_a_word(span: tuple[Word, ...]) -> bool:
    """Whether a word of two characters or more occurs twice in the span."""
    longer = [word.simple for word in span if len(word.simple) > 1]
    return len(set(longer)) < len(longer)


def _too_common(word: Word) -> bool:
    """Whether a word is too common in general Chinese to be a key phrase on its own."""
    return not word.glossary and general_idf(word.simple) < SINGLE_WORD_MIN_IDF
