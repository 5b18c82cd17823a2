"""The lecture pipeline as rows and plain functions: jobs, the transcript, its derivations.

A job is claimed with a conditional update (queued -> running), so running it twice is safe;
a job whose worker died is noticed by its stale heartbeat and queued again.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from academy import clock
from academy.catalog.models import Lesson
from academy.errors import Refusal
from academy.extensions import db
from academy.insights import bounds
from academy.insights.models import LessonInsight, ProcessingJob
from academy.insights.types import Chapter, Question, Segment, to_dict

#: a running job whose heartbeat is older than this lost its worker
STALL_AFTER = timedelta(minutes=3)
#: a queued job never picked up in this long lost its queue entry (e.g. Redis flushed)
LOST_AFTER = timedelta(minutes=15)
ACTIVE = ("queued", "running")
#: progress (percent) at the end of each stage of a full run
STAGES = [
    ("probing", 2),
    ("preparing_model", 5),
    ("transcribing", 80),
    ("keywords", 85),
    ("summary", 88),
    ("chapters", 93),
    ("questions", 97),
    ("mind_map", 100),
]


# -- reading -----------------------------------------------------------------------------------


def get_insight(lesson_id: int) -> LessonInsight | None:
    return db.session.scalar(select(LessonInsight).where(LessonInsight.lesson_id == lesson_id))


def _ensure_insight(lesson_id: int) -> LessonInsight:
    insight = get_insight(lesson_id)
    if insight is None:
        insight = LessonInsight(lesson_id=lesson_id)
        db.session.add(insight)
        db.session.flush()
    return insight


def latest_job(lesson_id: int) -> ProcessingJob | None:
    return db.session.scalar(
        select(ProcessingJob)
        .where(ProcessingJob.lesson_id == lesson_id)
        .order_by(ProcessingJob.id.desc())
        .limit(1)
    )


def published_view(lesson_id: int) -> dict | None:
    """What learners may see of a lesson's insights: the published snapshot, or nothing."""
    insight = get_insight(lesson_id)
    return insight.published if insight and insight.published_at else None


def published_questions(lesson_id: int) -> list[dict]:
    """The published review questions of a lesson (for knowledge-check popups)."""
    view = published_view(lesson_id)
    return list(view["questions"]) if view else []


def mind_map_svg(tree: dict) -> str:
    """The mind map drawn as a standalone SVG (shown inline, and offered as a download)."""
    from academy.insights.text.mindmap import render_svg

    return render_svg(tree)


def segments_of(insight: LessonInsight) -> list[Segment]:
    return [Segment(s["start"], s["end"], s["text"]) for s in insight.segments or []]


def transcript_text(segments: list[Segment]) -> str:
    return "\n".join(segment.text for segment in segments)


def glossary_terms(glossary: str) -> list[str]:
    """One term per line (commas and 、 also separate), without blanks or repeats."""
    terms: list[str] = []
    for line in glossary.replace("，", "\n").replace(",", "\n").replace("、", "\n").splitlines():
        term = line.strip()
        if term and term not in terms:
            terms.append(term)
    return terms


# -- jobs --------------------------------------------------------------------------------------


def start_job(
    lesson: Lesson, kind: str = "full", *, publish_on_success: bool = False
) -> ProcessingJob:
    """Queue a pipeline run for a lesson; refused while one is already queued or running."""
    if kind == "full" and not lesson.media_path:
        raise Refusal("no_media", _("请先上传讲座视频或音频。"), 409)
    if kind == "derive" and not (get_insight(lesson.id) and get_insight(lesson.id).segments):
        raise Refusal("no_transcript", _("还没有转写稿，无法重新生成。"), 409)
    job = ProcessingJob(
        lesson_id=lesson.id,
        kind=kind,
        status="queued",
        stage="queued",
        publish_on_success=publish_on_success,
    )
    db.session.add(job)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Refusal("job_running", _("该课时已有任务在排队或处理中。"), 409) from None
    _enqueue(job.id)
    db.session.expire_all()
    return db.session.get(ProcessingJob, job.id)


def _enqueue(job_id: int) -> None:
    from academy.insights.tasks import process_lesson

    process_lesson(job_id)


def retry_job(lesson: Lesson) -> ProcessingJob:
    """Run the lesson's last job again (after a failure)."""
    last = latest_job(lesson.id)
    if last is None or last.status != "failed":
        raise Refusal("nothing_to_retry", _("没有失败的任务可以重试。"), 409)
    return start_job(lesson, last.kind)


def _claim(job_id: int) -> bool:
    now = clock.now()
    claimed = db.session.execute(
        update(ProcessingJob)
        .where(ProcessingJob.id == job_id, ProcessingJob.status == "queued")
        .values(
            status="running",
            started_at=now,
            heartbeat_at=now,
            attempts=ProcessingJob.attempts + 1,
            error="",
        )
    )
    db.session.commit()
    return claimed.rowcount == 1


