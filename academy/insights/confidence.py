"""When a transcript line is low-confidence, and when a whole transcript is held for correction.

Plain functions over segments and thresholds: no Flask, no database. Only Whisper's own lines
are judged: a line the instructor wrote or corrected carries no signals and is trusted. The
defaults are explained here; academy/config.py lets an admin tune each one
(ACADEMY_TRANSCRIPT_*), and `Thresholds.from_config` reads them from there.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from academy.insights.types import Segment

#: Whisper's mean token log-probability below which a line is doubtful. Whisper itself decodes
#: a window again only below -1.0 (its log_prob_threshold): a bar for "try again", not for "this
#: reads". On the demo clip (espeak-ng Mandarin, Whisper base) windows scoring -0.63 to -0.73
#: still had about every second character wrong. -0.6 is a mean token probability of 55 %.
MIN_AVG_LOGPROB = -0.6
#: Whisper's own bar (compression_ratio_threshold): text this repetitive is a decoding loop
MAX_COMPRESSION_RATIO = 2.4
#: Whisper's own bar (no_speech_threshold): a window this likely silent may hold invented text
MAX_NO_SPEECH_PROB = 0.6
#: Fewer characters a second than this, in a line of at least SPARSE_MIN_SECONDS, means speech
#: was skipped: lectures run 3-5 Chinese characters a second, pauses of 2 s or more are cut
#: out before Whisper listens, and Whisper base given hot words sometimes times a whole 30 s
#: window as one line holding nothing but the glossary terms (0.4 characters a second).
MIN_CHARS_PER_SECOND = 1.5
SPARSE_MIN_SECONDS = 5.0
#: Speech the voice detector heard that no line covers, in stretches at least this long, was
#: dropped by Whisper (it does, now and then, for the rest of a 30 s window). Shorter gaps are
#: the slack between Whisper's line times and the detector's (it pads speech by 0.4 s a side).
MIN_MISSED_SECONDS = 3.0
#: A transcript with more than this share of its speech time in low-confidence lines is held
#: for correction: a quarter of a lecture misheard is more than a learner should be shown.
MAX_LOW_CONFIDENCE_SHARE = 0.25
#: the language every course is taught in (Whisper's code); its script is set per course
LECTURE_LANGUAGE = "zh"

#: why a line is low-confidence, in the order they are checked
UNSURE, REPETITIVE, NO_SPEECH, SPARSE, OTHER_LANGUAGE = (
    "unsure",
    "repetitive",
    "no_speech",
    "sparse",
    "other_language",
)
#: why a transcript is held: nothing was heard, it is in another language, too much is unsure
HOLD_NOTHING_HEARD, HOLD_OTHER_LANGUAGE, HOLD_LOW_CONFIDENCE = (
    "nothing_heard",
    "other_language",
    "low_confidence",
)


@dataclass(frozen=True)
class Thresholds:
    """The bars of the low-confidence rule (defaults above; an admin may tune them)."""

    min_avg_logprob: float = MIN_AVG_LOGPROB
    max_compression_ratio: float = MAX_COMPRESSION_RATIO
    max_no_speech_prob: float = MAX_NO_SPEECH_PROB
    min_chars_per_second: float = MIN_CHARS_PER_SECOND
    max_low_confidence_share: float = MAX_LOW_CONFIDENCE_SHARE

    @classmethod
    def from_config(cls, config: Mapping) -> Thresholds:
        """The thresholds an app is configured with (academy/config.py)."""
        return cls(
            min_avg_logprob=config.get("TRANSCRIPT_MIN_AVG_LOGPROB", MIN_AVG_LOGPROB),
            max_compression_ratio=config.get(
                "TRANSCRIPT_MAX_COMPRESSION_RATIO", MAX_COMPRESSION_RATIO
            ),
            max_no_speech_prob=config.get("TRANSCRIPT_MAX_NO_SPEECH_PROB", MAX_NO_SPEECH_PROB),
            min_chars_per_second=config.get(
                "TRANSCRIPT_MIN_CHARS_PER_SECOND", MIN_CHARS_PER_SECOND
            ),
            max_low_confidence_share=config.get(
                "TRANSCRIPT_MAX_LOW_CONFIDENCE_SHARE", MAX_LOW_CONFIDENCE_SHARE
            ),
        )


def low_confidence_reasons(
    segment: Segment, thresholds: Thresholds = Thresholds(), language: str = LECTURE_LANGUAGE
) -> list[str]:
    """Why Whisper's line is doubtful (empty: it is not, or it is the instructor's line)."""
    if not segment.from_machine:
        return []
    reasons = []
    if segment.avg_logprob < thresholds.min_avg_logprob:
        reasons.append(UNSURE)
    if (segment.compression_ratio or 0.0) > thresholds.max_compression_ratio:
        reasons.append(REPETITIVE)
    if (segment.no_speech_prob or 0.0) > thresholds.max_no_speech_prob:
        reasons.append(NO_SPEECH)
    seconds = segment.end - segment.start
    if (
        seconds >= SPARSE_MIN_SECONDS
        and content_chars(segment.text) / seconds < thresholds.min_chars_per_second
    ):
        reasons.append(SPARSE)
    if segment.language is not None and segment.language != language:
        reasons.append(OTHER_LANGUAGE)
    return reasons


def is_low_confidence(
    segment: Segment, thresholds: Thresholds = Thresholds(), language: str = LECTURE_LANGUAGE
) -> bool:
    """Whether the studio should ask the instructor to check this line."""
    return bool(low_confidence_reasons(segment, thresholds, language))


def content_chars(text: str) -> int:
    """Characters that carry speech: letters and digits, not punctuation or spaces."""
    return sum(1 for char in text if char.isalnum())


@dataclass(frozen=True)
class Review:
    """How far a transcript can be trusted, and whether it is held for correction."""

    #: seconds of audio the lines cover (and missed speech), and of those in low-confidence
    #: lines (and missed speech)
    speech_seconds: float
    low_seconds: float
    low_lines: int
    machine_lines: int
    #: the language Whisper detected (weighted by time) and how sure it was; None: unknown
    language: str | None
    language_probability: float | None
    #: why it is held (HOLD_*); empty: it may be published without a second look
    held_because: list[str] = field(default_factory=list)
    #: (start, end) of speech heard but in no line (missed_speech); counted as low-confidence
    missed: list[tuple[float, float]] = field(default_factory=list)

    @property
    def missed_seconds(self) -> float:
        return round(sum(end - start for start, end in self.missed), 2)

    @property
    def low_share(self) -> float:
        """Share of the speech time in low-confidence lines, 0..1."""
        return self.low_seconds / self.speech_seconds if self.speech_seconds > 0 else 0.0

    @property
    def held(self) -> bool:
        return bool(self.held_because)


def review_transcript(
    segments: Sequence[Segment],
    thresholds: Thresholds = Thresholds(),
    language: str = LECTURE_LANGUAGE,
    heard_speech: Sequence[tuple[float, float]] = (),
) -> Review:
    """Measure a transcript against the rule: share of low-confidence time, language, holds.

    `heard_speech`: where the voice detector heard speech at transcription; speech in no line
    counts as low-confidence time, as a line nobody can read would.
    """
    missed = missed_speech(segments, heard_speech)
    speech = low = sum(end - start for start, end in missed)
    low_lines = 0
    for segment in segments:
        seconds = max(0.0, segment.end - segment.start)
        speech += seconds
        if is_low_confidence(segment, thresholds, language):
            low += seconds
            low_lines += 1
    machine = [segment for segment in segments if segment.from_machine]
    detected, probability = detected_language(segments)
    # The language hold looks at Whisper's own lines only: once the instructor has rewritten
    # them, they vouch for the text, whatever was spoken.
    machine_language, _ = detected_language(machine)
    held = []
    if not any(content_chars(segment.text) for segment in segments):
        held.append(HOLD_NOTHING_HEARD)
    if machine_language is not None and machine_language != language:
        held.append(HOLD_OTHER_LANGUAGE)
    if speech > 0 and low / speech > thresholds.max_low_confidence_share:
        held.append(HOLD_LOW_CONFIDENCE)
    return Review(
        speech_seconds=round(speech, 2),
        low_seconds=round(low, 2),
        low_lines=low_lines,
        machine_lines=len(machine),
        language=detected,
        language_probability=probability,
        held_because=held,
        missed=missed,
    )


def missed_speech(
    segments: Sequence[Segment],
    heard_speech: Sequence[tuple[float, float]],
    min_seconds: float = MIN_MISSED_SECONDS,
) -> list[tuple[float, float]]:
    """The stretches of heard speech, at least `min_seconds` long, that no line with text covers.

    Any line covers its time, Whisper's or the instructor's: once the instructor has written what
    was said there, nothing is missing any more.
    """
    covered = _union(
        (segment.start, segment.end) for segment in segments if content_chars(segment.text)
    )
    ends = [end for _, end in covered]
    missed = []
    for start, end in sorted(heard_speech):
        at, index = start, bisect.bisect_right(ends, start)  # the first line still to come
        while index < len(covered) and covered[index][0] < end:
            line_start, line_end = covered[index]
            if line_start - at >= min_seconds:
                missed.append((round(at, 2), round(line_start, 2)))
            at, index = max(at, line_end), index + 1
        if end - at >= min_seconds:
            missed.append((round(at, 2), round(end, 2)))
    return missed


def detected_language(segments: Sequence[Segment]) -> tuple[str | None, float | None]:
    """The language most of the audio was detected as (by time), and its mean probability."""
    seconds: dict[str, float] = defaultdict(float)
    weighted: dict[str, float] = defaultdict(float)
    for segment in segments:
        if segment.language is None:
            continue
        length = max(0.01, segment.end - segment.start)
        seconds[segment.language] += length
        weighted[segment.language] += length * (segment.language_probability or 0.0)
    if not seconds:
        return None, None
    language = max(seconds, key=seconds.__getitem__)
    return language, round(weighted[language] / seconds[language], 3)


def _union(spans) -> list[tuple[float, float]]:
    """Time spans merged where they overlap, in order: their ends rise too."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
