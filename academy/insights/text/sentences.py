"""Sentences from Whisper text, which often has no punctuation, and their times in the lecture."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from academy.insights.text.words import to_simplified
from academy.insights.types import Segment

#: characters that end a sentence (a closing quote after one stays with it)
TERMINALS = "。！？!?；;…"
CLOSERS = "”’」』）)\"'"
#: characters that end a clause inside a sentence; Whisper marks pauses with spaces instead
CLAUSE_MARKS = "，,、：:"
#: a sentence longer than this (in characters) is split at clause marks or spoken markers
MAX_SENTENCE_CHARS = 60
MIN_SENTENCE_CHARS = 8
#: words a speaker starts a new sentence with: where to split a long unpunctuated run
SPOKEN_MARKERS = (
    "那么",
    "所以",
    "但是",
    "然后",
    "首先",
    "其次",
    "另外",
    "第一",
    "第二",
    "第三",
    "第四",
    "最后",
    "因此",
    "比如说",
    "接下来",
    "总结一下",
    "好的",
    "同时",
)
#: words that open a clause expecting a second half (虽然 ... 但是)
SUBORDINATORS = (
    "虽然",
    "尽管",
    "如果",
    "假如",
    "要是",
    "既然",
    "不仅",
    "不但",
    "之所以",
    "即使",
    "哪怕",
    "一旦",
)
#: phrases of a sentence that only announces where the lecture goes next
NAVIGATION_CUES = (
    "部分",
    "我们来讲",
    "我们来看",
    "来讲一下",
    "来看一下",
    "讲完了",
    "接下来我们",
    "下面我们",
    "讲到这里",
    "分享到这里",
    "这一讲的",
    "我们先讲",
    "今天我们讲",
    "我们讲一下",
    "我们讲一讲",
    "我们讲讲",
    "今天我们来",
    "今天讲",
    "今天跟大家",
    "大家好",
)
#: words that cannot open a sentence: a line starting with one continues the line before
CONTINUATIONS = ("是", "就", "也", "都", "还", "才", "又", "却", "并", "的", "而是", "那就")
#: filler that opens spoken sentences and can be dropped without changing the meaning
FILLER_OPENERS = (
    "嗯",
    "呃",
    "额",
    "啊",
    "呢",
    "好的",
    "好吧",
    "好",
    "那么",
    "那",
    "然后",
    "就是说",
    "OK",
    "ok",
)
#: after these a filler opener is a word of its own (那么多, 那时候, 好处): keep it
NOT_FILLER_AFTER = "么些样个种多处事的时里边儿像是"
#: openers that need the previous sentence to make sense (所以 ... 但是 ...)
DEPENDENT_OPENERS = (
    "所以",
    "但是",
    "但",
    "因此",
    "因为",
    "而且",
    "并且",
    "可是",
    "不过",
    "否则",
    "于是",
    "这样",
    "这就",
    "这个",
    "这些",
    "这种",
    "那这",
    "它",
    "他们",
    "反而",
    "同时",
    "另外",
    "其次",
    "相反",
    "也就是",
    "还有",
    "然而",
    "所以说",
    "而",
    "就是说",
    "也",
    "分别",
    "或者",
    "或是",
    "以及",
)
#: openers among those that only link to the sentence before: without them the sentence stands
LINKING_OPENERS = (
    "所以说",
    "所以",
    "因此",
    "但是",
    "而且",
    "并且",
    "可是",
    "不过",
    "于是",
    "同时",
    "另外",
    "其次",
    "然而",
)
#: Chinese speech runs at about this many characters a second (for text with no timings)
CHARS_PER_SECOND = 4.5
SPACE = re.compile(r"[ \t\u3000\u00a0]+")
CJK = re.compile(r"[\u3400-\u9fff]")
CONTENT = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")


@dataclass(frozen=True)
class TimedSentence:
    """A sentence of a transcript with the segment it starts in and its estimated start time."""

    text: str
    start: float
    segment: int


def split_sentences(text: str) -> list[str]:
    """The sentences of text, also when it has no punctuation (split at pauses and markers)."""
    return [one_line(text[start:end]) for start, end in sentence_spans(text)]


def one_line(text: str) -> str:
    """A sentence joined across line breaks (a break after a mark just goes)."""
    text = re.sub(r"\s*\n\s*", " ", text)
    return re.sub(r"(?<=[，。、；：！？,;:!?]) ", "", text)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence of text, whitespace trimmed."""
    # Markers are matched on the simplified copy, which has the same offsets as the text.
    simple = to_simplified(text)
    spans = []
    for start, end in _hard_spans(text):
        if _length(text[start:end]) <= MAX_SENTENCE_CHARS:
            spans.append((start, end))
        else:
            spans.extend(_split_long(text, simple, start, end))
    trimmed = [kept for span in spans if (kept := _trim(text, *span)) is not None]
    return _join_halves(simple, trimmed)


