"""Chinese word segmentation with POS tags, done on a simplified copy mapped back to the text."""

from __future__ import annotations

import collections
import logging
import re
import threading
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import opencc

# jieba may import pkg_resources (a DeprecationWarning on newer setuptools); tests turn
# warnings into errors, and none of them concerns us.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import jieba

# jieba logs "Building prefix dict ..." at DEBUG to stderr; keep it quiet.
logging.getLogger("jieba").setLevel(logging.WARNING)

DATA = Path(__file__).resolve().parent / "data"
#: jieba's dictionary ("word frequency tag" lines) and general-language IDF table (the one
#: jieba.analyse uses)
JIEBA_DICT_PATH = Path(jieba.__file__).resolve().parent / "dict.txt"
JIEBA_IDF_PATH = Path(jieba.__file__).resolve().parent / "analyse" / "idf.txt"
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
#: characters that are words of their own (particles, pronouns, adverbs, light verbs); an
#: unknown word that begins or ends with one is two words glued by jieba's HMM (过定, 我要, 先讲)
FUNCTION_CHARS = frozenset(
    "的了过着到得是有在和与跟就都也还又很太更最我你他她它这那们吗呢吧啊呀嘛个把被给说讲先再才刚只要会能去来"
)
#: characters that, at the edge of a word only jieba's HMM found, are a word of their own glued to
#: it (对银保 is 对 + 银保, 不谈 is 不 + 谈); inside a repeated n-gram they may belong to a term
#: (北向通), so they do not stop discover_words as FUNCTION_CHARS do
EDGE_CHARS = FUNCTION_CHARS | frozenset("不没对从向为让像")
NUMERALS = frozenset("0123456789零〇一二三四五六七八九十百千万亿两几半")
#: measure words (量词), which stand between a numeral or 这/那 and a noun (三个, 这张图, 一堂课)
MEASURE_CHARS = frozenset(
    "个只条张份笔项套本件种类步批道层句段页篇门轮届间座台场位家节堂周次回遍趟"
)
#: characters that point at a time relative to now (上节, 下周, 本期, 这次): with a measure word
#: they say when, not what
DEICTIC_CHARS = frozenset("上下这那本每哪前后今明昨去")
#: one-character noun suffixes (替代率, 免赔额, 稳健型): jieba tags some as verbs, but they end a
#: term as a noun does and never begin one
NOUN_SUFFIXES = frozenset("率额型险性化度费制权者法量值")
#: the tag given to a noun suffix (jieba's own tag for 型, 者 ...)
SUFFIX_FLAG = "k"
#: the tag _tagged gives a word only jieba's HMM knows (reported as nz, with known=False)
GUESSED_FLAG = "nz?"
#: forms of address that follow a surname
TITLES = frozenset({"女士", "先生", "老师", "经理", "阿姨", "师傅"})
#: an unknown character n-gram repeated this often, and nearly always together, is a word
NEW_WORD_MIN_COUNT = 3
NEW_WORD_COHESION = 0.6
#: glossary terms get at least this dictionary frequency, so that no split beats them
GLOSSARY_FREQUENCY = 100_000

_init_lock = threading.Lock()
_shared: dict[str, object] = {}


@dataclass(frozen=True)
class Word:
    """One segmented word: as written, in simplified characters, its POS tag and offsets."""

    text: str
    simple: str
    flag: str
    start: int
    end: int
    #: False for a word jieba's HMM guessed (not in the dictionary, glossary or repeated terms)
    known: bool = True
    #: the word is one of the glossary terms the caller gave (kept whole, never a break)
    glossary: bool = False


def _shared_dictionary() -> tuple[jieba.Tokenizer, dict[str, str]]:
    """jieba's dictionary and POS tags, loaded once (about 2 s, 150 MB) and never changed."""
    with _init_lock:
        if "tags" not in _shared:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
            # The tags are all we need of jieba.posseg, whose HMM tables cost 100 MB more.
            tags = {}
            with JIEBA_DICT_PATH.open(encoding="utf-8") as lines:
                for line in lines:
                    word, _, tag = line.rstrip("\n").split(" ")
                    tags[word] = tag
            _shared["tokenizer"], _shared["tags"] = tokenizer, tags
    return _shared["tokenizer"], _shared["tags"]  # type: ignore[return-value]


