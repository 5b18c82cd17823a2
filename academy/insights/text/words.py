"""Chinese word segmentation with parts of speech, on a simplified copy mapped back to the text."""

from __future__ import annotations

import collections
import logging
import math
import threading
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import opencc

# jieba pulls in pkg_resources (a DeprecationWarning on new setuptools) and logs to stderr.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import jieba
    import jieba.posseg

logging.getLogger("jieba").setLevel(logging.WARNING)

DATA = Path(__file__).resolve().parent / "data"
#: the general-language IDF table that ships with jieba (what jieba.analyse uses)
JIEBA_IDF_PATH = Path(jieba.__file__).resolve().parent / "analyse" / "idf.txt"

_init_lock = threading.Lock()
_state: dict[str, object] = {}


@dataclass(frozen=True)
class Word:
    """One segmented word: its text as written, its simplified form, POS tag and offsets."""

    text: str
    simple: str
    flag: str
    start: int
    end: int


def _base_tokenizers() -> tuple[jieba.Tokenizer, jieba.posseg.POSTokenizer]:
    """The shared jieba tokenizer and POS tokenizer, built once (about 2 s) and never changed."""
    with _init_lock:
        if "pos" not in _state:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                pos = jieba.posseg.POSTokenizer(tokenizer)
            _state["tokenizer"], _state["pos"] = tokenizer, pos
    return _state["tokenizer"], _state["pos"]  # type: ignore[return-value]


def warm_up() -> None:
    """Load the dictionaries now rather than on the first call (for app start-up)."""
    _base_tokenizers()
    general_idf("客户")
    background()


def _pos_tokenizer(glossary: Sequence[str]) -> jieba.posseg.POSTokenizer:
    """A POS tokenizer that knows the glossary terms, layered over the shared one."""
    tokenizer, pos = _base_tokenizers()
    if not glossary:
        return pos
    # A ChainMap overlay costs nothing to build and leaves the shared dictionaries untouched,
    # so calls with different glossaries can run side by side.
    overlay = jieba.Tokenizer()
    overlay.FREQ = collections.ChainMap({}, tokenizer.FREQ)
    overlay.total = tokenizer.total
    overlay.initialized = True
    tags = {}
    for term in glossary:
        overlay.add_word(term, freq=max(overlay.suggest_freq(term, False), 1000))
        tags[term] = "nz"
    layered = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    layered.tokenizer = overlay
    layered.word_tag_tab = collections.ChainMap(tags, pos.word_tag_tab)
    return layered


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """The text in simplified characters, the same length as the original (char for char)."""
    converted = _converter("t2s").convert(text)
    if len(converted) == len(text):
        return converted
    # OpenCC keeps the length for every word of jieba's dictionary; should a phrase rule ever
    # change it, convert line by line and keep the lines that changed length as written.
    lines = text.split("\n")
    kept = []
    for line in lines:
        simple = _converter("t2s").convert(line)
        kept.append(simple if len(simple) == len(line) else line)
    return "\n".join(kept)


def is_traditional(text: str) -> bool:
    """Whether the text is written in traditional characters (more than a few differ)."""
    simple = to_simplified(text)
    changed = sum(1 for a, b in zip(text, simple, strict=True) if a != b)
    return changed > max(2, len(text) // 200)


def cut_words(text: str, glossary: Sequence[str] = ()) -> list[Word]:
    """The words of text with POS tags, segmented on its simplified copy (glossary kept whole)."""
    simple = to_simplified(text)
    glossary_simple = sorted({to_simplified(term) for term in glossary if term.strip()})
    words: list[Word] = []
    offset = 0
    for pair in _pos_tokenizer(glossary_simple).cut(simple):
        end = offset + len(pair.word)
        words.append(Word(text[offset:end], pair.word, pair.flag, offset, end))
        offset = end
    return words


@cache
def general_idf_table() -> tuple[dict[str, float], float]:
    """jieba's general-language IDF per word, and its median for unknown words."""
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
    """The shipped background list: filler words that never start a key phrase, generic words."""

    #: spoken filler and function words: never inside a key phrase
    filler: frozenset[str]
    #: words in every finance lecture (客户, 产品, 风险): may be part of a phrase, never one alone
    generic: frozenset[str]


@cache
def background() -> Background:
    """The background list from data/background.txt (one word a line, under # filler/# generic)."""
    kinds: dict[str, set[str]] = {"filler": set(), "generic": set()}
    kind = "filler"
    for raw in (DATA / "background.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("# "):
            kind = line[2:].split()[0]
        elif line and not line.startswith("#"):
            kinds[kind].update(line.split())
    return Background(frozenset(kinds["filler"]), frozenset(kinds["generic"] - kinds["filler"]))


def count_occurrences(haystack: str, needle: str) -> int:
    """Non-overlapping occurrences of needle in haystack."""
    return haystack.count(needle) if needle else 0


def log_ratio(numerator: float, denominator: float) -> float:
    """log(numerator / denominator), 0 when either is not positive."""
    if numerator <= 0 or denominator <= 0:
        return 0.0
    return math.log(numerator / denominator)


def unique(items: Iterable[str]) -> list[str]:
    """Items without repeats, in first-seen order."""
    return list(dict.fromkeys(items))
