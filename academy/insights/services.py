"""What other domains call of the lecture pipeline, in one place.

The code lives by concern: pipeline.py (the steps and the job that runs them), progress.py
(its progress and timing), tasks.py (queueing), derive.py (what is derived from a
transcript), editing.py (the instructor's working copy and the published snapshot),
confidence.py (the low-confidence rule). Callers import this module as `insights` and keep
working whichever file a function moves to.
"""

from academy.insights.confidence import Review, Thresholds
from academy.insights.derive import corpus_for, derive_keywords, glossary_terms, transcript_text
from academy.insights.editing import (
    carry_over,
    get_insight,
    heard_speech_of,
    hold_reasons,
    language_name,
    mind_map_nodes,
    mind_map_svg,
    publish,
    published_questions,
    published_view,
    published_views,
    review,
    review_of,
    save_derivations,
    save_transcript,
    segments_of,
    shuffled_question,
    thresholds,
    version_of,
)
from academy.insights.models import ACTIVE
from academy.insights.pipeline import (
    LOST_AFTER,
    STALL_AFTER,
    STEPS,
    derive_all,
    latest_job,
    latest_jobs,
    run_job,
)
from academy.insights.progress import job_timing
from academy.insights.tasks import recover_stalled_jobs, retry_job, run_job_here, start_job

__all__ = [
    "ACTIVE",
    "LOST_AFTER",
    "STALL_AFTER",
    "STEPS",
    "Review",
    "Thresholds",
    "carry_over",
    "corpus_for",
    "derive_all",
    "derive_keywords",
    "get_insight",
    "glossary_terms",
    "heard_speech_of",
    "hold_reasons",
    "job_timing",
    "language_name",
    "latest_job",
    "latest_jobs",
    "mind_map_nodes",
    "mind_map_svg",
    "publish",
    "published_questions",
    "published_view",
    "published_views",
    "recover_stalled_jobs",
    "retry_job",
    "review",
    "review_of",
    "run_job",
    "run_job_here",
    "save_derivations",
    "save_transcript",
    "version_of",
    "segments_of",
    "shuffled_question",
    "start_job",
    "thresholds",
    "transcript_text",
]