def _join_halves(simple: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans joined where a line break cut a sentence (平时这四项收入， / 是由单位预扣的)."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined:
            before = simple[joined[-1][0] : joined[-1][1]]
            here = simple[start:end]
            fits = _length(before) + _length(here) <= MAX_SENTENCE_CHARS * 1.5
            open_end = before[-1] not in TERMINALS + CLOSERS
            continues = here.startswith(CONTINUATIONS) or (
                before.startswith(SUBORDINATORS) and not here.startswith(SPOKEN_MARKERS)
            )
            if fits and open_end and (continues or _length(before) < MIN_SENTENCE_CHARS):
                joined[-1] = (joined[-1][0], end)
                continue
        joined.append((start, end))
    return joined


def _hard_spans(text: str) -> list[tuple[int, int]]:
    """Spans ended by a line break or sentence-final punctuation."""
    spans, start, i = [], 0, 0
    while i < len(text):
        char = text[i]
        if char == "\n":
            spans.append((start, i))
            start = i + 1
        elif char in TERMINALS:
            end = i + 1
            while end < len(text) and (text[end] in TERMINALS or text[end] in CLOSERS):
                end += 1
            spans.append((start, end))
            start, i = end, end - 1
        i += 1
    spans.append((start, len(text)))
    return spans


def _split_long(text: str, simple: str, start: int, end: int) -> list[tuple[int, int]]:
    """A long stretch cut into sentences at clause marks or pauses, before spoken markers."""
    clauses = []
    clause_start = start
    for i in range(start, end):
        char = text[i]
        pause = char in " \t\u3000" and 0 < i < len(text) - 1 and CJK.match(text[i - 1])
        if char in CLAUSE_MARKS or pause:
            clauses.append((clause_start, i + 1))
            clause_start = i + 1
    clauses.append((clause_start, end))
    pieces = []
    for clause in clauses:
        if _length(text[clause[0] : clause[1]]) > MAX_SENTENCE_CHARS:
            pieces.extend(_split_at_markers(simple, *clause))
        else:
            pieces.append(clause)
    sentences: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for piece in pieces:
        if current is None:
            current = piece
            continue
        current_text = simple[current[0] : current[1]]
        piece_text = simple[piece[0] : piece[1]].strip()
        current_length = _length(current_text)
        # 虽然 ... 但是 / 如果 ... 那么 belong together: no new sentence at the second half.
        waits = any(word in current_text for word in SUBORDINATORS)
        limit = MAX_SENTENCE_CHARS * (1.5 if waits else 1)
        too_long = current_length + _length(piece_text) > limit
        marker = piece_text.startswith(SPOKEN_MARKERS) and not waits
        if current_length >= MIN_SENTENCE_CHARS and (too_long or marker):
            sentences.append(current)
            current = piece
        else:
            current = (current[0], piece[1])
    if current is not None:
        sentences.append(current)
    return sentences


def _split_at_markers(simple: str, start: int, end: int) -> list[tuple[int, int]]:
    """A run with no marks at all, split before spoken markers, else every ~MAX characters."""
    cuts = [start]
    for i in range(start + MIN_SENTENCE_CHARS, end - MIN_SENTENCE_CHARS):
        if i - cuts[-1] >= MIN_SENTENCE_CHARS * 2 and simple.startswith(SPOKEN_MARKERS, i):
            cuts.append(i)
    cuts.append(end)
    pieces = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        while right - left > MAX_SENTENCE_CHARS * 1.5:
            pieces.append((left, left + MAX_SENTENCE_CHARS))
            left += MAX_SENTENCE_CHARS
        pieces.append((left, right))
    return pieces


def _length(text: str) -> int:
    return len(CONTENT.findall(text))


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (text[start].isspace() or text[start] in CLAUSE_MARKS):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if not CONTENT.search(text[start:end]):
        return None
    return start, end


def transcript_text(segments: Sequence[Segment]) -> str:
    """The transcript as one text, a line per segment (a line break never joins two words)."""
    return "\n".join(segment.text.strip() for segment in segments)


def timed_sentences(segments: Sequence[Segment]) -> list[TimedSentence]:
    """The sentences of a transcript, each with its segment and estimated start time."""
    # When Whisper ends sentences with 。, a sentence may run on into the next segment; when it
    # does not (no marks, or only commas), a segment's end is the best sign of a sentence end
    # there is, and sentence_spans joins the halves of a sentence cut in two.
    texts = [segment.text.strip() for segment in segments]
    punctuated = sum(1 for text in texts if text and text[-1] in TERMINALS + CLOSERS)
    runs_on = punctuated >= 0.5 * len(texts)
    parts, starts, offset = [], [], 0
    for text in texts:
        separator = "" if runs_on and text and text[-1] not in TERMINALS + CLOSERS else "\n"
        parts.append(text + separator)
        starts.append(offset)
        offset += len(text) + len(separator)
    joined = "".join(parts)
    sentences = []
    for start, end in sentence_spans(joined):
        index = bisect.bisect_right(starts, start) - 1
        segment = segments[index]
        share = (start - starts[index]) / max(1, len(texts[index]))
        time = segment.start + min(1.0, share) * max(0.0, segment.end - segment.start)
        sentences.append(TimedSentence(one_line(joined[start:end]), round(time, 2), index))
    return sentences


def segments_from_text(text: str) -> list[Segment]:
    """Segments with estimated times (about 4.5 characters a second), one a sentence."""
    segments, time = [], 0.0
    for sentence in split_sentences(text):
        duration = max(0.5, len(sentence.replace(" ", "")) / CHARS_PER_SECOND)
        segments.append(Segment(round(time, 2), round(time + duration, 2), sentence))
        time += duration
    return segments


def strip_filler_opening(sentence: str) -> str:
    """The sentence without the spoken filler it opens with (嗯, 好, 那么 ...)."""
    text = sentence.strip()
    simple = to_simplified(text)
    changed = True
    while changed:
        changed = False
        for filler in FILLER_OPENERS:
            long_enough = len(simple) > len(filler) + MIN_SENTENCE_CHARS
            # 那么 is filler, 那么多 is not; 好 is filler, 好处 is not.
            if (
                long_enough
                and simple.startswith(filler)
                and simple[len(filler)] not in NOT_FILLER_AFTER
            ):
                rest = len(text) - len(text[len(filler) :].lstrip(" ，,、"))
                text, simple, changed = text[rest:], simple[rest:], True
                break
    return text


def is_navigation(sentence: str) -> bool:
    """Whether the sentence announces what comes (我们来讲第二个部分) more than it says."""
    simple = to_simplified(sentence)
    return any(cue in simple for cue in NAVIGATION_CUES)


def needs_predecessor(sentence: str) -> bool:
    """Whether the sentence opens with a word that refers back (所以, 但是, 这个 ...)."""
    return to_simplified(strip_filler_opening(sentence)).startswith(DEPENDENT_OPENERS)


def without_linking_opener(sentence: str) -> str | None:
    """The sentence without an opening 所以/但是 ..., if it then stands on its own; else None."""
    text = strip_filler_opening(sentence)
    simple = to_simplified(text)
    for opener in LINKING_OPENERS:
        if simple.startswith(opener):
            rest = text[len(opener) :].lstrip(" ，,呢")
            if len(rest) >= MIN_SENTENCE_CHARS and not needs_predecessor(rest):
                return rest
            return None
    return None


def as_written_sentence(sentence: str) -> str:
    """A readable sentence: pauses (spaces) become commas, and it ends with punctuation."""
    text = strip_filler_opening(sentence)
    text = SPACE.sub(" ", text)
    text = re.sub(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fffA-Za-z0-9])", "，", text)
    text = re.sub(r"(?<=[A-Za-z0-9]) (?=[\u3400-\u9fff])", "，", text)
    text = text.rstrip(" ，,、：:")
    if text and text[-1] not in TERMINALS + CLOSERS:
        text += "。"
    return text
