"""Time, Python memory and size of one anonymous view of a course page, by what its lessons hold.

Runs the real app in-process; each lesson's published insights are filled to the studio's bounds
(academy/insights/bounds.py), or with 20,000 chapters as the unbounded studio allowed. Memory is
the peak traced by tracemalloc during a second view (the first warms the template cache).
Usage: python bench/course_page.py [LESSONS]
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from academy import create_app  # noqa: E402
from academy.extensions import db  # noqa: E402
from academy.insights import bounds  # noqa: E402
from academy.insights import services as insights  # noqa: E402
from academy.insights.models import LessonInsight  # noqa: E402
from academy.insights.text.mindmap import build_mind_map  # noqa: E402
from academy.insights.types import Chapter  # noqa: E402
from tests.factories import Factory  # noqa: E402


def at_bounds(chapters: int) -> tuple[list[dict], list[dict]]:
    """`chapters` chapters and MAX_QUESTIONS questions, every text at its longest."""
    chapter = {
        "title": "题" * bounds.MAX_CHAPTER_TITLE_CHARS,
        "summary": "摘" * bounds.MAX_CHAPTER_SUMMARY_CHARS,
        "points": ["点" * bounds.MAX_POINT_CHARS] * bounds.MAX_CHAPTER_POINTS,
    }
    question = {
        "kind": "choice",
        "prompt": "问" * bounds.MAX_QUESTION_CHARS,
        "choices": ["选" * bounds.MAX_CHOICE_CHARS] * bounds.MAX_CHOICES,
        "answer": 0,
        "explanation": "解" * bounds.MAX_EXPLANATION_CHARS,
    }
    return [{"start": i * 10.0, **chapter} for i in range(chapters)], [
        question
    ] * bounds.MAX_QUESTIONS


def measure(label: str, lessons: int, chapters: list[dict], questions: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "INSTANCE_PATH": Path(tmp) / "instance",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "MEDIA_PATH": Path(tmp) / "media",
                "SECRET_KEY": "bench",
                "JOBS_IMMEDIATE": True,
            }
        )
        with app.app_context():
            db.create_all()
            course = Factory(app).course(lessons=[4 * 3600 * 1000] * lessons)
            tree = build_mind_map("讲座", [Chapter(**c) for c in chapters])
            for lesson in course.lessons:
                segments = [{"start": 0.0, "end": 5.0, "text": "好"}]
                db.session.add(
                    LessonInsight(
                        lesson_id=lesson.id,
                        segments=segments,
                        keywords=["词"] * bounds.MAX_KEYWORDS,
                        summary="摘" * bounds.MAX_SUMMARY_CHARS,
                        chapters=chapters,
                        questions=questions,
                        mind_map=tree,
                    )
                )
                db.session.commit()
                insights.publish(lesson)
            client, url = app.test_client(), f"/courses/{course.id}"
            client.get(url)
            began = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - began
            tracemalloc.start()
            client.get(url)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            db.session.remove()
            db.engine.dispose()
    print(f"{label:48}{elapsed:8.2f} s{peak / 2**20:9.1f} MB{len(response.data) / 2**20:9.2f} MB")


def main(lessons: int = 1) -> None:
    print(f"{'':48}{'time':>10}{'memory':>12}{'html':>12}")
    chapters, questions = at_bounds(bounds.MAX_CHAPTERS)
    short = [
        {"start": float(i), "title": f"第{i}章", "summary": "", "points": []} for i in range(20_000)
    ]
    measure("1 lesson, 20,000 short chapters (unbounded)", 1, short, [])
    measure("1 lesson at every bound", 1, chapters, questions)
    if lessons > 1:
        measure(f"{lessons} lessons at every bound", lessons, chapters, questions)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
