"""What the studio shows of a transcript's confidence: each line, whether and why to check it,
what Whisper had heard there, and the lesson's processing summary."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from academy.insights import confidence
from academy.insights import services as insights
from academy.insights.types import Segment


@dataclass(frozen=True)
class Line:
    """One transcript line as the studio's review list shows it."""

    #: its line in the editor (None: speech no line holds, which has no line yet)
    number: int | None
    start: float
    end: float
    text: str
    #: why to check it, in words (empty: nothing to check)
    reasons: list[str]
    #: Whisper's line, untouched (True), or the instructor's (False)
    from_machine: bool
    #: what Whisper heard here, when the instructor changed it
    heard: str | None


def reason_text(reason: str, segment: Segment, thresholds: confidence.Thresholds) -> str:
    """Why a line is low-confidence, with Whisper's figure and the bar it missed."""
    if reason == confidence.UNSURE:
        return _(
            "识别把握低：平均对数概率 %(value).2f，低于 %(limit).2f",
            value=segment.avg_logprob,
            limit=thresholds.min_avg_logprob,
        )
    if reason == confidence.REPETITIVE:
        return _(
            "文字重复（可能是识别循环）：压缩比 %(value).1f，高于 %(limit).1f",
            value=segment.compression_ratio,
            limit=thresholds.max_compression_ratio,
        )
    if reason == confidence.NO_SPEECH:
        return _(
            "可能没有人声：无语音概率 %(value)d%%，高于 %(limit)d%%",
            value=round(segment.no_speech_prob * 100),
            limit=round(thresholds.max_no_speech_prob * 100),
        )
    if reason == confidence.SPARSE:
        seconds = max(0.01, segment.end - segment.start)
        return _(
            "文字过少（可能漏听）：每秒 %(value).1f 个字，少于 %(limit).1f 个",
            value=confidence.content_chars(segment.text) / seconds,
            limit=thresholds.min_chars_per_second,
        )
    return _(
        "这段识别出的语言是%(language)s，不是中文",
        language=insights.language_name(segment.language),
    )


def review_lines(
    segments: list[Segment], missed: list[tuple[float, float]] | None = None
) -> list[Line]:
    """Every line of the transcript, with why to check it, and in its place in time each
    stretch of speech that no line holds (Whisper dropped it)."""
    thresholds = insights.thresholds()
    lines = [
        Line(
            number=number,
            start=segment.start,
            end=segment.end,
            text=segment.text,
            reasons=[
                reason_text(reason, segment, thresholds)
                for reason in confidence.low_confidence_reasons(segment, thresholds)
            ],
            from_machine=segment.from_machine,
            heard=segment.heard,
        )
        for number, segment in enumerate(segments, 1)
    ]
    gaps = [
        Line(
            number=None,
            start=start,
            end=end,
            text="",
            reasons=[
                _(
                    "这里约 %(seconds)d 秒有人声，但转写稿里没有文字（可能漏听）："
                    "请在编辑框按时间补写这一段",
                    seconds=round(end - start),
                )
            ],
            from_machine=True,
            heard=None,
        )
        for start, end in missed or []
    ]
    return sorted(lines + gaps, key=lambda line: line.start)


def machine_text(segments: list[Segment]) -> str:
    """The transcript as Whisper heard it (机器原稿), a line each, in order."""
    return "\n".join(
        segment.heard if segment.heard is not None else segment.text
        for segment in segments
        if segment.from_machine or segment.heard
    )
