"""The demo's lectures put through the real pipeline, then corrected as an instructor would.

Whisper base hears espeak-ng's Mandarin poorly, and the product holds such a transcript for
correction; the demo shows what happens next. Its instructor has the lecture's script (the
narration the video was spoken from), lays it over Whisper's timed lines (text/align.py) and
saves it through the studio's own correction, regenerates and publishes. What Whisper heard
stays beside each corrected line, in the studio.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from academy.catalog.models import Lesson
from academy.demo.lectures import LECTURES, narration_text
from academy.extensions import db
from academy.insights import services as insights
from academy.insights.text.align import align_script
from academy.jobs import task


@task()
def prepare_demo_lecture(lesson_id: int) -> None:
    """Transcribe, correct, regenerate and publish one demo lecture (safe to run again)."""
    prepare_lecture(lesson_id)


def prepare_lecture(lesson_id: int) -> list[str]:
    """The steps of a demo lecture still to do, done in order; returns the ones it did. A step
    already done is skipped, so running it again finishes what an interrupted run left."""
    lesson = db.session.get(Lesson, lesson_id)
    slug = Path(lesson.media_path or "").stem
    if slug not in LECTURES:
        return []
    done = []
    if insights.get_insight(lesson.id) is None:
        job = insights.run_job_here(lesson, "full")
        done.append("transcribed")
        if job.status != "done":
            return done
    insight = insights.get_insight(lesson.id)
    if insight.transcript_edited_at is None:
        # Whisper may have written nothing at all (it gives up on some synthetic voices): the
        # script is then laid over the speech the voice detector heard, as an instructor would.
        corrected = align_script(
            narration_text(slug),
            insights.segments_of(insight),
            duration=(lesson.duration_ms or 0) / 1000 or None,
            speech=insights.heard_speech_of(insight),
        )
        if not corrected:
            current_app.logger.warning("demo lecture %s: nothing heard to lay the script on", slug)
            return done
        insights.save_transcript(lesson, corrected)
        done.append("corrected")
    if insights.get_insight(lesson.id).derivations_stale:
        job = insights.run_job_here(lesson, "derive")
        if job.status != "done":  # not published from the old transcript: a rerun finishes it
            current_app.logger.warning("demo lecture %s: regenerating failed: %s", slug, job.error)
            return done
        done.append("regenerated")
    if insights.get_insight(lesson.id).published_at is None:
        insights.publish(lesson)
        done.append("published")
    return done
