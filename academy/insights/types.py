"""Plain values passed between transcription, the derivations and the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Segment:
    """A stretch of speech with its time in the lecture, in seconds.

    A line as Whisper heard it also carries Whisper's own signals of how sure it was (see
    confidence.py) and the language detected in its part of the audio; a line the instructor
    wrote or corrected carries none (they vouch for it), and `heard` keeps what Whisper had
    heard there, so the machine's original stays visible beside the correction.
    """

    start: float
    end: float
    text: str
    #: mean log probability of the tokens (0 is certain; Whisper retries a window below -1)
    avg_logprob: float | None = None
    #: Whisper's probability that the window holds no speech at all
    no_speech_prob: float | None = None
    #: length of the text over its zlib-compressed length: high when a line repeats itself
    compression_ratio: float | None = None
    #: the language Whisper detected in this part of the audio ('zh', 'es' ...), and how sure
    language: str | None = None
    language_probability: float | None = None
    #: what Whisper heard in this line's time, kept when the instructor changed the text
    heard: str | None = None

    @property
    def from_machine(self) -> bool:
        """Whether this is Whisper's line as it heard it (not written or corrected by hand)."""
        return self.avg_logprob is not None


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


def segment_dict(segment: Segment) -> dict:
    """A segment as stored: start, end and text, and only the signals it has."""
    return {key: value for key, value in asdict(segment).items() if value is not None}


def segment_from_dict(row: dict) -> Segment:
    """A stored segment back as a Segment (unknown keys ignored, missing signals None)."""
    return Segment(
        float(row["start"]),
        float(row["end"]),
        str(row["text"]),
        **{name: row[name] for name in EXTRA_FIELDS if row.get(name) is not None},
    )


#: the optional fields of a Segment, as stored
EXTRA_FIELDS = (
    "avg_logprob",
    "no_speech_prob",
    "compression_ratio",
    "language",
    "language_probability",
    "heard",
)