def _report(job_id: int, stage: str, progress: int) -> None:
    """Record progress and a heartbeat, in its own commit so pages see it at once."""
    db.session.execute(
        update(ProcessingJob)
        .where(ProcessingJob.id == job_id, ProcessingJob.status == "running")
        .values(stage=stage, progress=max(0, min(100, progress)), heartbeat_at=clock.now())
    )
    db.session.commit()


def run_job(job_id: int) -> None:
    """Run one job to its end; a second run of a job already claimed does nothing."""
    if not _claim(job_id):
        return
    job = db.session.get(ProcessingJob, job_id)
    lesson = db.session.get(Lesson, job.lesson_id)
    try:
        if job.kind == "full":
            _transcribe_stage(job_id, lesson)
        _derive_stages(job_id, lesson)
    except Exception as error:  # the job records why, for the instructor and a retry
        db.session.rollback()
        current_app.logger.exception("job %s failed", job_id)
        message = _failure_message(error)
        db.session.execute(
            update(ProcessingJob)
            .where(ProcessingJob.id == job_id)
            .values(status="failed", error=message[:2000], finished_at=clock.now())
        )
        db.session.commit()
        return
    db.session.execute(
        update(ProcessingJob)
        .where(ProcessingJob.id == job_id)
        .values(status="done", stage="done", progress=100, finished_at=clock.now())
    )
    db.session.commit()
    if job.publish_on_success:
        publish(lesson)


def _failure_message(error: Exception) -> str:
    """Why a job failed, in words an instructor can act on, with the technical detail."""
    from academy.insights.model_store import ModelStoreError
    from academy.insights.transcribe import MediaTooLongError, NotMediaError

    detail = str(error) or error.__class__.__name__
    if isinstance(error, MediaTooLongError):
        return _("文件的声音超过了时长上限：%(detail)s", detail=detail)
    if isinstance(error, NotMediaError):
        return _("文件无法解码或没有声音：%(detail)s", detail=detail)
    if isinstance(error, ModelStoreError | FileNotFoundError):
        return _("语音模型或文件不可用，请联系管理员：%(detail)s", detail=detail)
    if isinstance(error, MemoryError):
        return _("内存不足，请稍后重试：%(detail)s", detail=detail)
    return _("处理出错：%(detail)s", detail=detail)


def _transcribe_stage(job_id: int, lesson: Lesson) -> None:
    from academy.insights import model_store
    from academy.insights import transcribe as whisper

    media = Path(current_app.config["MEDIA_PATH"]) / lesson.media_path
    script, glossary = lesson.course.transcript_script, glossary_terms(lesson.course.glossary)
    # Read what is needed, then end the transaction: on SQLite an open one holds the write
    # lock, and transcription takes minutes. Progress reports commit as they go.
    _report(job_id, "probing", 0)
    whisper.probe_media(media)
    _report(job_id, "preparing_model", 2)
    model_dir = model_store.resolve_model_dir(
        current_app.config.get("WHISPER_MODEL_DIR"), Path(current_app.config["INSTANCE_PATH"])
    )
    _report(job_id, "transcribing", 5)
    last = [5]

    def progress(fraction: float) -> None:
        percent = 5 + int(fraction * 75)
        if percent > last[0]:
            last[0] = percent
            _report(job_id, "transcribing", percent)

    segments = whisper.transcribe(
        media,
        model_dir=model_dir,
        script=script,
        glossary=glossary,
        device=current_app.config.get("WHISPER_DEVICE", "auto"),
        progress=progress,
        # The upload was checked against the limit, but by the length its header claims: the
        # worker stops where the limit ends, whatever the file holds.
        max_seconds=current_app.config["MEDIA_MAX_HOURS"] * 3600,
    )
    insight = _ensure_insight(lesson.id)
    insight.segments = [to_dict(s) for s in segments]
    insight.transcript_edited_at = None
    insight.derivations_stale = True
    db.session.commit()


def corpus_for(exclude_lesson_id: int | None = None):
    """The platform's own corpus: every transcript (but one lesson's), for IDF."""
    from academy.insights.text.corpus import Corpus

    texts = [
        transcript_text(segments_of(insight))
        for insight in db.session.scalars(select(LessonInsight))
        if insight.segments and insight.lesson_id != exclude_lesson_id
    ]
    return Corpus.from_texts(texts)


def derive_keywords(segments: list[Segment], glossary: list[str], corpus=None) -> list[str]:
    """About 20 key phrases, scored against a corpus of other lectures when one is given (None:
    against general Chinese only, as on a platform with no other lectures yet)."""
    from academy.insights.text.keywords import extract_keywords

    return extract_keywords(transcript_text(segments), corpus=corpus, glossary=glossary)


