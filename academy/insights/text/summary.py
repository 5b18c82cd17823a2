"""Extractive summaries: a few whole sentences of the lecture, in their original order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from academy.insights.text.keywords import extract_keywords
from academy.insights.text.sentences import (
    TERMINALS,
    as_written_sentence,
    is_navigation,
    needs_predecessor,
    strip_filler_opening,
    timed_sentences,
    transcript_text,
    without_linking_opener,
)
from academy.insights.text.words import to_simplified
from academy.insights.types import Segment

#: sentences shorter than this (characters, filler removed) are fragments, not summary material
MIN_SUMMARY_CHARS = 12
MAX_SUMMARY_CHARS = 90
#: two sentences sharing more than this share of character pairs say the same thing
MAX_OVERLAP = 0.5
#: a key phrase already in the summary counts this much less in the next sentence
REPEAT_FACTOR = 0.3
NAVIGATION_FACTOR = 0.4
#: a sentence with its 所以/但是 dropped reads a little less well than the pair
STANDING_FACTOR = 0.85


@dataclass(frozen=True)
class SummaryUnit:
    """A sentence, or a sentence with the one before it when it opens with 所以, 但是 ..."""

    first: int
    last: int
    text: str
    score: float


def summarize(
    segments: Sequence[Segment], *, keywords: Sequence[str] = (), max_sentences: int = 5
) -> str:
    """A few of the lecture's most informative sentences, in order, punctuated."""
    if not keywords:
        keywords = extract_keywords(transcript_text(segments), top_k=15)
    units = summary_units(segments, keywords)
    chosen = pick_units(units, max_sentences, _keyword_weights(keywords))
    return "".join(unit.text for unit in sorted(chosen, key=lambda unit: unit.first))


def summary_units(segments: Sequence[Segment], keywords: Sequence[str] = ()) -> list[SummaryUnit]:
    """Every whole sentence (or dependent pair) that could go in a summary, scored."""
    sentences = [sentence.text for sentence in timed_sentences(segments)]
    if not sentences:
        return []
    if not keywords:
        keywords = extract_keywords(transcript_text(segments), top_k=15)
    weights = _keyword_weights(keywords)
    units = []
    for index, sentence in enumerate(sentences):
        if not needs_predecessor(sentence):
            units.append(_unit(sentences, index, index, weights, [sentence]))
            continue
        # 所以 ... needs what came before: take both, or drop a mere 所以 and keep the rest.
        if index > 0 and not needs_predecessor(sentences[index - 1]):
            units.append(
                _unit(sentences, index - 1, index, weights, sentences[index - 1 : index + 1])
            )
        standing = without_linking_opener(sentence)
        if standing is not None:
            unit = _unit(sentences, index, index, weights, [standing])
            if unit is not None:
                unit = SummaryUnit(unit.first, unit.last, unit.text, unit.score * STANDING_FACTOR)
            units.append(unit)
    return [unit for unit in units if unit is not None]


def _unit(
    sentences: Sequence[str],
    first: int,
    last: int,
    weights: dict[str, float],
    texts: Sequence[str],
) -> SummaryUnit | None:
    """A scored unit of sentences first..last (texts: them as they will be written)."""
    pieces = [as_written_sentence(text) for text in texts]
    text = "".join(pieces)
    if _is_fragment(pieces[-1]) or len(text) > MAX_SUMMARY_CHARS * len(pieces):
        return None
    score = _informativeness(text, weights) * _position_weight(last, len(sentences))
    if is_navigation(text):
        # "Now the second part, ..." tells where the lecture goes, not what it says.
        score *= NAVIGATION_FACTOR
    # Even a sentence with no key phrase may fill a summary when nothing better is left.
    score = max(score, len(text) * 1e-4)
    return SummaryUnit(first, last, text, score / len(pieces) ** 0.5)


def pick_units(
    units: Sequence[SummaryUnit], count: int, weights: dict[str, float]
) -> list[SummaryUnit]:
    """The best units (count sentences in all), each bringing key phrases not yet covered."""
    weights = dict(weights)
    chosen: list[SummaryUnit] = []
    left = list(units)
    room = count
    while left and room > 0:
        best = max(left, key=lambda u: (u.score * _novelty(u.text, weights), -u.first))
        left.remove(best)
        if best.last - best.first + 1 > room:
            continue
        overlaps = any(best.first <= c.last and c.first <= best.last for c in chosen)
        if overlaps or any(_similarity(best.text, c.text) > MAX_OVERLAP for c in chosen):
            continue
        chosen.append(best)
        room -= best.last - best.first + 1
        simple = to_simplified(best.text)
        for phrase in weights:
            if phrase in simple:
                # Said once is enough: the next sentence should bring something new.
                weights[phrase] *= REPEAT_FACTOR
    return chosen


def _novelty(text: str, weights: dict[str, float]) -> float:
    simple = to_simplified(text)
    found = [weight for phrase, weight in weights.items() if phrase in simple]
    return sum(found) / max(1, len(found)) if found else 0.0


def _keyword_weights(keywords: Sequence[str]) -> dict[str, float]:
    """Key phrases (simplified) weighted by rank: the first counts most."""
    return {to_simplified(k): 1.0 / (1 + 0.15 * rank) for rank, k in enumerate(keywords) if k}


def _is_fragment(sentence: str) -> bool:
    body = strip_filler_opening(sentence).rstrip(TERMINALS)
    return len(body) < MIN_SUMMARY_CHARS or sentence.rstrip().endswith(("？", "?", "吗。", "呢。"))


def _informativeness(text: str, weights: dict[str, float]) -> float:
    """Key phrase weight per character, favouring sentences of a readable length."""
    simple = to_simplified(text)
    covered = sum(weight for phrase, weight in weights.items() if phrase in simple)
    return covered / max(len(text), 20) ** 0.5


def _position_weight(index: int, total: int) -> float:
    # Lectures state their subject early and sum up at the end.
    share = index / max(1, total - 1)
    return 1.15 if share < 0.1 or share > 0.92 else 1.0


def _similarity(a: str, b: str) -> float:
    pairs_a = {a[i : i + 2] for i in range(len(a) - 1)}
    pairs_b = {b[i : i + 2] for i in range(len(b) - 1)}
    if not pairs_a or not pairs_b:
        return 0.0
    return len(pairs_a & pairs_b) / min(len(pairs_a), len(pairs_b))
