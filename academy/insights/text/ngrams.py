"""Terms a lecture repeats as units, found from its characters alone: no list of terms.

A character n-gram (up to MAX_CHARS characters; a Latin acronym or a number counts as one unit,
so QDII额度 is three) is a unit of the lecture when it recurs (MIN_COUNT), its parts are seldom
said apart (cohesion: the smallest pointwise mutual information over the ways of cutting it in
two), and it is free at both ends (the branching entropy of the units said before and after it:
a slice of a longer unit always has the same neighbour). That finds what segmentation misses:
names ending in a single character (跨境理财通, 北向通, 合作行), long compound names
(标准普尔家庭资产象限图), codes (C3类信息, QDII额度) and coordinations said as one
(账户和鉴别信息).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from academy.insights.text.words import FUNCTION_CHARS

#: characters that are words of their own (是, 的, 和 ...): a neighbour that is one is a
#: boundary, so 是无业务背景查询 said twice does not make 无业务背景查询 a slice of something
#: longer. Not those that also close words (得 of 利得, 过 of 通过, 到 of 达到, 会 of 机会 ...)
BOUNDARY_CHARS = FUNCTION_CHARS - frozenset("得过着到有会能去来要说讲个给")
#: a run of characters that may hold a term (punctuation and spaces end one)
RUN = re.compile(r"[A-Za-z0-9\u3400-\u9fff]+")
#: the units of a run: a Latin word or code (QDII, C3), a number, or one Chinese character
UNIT = re.compile(r"[A-Za-z][A-Za-z0-9]*|[0-9]+|[\u3400-\u9fff]")
MAX_CHARS = 12
MAX_UNITS = 12
#: a unit must be said this often
MIN_COUNT = 2
#: nats of branching entropy needed at each end: two different neighbours in two occurrences
#: give ln 2 = 0.69; one neighbour always, 0
MIN_ENTROPY = 0.6
#: the smallest pointwise mutual information (nats) over the ways of cutting the n-gram in two:
#: a term's halves come together far more often than chance (跨境|理财通 about 5); a word and
#: a particle (客户|的) barely do
MIN_COHESION = 2.5


@dataclass(frozen=True)
class GramStats:
    """What the lecture's characters say about one n-gram."""

    count: int
    #: branching entropy (nats) of the units before and after it; each edge of a run, and each
    #: function character, counts as a neighbour of its own
    left: float
    right: float
    #: the smallest pointwise mutual information over its cuts in two (nats)
    cohesion: float

    @property
    def unit(self) -> bool:
        """Whether the n-gram stands as a unit of the lecture."""
        return (
            self.count >= MIN_COUNT
            and min(self.left, self.right) >= MIN_ENTROPY
            and self.cohesion >= MIN_COHESION
        )


class Grams:
    """Counts, neighbours and cohesion of the character n-grams of one (simplified) text."""

    def __init__(self, simple: str):
        self.runs: list[list[tuple[str, int]]] = [
            [(m.group(0), run.start() + m.start()) for m in UNIT.finditer(run.group(0))]
            for run in RUN.finditer(simple)
        ]
        self.counts: Counter[str] = Counter()
        self.total = sum(len(run) for run in self.runs) or 1
        for run in self.runs:
            units = [unit for unit, _ in run]
            for i in range(len(units)):
                gram = ""
                for j in range(i, min(len(units), i + MAX_UNITS)):
                    gram += units[j]
                    if len(gram) > MAX_CHARS:
                        break
                    self.counts[gram] += 1
        self._stats: dict[str, GramStats] | None = None

    def stats(self) -> dict[str, GramStats]:
        """GramStats of every n-gram of two units or more said at least MIN_COUNT times."""
        if self._stats is not None:
            return self._stats
        left: dict[str, Counter] = {}
        right: dict[str, Counter] = {}
        splits: dict[str, list[tuple[str, str]]] = {}
        edge = 0
        for run in self.runs:
            units = [unit for unit, _ in run]
            for i in range(len(units)):
                gram = units[i]
                for j in range(i + 1, min(len(units), i + MAX_UNITS)):
                    gram += units[j]
                    if len(gram) > MAX_CHARS:
                        break
                    if self.counts[gram] < MIN_COUNT:
                        continue
                    edge += 1
                    before = units[i - 1] if i > 0 else ""
                    after = units[j + 1] if j + 1 < len(units) else ""
                    before = f"^{edge}" if before in BOUNDARY_CHARS or not before else before
                    after = f"${edge}" if after in BOUNDARY_CHARS or not after else after
                    left.setdefault(gram, Counter())[before] += 1
                    right.setdefault(gram, Counter())[after] += 1
                    if gram not in splits:
                        parts = units[i : j + 1]
                        splits[gram] = [
                            ("".join(parts[:k]), "".join(parts[k:])) for k in range(1, len(parts))
                        ]
        self._stats = {
            gram: GramStats(
                self.counts[gram],
                _entropy(left[gram]),
                _entropy(right[gram]),
                min(self._pmi(gram, a, b) for a, b in splits[gram]),
            )
            for gram in left
        }
        return self._stats

    def _pmi(self, gram: str, a: str, b: str) -> float:
        return math.log(self.counts[gram] * self.total / (self.counts[a] * self.counts[b]))

    def units(self) -> list[str]:
        """The n-grams that stand as units of the lecture (GramStats.unit)."""
        return [gram for gram, stats in self.stats().items() if stats.unit]


def _entropy(neighbours: Counter) -> float:
    total = sum(neighbours.values())
    return -sum(n / total * math.log(n / total) for n in neighbours.values())
