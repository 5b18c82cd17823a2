"""What is derived from a transcript: cleaning, key phrases, summary, chapters, questions, mind map.

Each derivation is a plain function over a `Draft` (the transcript, the course's glossary, the
corpus to score terms against) that adds its part. pipeline.py runs them in order, for a job
and for the command line alike; nothing here knows about jobs. The derivations read a cleaned
copy of the transcript (text/clean.py), and what they make is checked once more on the way
out: no key phrase, chapter title or answer that is a stray foreign word or a loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import select

from academy.extensions import db
from academy.insights.models import LessonInsight
from academy.insights.text.clean import (
    clean_segments,
    clean_text,
    clean_title,
    is_clean_phrase,
    is_clean_text,
    repeated_acronyms,
)
from academy.insights.types import Chapter, Question, Segment, segment_from_dict, to_dict


def glossary_terms(glossary: str) -> list[str]:
    """One term per line (commas and 、 also separate), without blanks or repeats."""
    terms: list[str] = []
    for line in glossary.replace("，", "\n").replace(",", "\n").replace("、", "\n").splitlines():
        term = line.strip()
        if term and term not in terms:
            terms.append(term)
    return terms


def transcript_text(segments: list[Segment]) -> str:
    return "\n".join(segment.text for segment in segments)


def corpus_for(exclude_lesson_id: int | None = None):
    """The platform's own corpus: every transcript (but one lesson's), for IDF."""
    from academy.insights.text.corpus import Corpus

    texts = [
        transcript_text([segment_from_dict(row) for row in insight.segments])
        for insight in db.session.scalars(select(LessonInsight))
        if insight.segments and insight.lesson_id != exclude_lesson_id
    ]
    return Corpus.from_texts(texts)


@dataclass
class Draft:
    """A transcript on its way through the derivations, and what they made of it so far."""

    title: str
    #: the transcript as stored (what Whisper heard, or the instructor's correction)
    segments: list[Segment]
    glossary: list[str] = field(default_factory=list)
    #: the other lectures to score terms against; None: general Chinese only
    corpus: object = None
    #: makes the questions' choices come out in the same order for the same lesson
    seed: int = 0
    #: the segments the derivations read: cleaned (text/clean.py)
    cleaned: list[Segment] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    summary: str = ""
    chapters: list[Chapter] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    mind_map: dict = field(default_factory=dict)

    @property
    def acronyms(self) -> frozenset[str]:
        """The acronyms the lecture says often enough to be shown (ETF, QDII: text/clean.py)."""
        return repeated_acronyms(segment.text for segment in self.segments)

    def result(self) -> dict:
        """What is stored on the lesson's insight, as JSON-ready values."""
        return {
            "keywords": self.keywords,
            "summary": self.summary,
            "chapters": [to_dict(c) for c in self.chapters],
            "questions": [to_dict(q) for q in self.questions],
            "mind_map": self.mind_map,
        }


def clean(draft: Draft) -> None:
    """Take stray foreign words and loops out of the copy the derivations read."""
    draft.cleaned = clean_segments(draft.segments, draft.glossary)


def find_keywords(draft: Draft) -> None:
    """About 20 key phrases, scored against the corpus of other lectures when there is one."""
    from academy.insights.text.keywords import extract_keywords

    found = extract_keywords(
        transcript_text(draft.cleaned), corpus=draft.corpus, glossary=draft.glossary
    )
    acronyms = draft.acronyms
    draft.keywords = [k for k in found if is_clean_phrase(k, draft.glossary, acronyms=acronyms)]


def write_summary(draft: Draft) -> None:
    """A few of the lecture's own sentences, in their order."""
    from academy.insights.text.summary import summarize

    draft.summary = summarize(draft.cleaned, keywords=draft.keywords)


def find_chapters(draft: Draft) -> None:
    """3-8 chapters, each titled; a title or point that may not be shown is cleaned or dropped."""
    from academy.insights.text.chapters import find_chapters as chapters_of

    chapters, acronyms = [], draft.acronyms
    for number, chapter in enumerate(chapters_of(draft.cleaned, keywords=draft.keywords), 1):
        title = chapter.title
        if not is_clean_phrase(title, draft.glossary, acronyms=acronyms):
            title = clean_title(title, draft.glossary, acronyms=acronyms) or f"第{number}部分"
        points = [clean_text(point, draft.glossary, acronyms=acronyms) for point in chapter.points]
        chapters.append(replace(chapter, title=title, points=[p for p in points if p]))
    draft.chapters = chapters


def make_questions(draft: Draft) -> None:
    """Review questions; one whose answer or choices may not be shown is left out."""
    from academy.insights.text import questions

    made = questions.make_questions(draft.cleaned, keywords=draft.keywords, seed=draft.seed)
    acronyms = draft.acronyms
    draft.questions = [q for q in made if _may_be_shown(q, draft.glossary, acronyms)]


def _may_be_shown(question: Question, glossary: list[str], acronyms: frozenset[str]) -> bool:
    if question.kind == "blank":  # its choices are key phrases
        return all(is_clean_phrase(c, glossary, acronyms=acronyms) for c in question.choices)
    return all(is_clean_text(c, glossary, acronyms=acronyms) for c in question.choices)


def draw_mind_map(draft: Draft) -> None:
    """Lecture -> chapters -> key points."""
    from academy.insights.text.mindmap import build_mind_map

    draft.mind_map = build_mind_map(draft.title, draft.chapters)


def derive_keywords(segments: list[Segment], glossary: list[str], corpus=None) -> list[str]:
    """The key phrases alone (the command line's `keywords`), cleaned as in the pipeline."""
    draft = Draft("", segments, glossary=glossary, corpus=corpus)
    clean(draft)
    find_keywords(draft)
    return draft.keywords
