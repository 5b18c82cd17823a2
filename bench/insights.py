"""How well the text derivations do on labelled lectures, against plain jieba, and how fast.

For each lecture in bench/data (or the folder given): key phrases against the 20 an editor
picked (verbatim hits), chapter starts against the marked ones (within 1 segment or 15 s),
summary checks (sentence count, fragments, order), and the time each derivation takes. The
corpus IDF for a lecture comes from the OTHER lectures (leave-one-out) plus the demo lecture
scripts, never from the lecture itself.

Usage: python bench/insights.py [DATA_DIR] [-v]
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from academy.demo.lectures import LECTURES  # noqa: E402
from academy.insights.text import chapters as chapters_module  # noqa: E402
from academy.insights.text.chapters import find_chapters  # noqa: E402
from academy.insights.text.corpus import Corpus  # noqa: E402
from academy.insights.text.keywords import extract_keywords  # noqa: E402
from academy.insights.text.mindmap import build_mind_map, render_svg  # noqa: E402
from academy.insights.text.questions import make_questions  # noqa: E402
from academy.insights.text.sentences import (  # noqa: E402
    TERMINALS,
    needs_predecessor,
    transcript_text,
)
from academy.insights.text.summary import MIN_SUMMARY_CHARS, summarize  # noqa: E402
from academy.insights.text.words import warm_up  # noqa: E402
from academy.insights.types import Segment  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
#: a predicted chapter start counts when it is this close to a marked one
MATCH_SEGMENTS = 1
MATCH_SECONDS = 15.0


@dataclass
class Lecture:
    """A labelled lecture from bench/data."""

    slug: str
    title: str
    segments: list[Segment]
    key_phrases: list[str]
    chapter_starts: list[int]

    @property
    def text(self) -> str:
        """The transcript, a line per segment."""
        return transcript_text(self.segments)


@dataclass
class Result:
    """What one lecture scored."""

    slug: str
    hits: int
    predicted: int
    baseline_hits: int
    chapters: tuple[int, int, int]
    chapters_no_cues: tuple[int, int, int]
    summary_sentences: int
    fragments: int
    in_order: bool
    timings: dict[str, float] = field(default_factory=dict)


def load(folder: Path) -> list[Lecture]:
    """The labelled lectures of a folder (*.json as in bench/data)."""
    lectures = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        lectures.append(
            Lecture(
                data["slug"],
                data["title"],
                [Segment(s["start"], s["end"], s["text"]) for s in data["segments"]],
                data["key_phrases"],
                data["chapter_starts"],
            )
        )
    return lectures


def demo_texts() -> list[str]:
    """The demo lecture scripts (spoken narration), as extra corpus documents."""
    return ["\n".join(s["narration"] for s in lecture["slides"]) for lecture in LECTURES.values()]


def jieba_baseline(text: str) -> list[str]:
    """Plain jieba TF-IDF: jieba.analyse.extract_tags(text, topK=20)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba.analyse

        return jieba.analyse.extract_tags(text, topK=20)


def boundary_matches(lecture: Lecture, predicted: list[int]) -> tuple[int, int, int]:
    """(matched, predicted, marked) chapter starts, the lecture's opening left out."""
    marked = [i for i in lecture.chapter_starts if i > 0]
    guesses = [i for i in predicted if i > 0]
    free = list(marked)
    matched = 0
    for guess in guesses:
        for mark in free:
            near = abs(guess - mark) <= MATCH_SEGMENTS
            close = abs(lecture.segments[guess].start - lecture.segments[mark].start)
            if near or close <= MATCH_SECONDS:
                free.remove(mark)
                matched += 1
                break
    return matched, len(guesses), len(marked)


def start_indices(lecture: Lecture, starts: list[float]) -> list[int]:
    """Chapter start times as indices of the segments they start."""
    by_time = {segment.start: i for i, segment in enumerate(lecture.segments)}
    return [by_time[start] for start in starts]


def summary_checks(lecture: Lecture, summary: str) -> tuple[int, int, bool]:
    """(sentences, fragments, order kept) of a summary."""
    # The summary's own sentence ends; split_sentences would also cut long ones at commas.
    sentences = re.findall(r"[^。！？!?]+[。！？!?]+", summary)
    fragments = 0
    for sentence in sentences:
        body = sentence.rstrip(TERMINALS)
        dangling = needs_predecessor(sentence) and sentence is sentences[0]
        if len(body) < MIN_SUMMARY_CHARS or dangling or sentence[-1] not in TERMINALS:
            fragments += 1
    flat = lecture.text.replace("\n", "").replace(" ", "")
    positions = []
    for sentence in sentences:
        probe = sentence.rstrip(TERMINALS).replace("，", "")[-8:]
        positions.append(flat.replace("，", "").find(probe))
    in_order = all(a <= b for a, b in zip(positions, positions[1:], strict=False))
    return len(sentences), fragments, in_order


def timed(timings: dict[str, float], name: str, call):
    """call(), its time noted under name."""
    began = time.perf_counter()
    value = call()
    timings[name] = time.perf_counter() - began
    return value