def shared_tokenizer() -> jieba.Tokenizer:
    """jieba with its plain dictionary, loaded once and shared (search tokenizes with it)."""
    return _shared_dictionary()[0]


def warm_up() -> None:
    """Load the dictionaries now rather than on the first call (at app or worker start)."""
    _shared_dictionary()
    general_idf_table()
    background()


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


#: 著 as the aspect particle (意味著, 接著, 隨著) is 着 in simplified text. OpenCC keeps 著, which
#: is right only in 著作, 著名, 显著 and their kin (the neighbours excluded here), so jieba would
#: not know 意味著.
PARTICLE_ZHE = re.compile(r"(?<![显卓土名巨原论专编遗新拙大昭])著(?![作名称述录者书])")


def _t2s(text: str) -> str:
    return PARTICLE_ZHE.sub("着", _converter("t2s").convert(text))


def to_simplified(text: str) -> str:
    """The text in simplified characters, char for char (the same length as the original)."""
    converted = _t2s(text)
    if len(converted) == len(text):
        return converted
    # OpenCC keeps the length of all 349k words of jieba's dictionary; should a phrase rule
    # ever change it, convert line by line and keep any line that changed length as written.
    lines = []
    for line in text.split("\n"):
        simple = _t2s(line)
        lines.append(simple if len(simple) == len(line) else line)
    return "\n".join(lines)


def to_traditional(text: str) -> str:
    """The text in traditional characters (for words we add to a traditional transcript)."""
    return _converter("s2t").convert(text)


