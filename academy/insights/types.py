"""Plain values passed between transcription, the derivations and the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Segment:
    """A stretch of speech with its time in the lecture, in seconds."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Chapter:
    """A topical part of a lecture: where it starts, a short title, a 2-4 sentence summary."""

    start: float
    title: str
    summary: str
    #: key points under this chapter, for the mind map
    points: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Question:
    """A review question (要点回顾) with the explanation of its right answer."""

    #: 'choice' (multiple choice) or 'blank' (fill in the blank, given as choices too)
    kind: str
    prompt: str
    choices: list[str]
    #: index into choices of the right answer
    answer: int
    explanation: str


def to_dict(value) -> dict:
    """A dataclass as a JSON-ready dict."""
    return asdict(value)