def run(lecture: Lecture, others: list[str], verbose: bool) -> Result:
    """Every derivation on one lecture, scored and timed; the corpus is the other texts."""
    timings: dict[str, float] = {}
    corpus = timed(timings, "corpus", lambda: Corpus.from_texts(others))
    keywords = timed(timings, "keywords", lambda: extract_keywords(lecture.text, corpus=corpus))
    summary = timed(timings, "summary", lambda: summarize(lecture.segments, keywords=keywords))
    chapters = timed(
        timings, "chapters", lambda: find_chapters(lecture.segments, keywords=keywords)
    )
    timed(
        timings,
        "questions",
        lambda: make_questions(lecture.segments, keywords=keywords, seed=1),
    )
    timed(timings, "mindmap", lambda: render_svg(build_mind_map(lecture.title, chapters)))
    predicted = start_indices(lecture, [chapter.start for chapter in chapters])
    saved = chapters_module.CUE_WEIGHT
    chapters_module.CUE_WEIGHT = 0.0
    try:
        plain = find_chapters(lecture.segments, keywords=keywords)
    finally:
        chapters_module.CUE_WEIGHT = saved
    plain_predicted = start_indices(lecture, [chapter.start for chapter in plain])
    gold = set(lecture.key_phrases)
    baseline = jieba_baseline(lecture.text)
    sentences, fragments, in_order = summary_checks(lecture, summary)
    if verbose:
        print(f"\n== {lecture.slug}")
        print("  ours  :", " ".join(("*" if k in gold else "") + k for k in keywords))
        print("  jieba :", " ".join(("*" if k in gold else "") + k for k in baseline))
        print("  missed:", " ".join(k for k in lecture.key_phrases if k not in keywords))
        print("  starts:", predicted, "marked", lecture.chapter_starts)
        for chapter in chapters:
            print(f"    {chapter.start:6.1f}s {chapter.title} | {' / '.join(chapter.points)}")
        print("  summary:", summary)
    return Result(
        lecture.slug,
        sum(1 for k in keywords if k in gold),
        len(keywords),
        sum(1 for k in baseline if k in gold),
        boundary_matches(lecture, predicted),
        boundary_matches(lecture, plain_predicted),
        sentences,
        fragments,
        in_order,
        timings,
    )


def f1(matched: int, predicted: int, marked: int) -> tuple[float, float, float]:
    """Precision, recall and F1."""
    precision = matched / predicted if predicted else 0.0
    recall = matched / marked if marked else 0.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, score


def main(folder: Path = DATA, verbose: bool = False) -> None:
    """Score every lecture of folder and print the table and the overall figures."""
    began = time.perf_counter()
    warm_up()
    print(f"jieba + tables loaded in {time.perf_counter() - began:.2f} s")
    lectures = load(folder)
    demo = demo_texts()
    results = [
        run(lecture, [o.text for o in lectures if o is not lecture] + demo, verbose)
        for lecture in lectures
    ]
    print()
    header = (
        f"{'lecture':30} {'ours/20':>7} {'jieba/20':>8} {'kw P':>5} {'kw R':>5} {'kw F1':>5} "
        f"{'ch P':>5} {'ch R':>5} {'ch F1':>5} {'sum':>3} {'frag':>4} {'order':>5} "
        f"{'kw ms':>6} {'sum ms':>6} {'ch ms':>6} {'q ms':>5} {'svg ms':>6}"
    )
    print(header)
    for r in results:
        kw = f1(r.hits, r.predicted, 20)
        ch = f1(*r.chapters)
        t = {name: seconds * 1000 for name, seconds in r.timings.items()}
        print(
            f"{r.slug:30} {r.hits:>7} {r.baseline_hits:>8} {kw[0]:5.2f} {kw[1]:5.2f} {kw[2]:5.2f} "
            f"{ch[0]:5.2f} {ch[1]:5.2f} {ch[2]:5.2f} {r.summary_sentences:>3} {r.fragments:>4} "
            f"{'yes' if r.in_order else 'NO':>5} {t['keywords']:6.0f} {t['summary']:6.0f} "
            f"{t['chapters']:6.0f} {t['questions']:5.0f} {t['mindmap']:6.0f}"
        )
    hits = [r.hits for r in results]
    baseline = [r.baseline_hits for r in results]
    chapter_totals = [sum(r.chapters[i] for r in results) for i in range(3)]
    plain_totals = [sum(r.chapters_no_cues[i] for r in results) for i in range(3)]
    keyword_totals = (sum(hits), sum(r.predicted for r in results), 20 * len(results))
    print()
    print(
        f"key phrases: ours {statistics.mean(hits):.1f}/20 per lecture (min {min(hits)}), "
        f"jieba TF-IDF {statistics.mean(baseline):.1f}/20; "
        "P {:.2f} R {:.2f} F1 {:.2f}".format(*f1(*keyword_totals))
    )
    print(
        "chapter starts (opening left out): P {:.2f} R {:.2f} F1 {:.2f}".format(
            *f1(*chapter_totals)
        )
    )
    print(
        "  without spoken cues (cohesion only): P {:.2f} R {:.2f} F1 {:.2f}".format(
            *f1(*plain_totals)
        )
    )
    fragments = sum(r.fragments for r in results)
    print(
        f"summaries: {statistics.mean(r.summary_sentences for r in results):.1f} sentences, "
        f"{fragments} fragments, order kept in {sum(r.in_order for r in results)}/{len(results)}"
    )
    totals = [sum(v for k, v in r.timings.items() if k != "corpus") for r in results]
    print(
        f"time per lecture (all derivations, warm): mean {statistics.mean(totals) * 1000:.0f} ms, "
        f"max {max(totals) * 1000:.0f} ms; corpus of {len(lectures) - 1 + len(demo)} texts built "
        f"in {statistics.mean(r.timings['corpus'] for r in results) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("-")]
    main(Path(arguments[0]) if arguments else DATA, verbose="-v" in sys.argv[1:])
