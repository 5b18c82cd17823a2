"""Topical chapters: where the vocabulary of the lecture shifts (TextTiling over segments).

Where: each gap between segments is scored by how far the similarity of the words before and
after it dips (TextTiling depth), plus a bonus when the speaker announces a new part (第二个部分,
接下来). How many: about one chapter per 90 seconds, one more when the next dip is unusually
deep (above mean + sd), one fewer when it is shallow (below the mean), always within
min_chapters..max_chapters. A chapter needs at least MIN_CHAPTER_SECONDS and MIN_CHAPTER_CHARS,
so a lecture too short to hold min_chapters of them (under about a minute) gets fewer, down to a
single chapter.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence

from academy.insights.text.keywords import extract_keywords
from academy.insights.text.phrases import NOUN_FLAGS, is_break
from academy.insights.text.sentences import (
    as_written_sentence,
    is_navigation,
    strip_filler_opening,
    transcript_text,
)
from academy.insights.text.summary import pick_units, summary_units
from academy.insights.text.words import background, cut_words, general_idf, to_simplified
from academy.insights.types import Chapter, Segment

MIN_CHAPTER_SECONDS = 20.0
#: the usual length of a chapter: sets how many chapters a lecture gets, within the limits
TARGET_CHAPTER_SECONDS = 90.0
MIN_CHAPTER_CHARS = 80
MAX_TITLE_CHARS = 16
#: words with which a speaker announces a new part (第二个部分, 接下来, 最后我们来讲)
SHIFT_CUES = (
    "第一部分",
    "第二部分",
    "第三部分",
    "第四部分",
    "第五部分",
    "第一个部分",
    "第二个部分",
    "第三个部分",
    "第四个部分",
    "第五个部分",
    "最后一个部分",
    "最后一部分",
    "第二个问题",
    "第三个问题",
    "第三个方面",
    "第二个方面",
    "接下来",
    "下面我们",
    "我们来看",
    "我们来讲",
    "我们先讲",
    "我们先来",
    "讲完了",
    "首先我们",
    "最后我们",
    "最后，我们",
    "好，最后",
    "我们来聊",
)
CLAUSE_SPLIT = re.compile(r"[，,。！？!?；;：:\n]|(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")
#: words a clause opens with that a mind-map point does without (比如说核心客户 -> 核心客户)
POINT_OPENERS = (
    "比如说",
    "比如",
    "就是说",
    "就是",
    "其实",
    "也就是",
    "所以",
    "但是",
    "而且",
    "首先是",
    "其次是",
    "然后是",
    "最后是",
    "第一是",
    "第二是",
    "第三是",
    "第一个是",
    "第二个是",
    "第三个是",
    "第四个是",
    "还有一个是",
    "一个是",
    "一种是",
    "一类是",
)
#: words of talk about the talk (跟大家聊一下): a clause with one is no mind-map point
TALK_CUES = ("跟大家", "聊一下", "讲一下", "说一下", "看一下", "这一讲", "今天")
QUESTION_WORDS = ("什么", "怎么", "为什么", "哪些", "哪个", "多少", "是不是")
#: how much a spoken cue adds to a gap's depth, in units of the deepest cohesion dip
CUE_WEIGHT = 0.6


def find_chapters(
    segments: Sequence[Segment],
    *,
    keywords: Sequence[str] = (),
    min_chapters: int = 3,
    max_chapters: int = 8,
) -> list[Chapter]:
    """3-8 chapters where the topic shifts, each titled, summarised and with key points."""
    if not segments:
        return []
    text = transcript_text(segments)
    if not keywords:
        keywords = extract_keywords(text)
    starts = chapter_starts(segments, keywords, min_chapters, max_chapters)
    bounds = list(zip(starts, [*starts[1:], len(segments)], strict=True))
    parts = [segments[first:last] for first, last in bounds]
    titles = _titles(parts, keywords)
    return [
        Chapter(
            start=part[0].start,
            title=title,
            summary=_chapter_summary(part, keywords),
            points=_points(part, keywords, title),
        )
        for part, title in zip(parts, titles, strict=True)
    ]


def chapter_starts(
    segments: Sequence[Segment], keywords: Sequence[str], min_chapters: int, max_chapters: int
) -> list[int]:
    """Indices of the segments that open a chapter (the first is always 0)."""
    vectors = _segment_vectors(segments, keywords)
    lengths = [len(segment.text.strip()) for segment in segments]
    total_chars = sum(lengths)
    duration = segments[-1].end - segments[0].start
    room = min(
        int(total_chars // MIN_CHAPTER_CHARS),
        int(duration // MIN_CHAPTER_SECONDS),
        len(segments),
    )
    most = max(1, min(max_chapters, room))
    least = max(1, min(min_chapters, most))
    if most == 1:
        return [0]
    # About one chapter per TARGET_CHAPTER_SECONDS; one more or one fewer as the dips say.
    expected = max(least, min(most, round(duration / TARGET_CHAPTER_SECONDS)))
    # Compare about two thirds of a typical chapter on either side of each gap.
    window = max(60, int(total_chars / (expected * 1.5)))
    depths = _gap_depths(vectors, lengths, window)
    cues = [_has_shift_cue(segment.text) for segment in segments]
    deepest = max(depths.values(), default=0.0) or 1.0
    scores = {
        gap: depth + (CUE_WEIGHT * deepest if cues[gap] else 0.0) for gap, depth in depths.items()
    }
    if not scores:
        return [0]
    values = list(scores.values())
    strong = statistics.mean(values) + statistics.pstdev(values)
    weak = statistics.mean(values)
    chosen: list[int] = []
    for gap in sorted(scores, key=lambda g: -scores[g]):
        count = len(chosen) + 1
        if count >= most:
            break
        if count >= expected + 1 or (count >= expected and scores[gap] < strong):
            break
        if count >= max(least, expected - 1) and scores[gap] < weak:
            break
        if _leaves_room(gap, chosen, segments, lengths):
            chosen.append(gap)
    return [0, *sorted(chosen)]


def _segment_vectors(segments: Sequence[Segment], keywords: Sequence[str]) -> list[Counter[str]]:
    """Each segment as weighted content words (simplified), key phrases counting double."""
    text = transcript_text(segments)
    words = cut_words(text, keywords)
    shipped = background()
    phrases = {to_simplified(k) for k in keywords}
    vectors: list[Counter[str]] = [Counter() for _ in segments]
    offsets, offset = [], 0
    for segment in segments:
        offsets.append(offset)
        offset += len(segment.text.strip()) + 1
    owner = 0
    for word in words:
        while owner + 1 < len(offsets) and word.start >= offsets[owner + 1]:
            owner += 1
        if is_break(word) or word.simple in shipped.generic or len(word.simple) < 2:
            continue
        weight = min(general_idf(word.simple), 12.0) / 12.0
        if word.flag in NOUN_FLAGS:
            weight *= 1.5
        if word.simple in phrases or any(word.simple in phrase for phrase in phrases):
            weight *= 2.0
        vectors[owner][word.simple] += weight
    return vectors


def _gap_depths(
    vectors: Sequence[Counter[str]], lengths: Sequence[int], window: int
) -> dict[int, float]:
    """TextTiling depth at each gap (before segment i): how far cohesion dips there."""
    similarities: dict[int, float] = {}
    for gap in range(1, len(vectors)):
        left, right = Counter(), Counter()
        size, i = 0, gap - 1
        while i >= 0 and size < window:
            left.update(vectors[i])
            size += lengths[i]
            i -= 1
        size, i = 0, gap
        while i < len(vectors) and size < window:
            right.update(vectors[i])
            size += lengths[i]
            i += 1
        similarities[gap] = _cosine(left, right)
    gaps = sorted(similarities)
    smoothed = {
        gap: statistics.mean(similarities[g] for g in gaps[max(0, k - 1) : k + 2])
        for k, gap in enumerate(gaps)
    }
    depths = {}
    for k, gap in enumerate(gaps):
        here = smoothed[gap]
        left_peak = max(smoothed[g] for g in gaps[: k + 1])
        right_peak = max(smoothed[g] for g in gaps[k:])
        depths[gap] = (left_peak - here) + (right_peak - here)
    return depths


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(value * b[key] for key, value in a.items() if key in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _has_shift_cue(text: str) -> bool:
    opening = to_simplified(strip_filler_opening(text))[:16]
    return any(cue in opening for cue in SHIFT_CUES)


def _leaves_room(
    gap: int, chosen: Sequence[int], segments: Sequence[Segment], lengths: Sequence[int]
) -> bool:
    """Whether a boundary at gap keeps every chapter long enough."""
    bounds = sorted([0, *chosen, gap, len(segments)])
    for first, last in zip(bounds, bounds[1:], strict=False):
        seconds = segments[last - 1].end - segments[first].start
        if seconds < MIN_CHAPTER_SECONDS or sum(lengths[first:last]) < MIN_CHAPTER_CHARS:
            return False
    return True


def _titles(parts: Sequence[Sequence[Segment]], keywords: Sequence[str]) -> list[str]:
    """A title per chapter from the key phrases most particular to it."""
    texts = [to_simplified(transcript_text(part)) for part in parts]
    ranked = [to_simplified(k) for k in keywords]
    titles = []
    used: set[str] = set()
    for index, part in enumerate(parts):
        scored = []
        for rank, phrase in enumerate(ranked):
            here = texts[index].count(phrase)
            if not here:
                continue
            elsewhere = sum(t.count(phrase) for j, t in enumerate(texts) if j != index)
            # A phrase said mostly in this chapter names it better than the lecture's topic.
            share = here / (here + elsewhere)
            scored.append((share * math.log(1 + here) / (1 + 0.05 * rank), share, phrase))
        scored.sort(reverse=True)
        fresh = [(share, phrase) for _, share, phrase in scored if phrase not in used]
        # The second phrase of a title must belong to this chapter, not recall an earlier one.
        picks = [phrase for n, (share, phrase) in enumerate(fresh[:2]) if n == 0 or share >= 0.5]
        titles.append(_title_from(part, picks, keywords, ranked))
        used.update(picks[:1])
    return titles


def _title_from(
    part: Sequence[Segment], picks: Sequence[str], keywords: Sequence[str], ranked: Sequence[str]
) -> str:
    """The chosen phrases written as in the lecture: 'A与B' when both fit in 16 characters."""
    written = [keywords[ranked.index(p)] for p in picks]
    if not written:
        local = extract_keywords(transcript_text(part), top_k=2)
        written = local or [as_written_sentence(part[0].text)[: MAX_TITLE_CHARS - 1] + "…"]
    first = written[0]
    if len(written) > 1:
        second = written[1]
        overlapping = first in second or second in first
        if not overlapping and len(first) + len(second) + 1 <= MAX_TITLE_CHARS:
            joiner = "與" if to_simplified(first + second) != first + second else "与"
            return f"{first}{joiner}{second}"
    return first[:MAX_TITLE_CHARS]


def _chapter_summary(part: Sequence[Segment], keywords: Sequence[str]) -> str:
    """Two to four sentences of the chapter (fewer only when it has no more whole sentences)."""
    units = summary_units(part, keywords)
    weights = {to_simplified(k): 1.0 / (1 + 0.15 * r) for r, k in enumerate(keywords)}
    chosen = pick_units(units, 3, weights)
    for unit in sorted(units, key=lambda u: -u.score):
        if len(chosen) >= 2:
            break
        if all(unit.last < c.first or c.last < unit.first for c in chosen):
            chosen.append(unit)
    ordered = sorted(chosen, key=lambda unit: unit.first)
    if ordered:
        return "".join(unit.text for unit in ordered)
    return as_written_sentence(transcript_text(part).replace("\n", " "))


def _points(part: Sequence[Segment], keywords: Sequence[str], title: str) -> list[str]:
    """Two to four short points for the mind map: clauses that carry the chapter's key phrases."""
    text = transcript_text(part)
    simple = to_simplified(text)
    present = [k for k in keywords if to_simplified(k) in simple]
    clauses = _clauses(text)
    points: list[str] = []
    clauses = [c for c in clauses if _says_something(c)]
    for phrase in present:
        if len(points) >= 4:
            break
        key = to_simplified(phrase)
        holders = [c for c in clauses if key in to_simplified(c)]
        best = min(holders, key=lambda c: (abs(len(c) - 14), len(c)), default=phrase)
        point = best if 6 <= len(best) <= 24 else phrase
        if point not in points and not any(point in p or p in point for p in points):
            points.append(point)
    if len(points) < 2:
        for clause in sorted(clauses, key=lambda c: -len(c)):
            if len(points) >= 2:
                break
            if 6 <= len(clause) <= 24 and clause not in points:
                points.append(clause)
    return points


def _says_something(clause: str) -> bool:
    """Whether a clause states a point (not a question, nor an announcement of what comes)."""
    simple = to_simplified(clause)
    if is_navigation(simple) or any(cue in simple for cue in TALK_CUES):
        return False
    return not (simple.endswith(("呢", "吗", "吧")) or any(q in simple for q in QUESTION_WORDS))


def _clauses(text: str) -> list[str]:
    """Comma- or pause-separated clauses, with the filler and list words they open with removed."""
    clauses = []
    for piece in CLAUSE_SPLIT.split(text):
        clause = strip_filler_opening(piece.strip())
        simple = to_simplified(clause)
        for opener in POINT_OPENERS:
            if simple.startswith(opener) and len(simple) > len(opener) + 4:
                clause = clause[len(opener) :]
                break
        if clause:
            clauses.append(clause)
    return clauses
