"""A lesson's published transcript as WebVTT captions, the format browsers' <track> reads."""

from __future__ import annotations

from collections.abc import Iterable


def vtt_timestamp(seconds: float) -> str:
    """Seconds as a WebVTT timestamp, hh:mm:ss.ttt (hours always written, never negative)."""
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def vtt_text(text: str) -> str:
    """Cue text escaped as WebVTT asks (&, <, >), on one line: a blank line would end the cue."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(escaped.split())


def webvtt(segments: Iterable[dict]) -> str:
    """The captions file: one numbered cue per transcript segment that has text and a length."""
    lines = ["WEBVTT", ""]
    number = 0
    for segment in segments:
        text = vtt_text(str(segment.get("text") or ""))
        start, end = float(segment["start"]), float(segment["end"])
        if not text or end <= start:
            continue  # a cue must end after it starts; an empty one shows nothing
        number += 1
        lines += [str(number), f"{vtt_timestamp(start)} --> {vtt_timestamp(end)}", text, ""]
    return "\n".join(lines)