def is_traditional(text: str) -> bool:
    """Whether the text is written in traditional characters (a few in a hundred differ)."""
    changed = sum(1 for a, b in zip(text, to_simplified(text), strict=True) if a != b)
    return changed > max(1, len(text) // 100)


def _counts_or_points(gram: str) -> bool:
    """Whether a character n-gram is a count or a pointer (一堂, 张图, 下节课), not a new word."""
    return (
        gram[0] in MEASURE_CHARS
        or gram[0] in NUMERALS
        or (gram[0] in DEICTIC_CHARS and gram[1] in MEASURE_CHARS)
    )


def discover_words(simple: str, known: Mapping[str, int]) -> list[str]:
    """Terms jieba does not know that the text repeats as a unit (定投 in a lecture on 定投)."""
    counts: Counter[str] = Counter()
    for run in CJK_RUN.findall(simple):
        for size in (1, 2, 3, 4):
            counts.update(run[i : i + size] for i in range(len(run) - size + 1))
    # For each n-gram, the count of its most frequent one-character-longer extension.
    widest: Counter[str] = Counter()
    for gram, count in counts.items():
        if len(gram) > 1:
            for part in (gram[1:], gram[:-1]):
                widest[part] = max(widest[part], count)
    found = []
    for gram, count in counts.items():
        if not 1 < len(gram) < 4 or count < NEW_WORD_MIN_COUNT or known.get(gram):
            continue
        if any(char in FUNCTION_CHARS for char in gram) or _counts_or_points(gram):
            continue
        splits = [(gram[:i], gram[i:]) for i in range(1, len(gram))]
        # Each part must seldom occur without the rest (定投 passes, 客户分 does not), and a
        # pair of known words (风险等级) needs no discovering.
        cohesive = all(
            count >= NEW_WORD_COHESION * max(counts[left], counts[right]) for left, right in splits
        )
        known_pair = any(
            len(left) > 1 and len(right) > 1 and known.get(left) and known.get(right)
            for left, right in splits
        )
        # ... and the n-gram must not be the inside of a longer unit (度汇 of 年度汇算).
        extended = widest[gram] >= NEW_WORD_COHESION * count
        if cohesive and not known_pair and not extended:
            found.append(gram)
    return found


class _Overlay(dict):
    """Word frequencies added over a base dictionary that stays untouched (a ChainMap does the
    same, but jieba's segmentation looks words up so often that its generic lookups double the
    time a lecture takes)."""

    def __init__(self, base: dict[str, int]):
        super().__init__()
        self.base = base

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.base

    def __missing__(self, key: str) -> int:
        return self.base[key]

    def get(self, key: str, default: int | None = None) -> int | None:  # type: ignore[override]
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self.base.get(key, default)


def _tokenizer_with(discovered: Iterable[str], glossary: Iterable[str]) -> jieba.Tokenizer:
    """A tokenizer that also knows these words, layered over the shared dictionary."""
    tokenizer, _ = _shared_dictionary()
    # An overlay is cheap to build and leaves the shared dictionary untouched, so calls with
    # different glossaries can run side by side in threads.
    overlay = jieba.Tokenizer()
    overlay.FREQ = _Overlay(tokenizer.FREQ)
    overlay.total = tokenizer.total
    overlay.initialized = True
    for word in discovered:
        overlay.add_word(word, freq=overlay.suggest_freq(word, False))
    for word in glossary:
        overlay.add_word(word, freq=max(overlay.suggest_freq(word, False), GLOSSARY_FREQUENCY))
    return overlay


def _tagged(piece: str, tags: Mapping[str, str]) -> list[tuple[str, str]]:
    """POS tags for one piece of jieba output, splitting unknown words glued by its HMM."""
    if len(piece) > 2 and piece[-2:] in TITLES and tags.get(piece, "nr") == "nr":
        # 王女士, 李经理: a name is not a term, and the title alone is filler.
        return [(piece[:-2], "nr"), (piece[-2:], "n")]
    if piece in tags:
        return [(piece, tags[piece])]
    if piece.isascii():
        return [(piece, "eng" if piece.isalnum() else "x")]
    if not CJK_RUN.fullmatch(piece):
        return [(piece, "x")]
    glued = EDGE_CHARS | NUMERALS
    if len(piece) > 1 and (piece[0] in glued or piece[-1] in glued):
        return [(char, tags.get(char, "x")) for char in piece]
    if piece[0] in MEASURE_CHARS or (piece[-1] in MEASURE_CHARS and piece[0] in DEICTIC_CHARS):
        # 张图 of 这张图, 下节 of 下节课: a measure word the HMM glued to its neighbour.
        return [(char, "q" if char in MEASURE_CHARS else tags.get(char, "x")) for char in piece]
    # An unknown word found by jieba's HMM: usually a term (止盈, 双录) or a name.
    return [(piece, GUESSED_FLAG)]


def cut_words(text: str, glossary: Sequence[str] = ()) -> list[Word]:
    """The words of text with POS tags; glossary terms and repeated unknown terms kept whole."""
    simple = to_simplified(text)
    tokenizer, tags = _shared_dictionary()
    terms = sorted({to_simplified(term.strip()) for term in glossary if term.strip()})
    discovered = discover_words(simple, tokenizer.FREQ)
    overlay = _tokenizer_with(discovered, terms)
    local_tags = collections.ChainMap(dict.fromkeys([*discovered, *terms], "nz"), tags)
    glossary_terms = set(terms)
    words: list[Word] = []
    offset = 0
    for piece in overlay.cut(simple):
        for part, flag in _tagged(piece, local_tags):
            end = offset + len(part)
            known = flag != GUESSED_FLAG
            if not known:
                flag = "nz"
            elif part in NOUN_SUFFIXES and flag != "x":
                flag = SUFFIX_FLAG
            words.append(
                Word(text[offset:end], part, flag, offset, end, known, part in glossary_terms)
            )
            offset = end
    return words


@cache
def general_idf_table() -> tuple[dict[str, float], float]:
    """jieba's general-language IDF per word, and the median it gives unknown words."""
    table: dict[str, float] = {}
    with JIEBA_IDF_PATH.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, value = line.strip().partition(" ")
            if value:
                table[word] = float(value)
    values = sorted(table.values())
    return table, values[len(values) // 2]


def general_idf(word: str) -> float:
    """How rare a (simplified) word is in general Chinese; unknown words get the median."""
    table, median = general_idf_table()
    return table.get(word, median)


@dataclass(frozen=True)
class Background:
    """The shipped background list (data/background.txt)."""

    #: spoken filler and function words: never part of a key phrase
    filler: frozenset[str]
    #: words in nearly every finance lecture (客户, 产品): part of a phrase, never one alone
    generic: frozenset[str]


@cache
def background() -> Background:
    """The background list: words under '# filler' and '# generic', space or line separated."""
    kinds: dict[str, set[str]] = {"filler": set(), "generic": set()}
    kind = "filler"
    for raw in (DATA / "background.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line in ("# filler", "# generic"):
            kind = line[2:]
        elif line and not line.startswith("#"):
            kinds[kind].update(line.split())
    return Background(frozenset(kinds["filler"]), frozenset(kinds["generic"] - kinds["filler"]))