def derive_all(
    lesson: Lesson | None, segments: list[Segment], report=lambda stage, pct: None, *, corpus=None
) -> dict:
    """Keywords, summary, chapters, questions and mind map from a transcript: the one code
    path of the pipeline and the command line. It reads no table: the caller brings the corpus,
    so the command line works on a file before the database exists."""
    from academy.insights.text import chapters, mindmap, questions, summary

    glossary = glossary_terms(lesson.course.glossary) if lesson is not None else []
    found = derive_keywords(segments, glossary, corpus)
    report("keywords", 85)
    summary_text = summary.summarize(segments, keywords=found)
    report("summary", 88)
    found_chapters = chapters.find_chapters(segments, keywords=found)
    report("chapters", 93)
    found_questions = questions.make_questions(
        segments, keywords=found, seed=lesson.id if lesson is not None else 0
    )
    report("questions", 97)
    tree = mindmap.build_mind_map(lesson.title if lesson is not None else "", found_chapters)
    return {
        "keywords": found,
        "summary": summary_text,
        "chapters": [to_dict(c) for c in found_chapters],
        "questions": [to_dict(q) for q in found_questions],
        "mind_map": tree,
    }


def _derive_stages(job_id: int, lesson: Lesson) -> None:
    insight = _ensure_insight(lesson.id)
    _report(job_id, "keywords", 80)
    # The *other* lectures: a lecture counted in its own IDF would push down its own terms.
    derived = derive_all(
        lesson,
        segments_of(insight),
        report=lambda stage, pct: _report(job_id, stage, pct),
        corpus=corpus_for(exclude_lesson_id=lesson.id),
    )
    insight = _ensure_insight(lesson.id)
    for name, value in derived.items():
        setattr(insight, name, value)
    insight.derived_at = clock.now()
    insight.derivations_stale = False
    db.session.commit()


def recover_stalled_jobs() -> list[int]:
    """Queue again the jobs whose worker died (stale heartbeat) or whose queue entry was lost."""
    now = clock.now()
    stalled = list(
        db.session.scalars(
            select(ProcessingJob.id).where(
                (ProcessingJob.status == "running")
                & (ProcessingJob.heartbeat_at < now - STALL_AFTER)
                | (ProcessingJob.status == "queued") & (ProcessingJob.created_at < now - LOST_AFTER)
            )
        )
    )
    db.session.commit()  # end the read: a worker calls this and then runs for hours
    for job_id in stalled:
        db.session.execute(
            update(ProcessingJob)
            .where(ProcessingJob.id == job_id, ProcessingJob.status.in_(ACTIVE))
            .values(
                status="queued",
                stage="queued",
                created_at=now,
                error=_("处理进程中断，已自动重新排队。"),
            )
        )
        db.session.commit()
        _enqueue(job_id)
    return stalled


# -- editing by the instructor -----------------------------------------------------------------


def _editable(lesson: Lesson) -> LessonInsight:
    insight = get_insight(lesson.id)
    if insight is None or not insight.segments:
        raise Refusal("no_transcript", _("还没有转写稿。"), 409)
    return insight


def save_transcript(lesson: Lesson, segments: list[Segment]) -> LessonInsight:
    """Replace the transcript with the instructor's correction."""
    insight = _editable(lesson)
    if not segments:
        raise Refusal("empty_transcript", _("转写稿不能为空。"), 422)
    bounds.check_segments(segments)
    if any(b.start < a.start for a, b in zip(segments, segments[1:], strict=False)):
        raise Refusal("unordered_transcript", _("转写稿的时间须从早到晚排列。"), 422)
    insight.segments = [to_dict(s) for s in segments]
    insight.transcript_edited_at = clock.now()
    insight.derivations_stale = True
    db.session.commit()
    return insight


def save_derivations(
    lesson: Lesson,
    *,
    keywords: list[str],
    summary: str,
    chapters: list[Chapter],
    questions: list[Question],
) -> LessonInsight:
    """Store the instructor's corrections of what the pipeline derived."""
    from academy.insights.text import mindmap

    insight = _editable(lesson)
    summary = summary.strip()
    bounds.check_derivations(keywords, summary, chapters, questions)
    for question in questions:
        if len(question.choices) < 2 or not 0 <= question.answer < len(question.choices):
            raise Refusal("invalid_question", _("每道题至少两个选项，并须标出正确答案。"), 422)
    insight.keywords = keywords
    insight.summary = summary
    ordered = sorted(chapters, key=lambda c: c.start)
    insight.chapters = [to_dict(c) for c in ordered]
    insight.questions = [to_dict(q) for q in questions]
    insight.mind_map = mindmap.build_mind_map(lesson.title, ordered)
    db.session.commit()
    return insight


def publish(lesson: Lesson) -> LessonInsight:
    """Make the current working copy what learners see."""
    insight = _editable(lesson)
    insight.published = {
        "segments": insight.segments,
        "keywords": insight.keywords,
        "summary": insight.summary,
        "chapters": insight.chapters,
        "questions": insight.questions,
        "mind_map": insight.mind_map,
    }
    insight.published_at = clock.now()
    db.session.commit()
    from academy.search.services import index_course  # late: search reads insights

    index_course(lesson.course_id)
    return insight


def shuffled_question(question: dict, rng: random.Random) -> tuple[list[str], int]:
    """The choices in a new order, and where the right one went."""
    order = list(range(len(question["choices"])))
    rng.shuffle(order)
    return [question["choices"][i] for i in order], order.index(question["answer"])
