"""The lecture pipeline: its steps in one ordered list, and the job row that runs them.

STEPS drives both the work and the progress bar. A 'full' job runs every step; a 'derive' job
(after the instructor corrected the transcript) runs the derivations only. Each step owns a
share of the bar in proportion to its weight, and reports how far into it it is: transcription
by the audio time Whisper has done, written to the job row every few seconds of wall time.

A job is claimed with a conditional update (queued -> running), so a job delivered twice runs
once; a running job refreshes its heartbeat as it reports, and one whose heartbeat went stale
lost its worker (tasks.py queues it again). Queueing lives in tasks.py, which imports this
module and never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from academy import clock
from academy.catalog.models import Lesson
from academy.errors import Refusal
from academy.extensions import db
from academy.insights import derive, editing, progress
from academy.insights.models import ACTIVE, ProcessingJob
from academy.insights.types import Segment

#: a running job whose heartbeat is older than this lost its worker
STALL_AFTER = timedelta(minutes=3)
#: a queued job never picked up in this long lost its queue entry (e.g. Redis flushed)
LOST_AFTER = timedelta(minutes=15)


@dataclass
class Run:
    """One pass over the steps: the lesson, what the steps made so far, and where to report."""

    lesson: Lesson | None
    #: how far into the current step, 0..1 (set by the runner for each step)
    report: Callable[[float], None] = lambda fraction: None
    model_dir: Path | None = None
    #: the transcript on its way through the derivations (derive.py)
    draft: derive.Draft | None = None


@dataclass(frozen=True)
class Step:
    """One step of the pipeline: its key (the job's `stage`), what the bar says, its share."""

    name: str
    label: object
    #: share of a full run's time, as measured on two CPU cores: transcription takes about as
    #: long as the lecture plays (the 41 s demo clip: 30 s), loading the model a second or two,
    #: and all the derivations of a 12-minute lecture 0.2 s once jieba's dictionaries are loaded
    weight: int
    run: Callable[[Run], None]
    #: part of a 'full' run only (a 'derive' run starts from the stored transcript)
    transcribes: bool = False


# -- the steps ---------------------------------------------------------------------------------


def _media(lesson: Lesson) -> Path:
    return Path(current_app.config["MEDIA_PATH"]) / lesson.media_path


def _probe(run: Run) -> None:
    from academy.insights import transcribe as whisper

    whisper.probe_media(_media(run.lesson))


def _prepare_model(run: Run) -> None:
    from academy.insights import model_store

    run.model_dir = model_store.resolve_model_dir(
        current_app.config.get("WHISPER_MODEL_DIR"), Path(current_app.config["INSTANCE_PATH"])
    )


def _transcribe(run: Run) -> None:
    from academy.insights import transcribe as whisper

    lesson = run.lesson
    media, script = _media(lesson), lesson.course.transcript_script
    glossary = derive.glossary_terms(lesson.course.glossary)
    # Everything read: end the transaction before minutes of work. On SQLite an open one holds
    # the lock writers need; on PostgreSQL it would sit idle in transaction.
    db.session.commit()
    heard = whisper.listen(
        media,
        model_dir=run.model_dir,
        script=script,
        glossary=glossary,
        device=current_app.config.get("WHISPER_DEVICE", "auto"),
        progress=run.report,
        # The upload was checked against the limit, but by the length its header claims: the
        # worker stops where the limit ends, whatever the file holds.
        max_seconds=current_app.config["MEDIA_MAX_HOURS"] * 3600,
    )
    editing.store_machine_transcript(lesson.id, heard.segments, heard.speech)


def _clean(run: Run) -> None:
    if run.draft is None:
        run.draft = _draft_of(run.lesson)
    derive.clean(run.draft)


def _draft_of(lesson: Lesson) -> derive.Draft:
    """The lesson's stored transcript, ready for the derivations."""
    return derive.Draft(
        title=lesson.title,
        segments=editing.segments_of(editing.get_insight(lesson.id)),
        glossary=derive.glossary_terms(lesson.course.glossary),
        # The *other* lectures: a lecture counted in its own IDF would push down its own terms.
        corpus=derive.corpus_for(exclude_lesson_id=lesson.id),
        seed=lesson.id,
    )


def _on_draft(derivation: Callable[[derive.Draft], None]) -> Callable[[Run], None]:
    return lambda run: derivation(run.draft)


STEPS: tuple[Step, ...] = (
    Step("probing", _l("检查文件"), 1, _probe, transcribes=True),
    Step("preparing_model", _l("准备语音模型"), 2, _prepare_model, transcribes=True),
    Step("transcribing", _l("语音转写"), 90, _transcribe, transcribes=True),
    Step("cleaning", _l("清理转写稿"), 1, _clean),
    Step("keywords", _l("提取关键词"), 2, _on_draft(derive.find_keywords)),
    Step("summary", _l("生成摘要"), 1, _on_draft(derive.write_summary)),
    Step("chapters", _l("划分章节"), 1, _on_draft(derive.find_chapters)),
    Step("questions", _l("生成要点回顾"), 1, _on_draft(derive.make_questions)),
    Step("mind_map", _l("生成思维导图"), 1, _on_draft(derive.draw_mind_map)),
)


def plan(kind: str) -> list[tuple[Step, int, int]]:
    """The steps a job of this kind runs, each with the percent where its share starts and
    ends; together they fill the bar from 0 to 100."""
    steps = [step for step in STEPS if kind == "full" or not step.transcribes]
    total = sum(step.weight for step in steps)
    spans, done = [], 0
    for step in steps:
        start = round(100 * done / total)
        done += step.weight
        spans.append((step, start, round(100 * done / total)))
    return spans


def derive_all(
    lesson: Lesson | None,
    segments: list[Segment],
    report: Callable[[str, int], None] = lambda stage, percent: None,
    *,
    corpus=None,
) -> dict:
    """Keywords, summary, chapters, questions and mind map from a transcript, by the same steps
    a job runs. It reads no table: the caller brings the corpus, so the command line works on
    a file before the database exists."""
    run = Run(
        lesson,
        draft=derive.Draft(
            title=lesson.title if lesson is not None else "",
            segments=segments,
            glossary=derive.glossary_terms(lesson.course.glossary) if lesson else [],
            corpus=corpus,
            seed=lesson.id if lesson is not None else 0,
        ),
    )
    for step, start, _end in plan("derive"):
        report(step.name, start)
        step.run(run)
    return run.draft.result()


# -- the job -----------------------------------------------------------------------------------


def latest_job(lesson_id: int, kind: str | None = None) -> ProcessingJob | None:
    """The lesson's latest job, or its latest of one kind ('full': the last transcription)."""
    query = select(ProcessingJob).where(ProcessingJob.lesson_id == lesson_id)
    if kind is not None:
        query = query.where(ProcessingJob.kind == kind)
    return db.session.scalar(query.order_by(ProcessingJob.id.desc()).limit(1))


def latest_jobs(lesson_ids: list[int]) -> dict[int, ProcessingJob]:
    """The latest job of each of these lessons that has one, by lesson id, in one query."""
    if not lesson_ids:
        return {}
    latest = (
        select(func.max(ProcessingJob.id))
        .where(ProcessingJob.lesson_id.in_(lesson_ids))
        .group_by(ProcessingJob.lesson_id)
    )
    jobs = db.session.scalars(select(ProcessingJob).where(ProcessingJob.id.in_(latest)))
    return {job.lesson_id: job for job in jobs}


def create_job(
    lesson: Lesson, kind: str = "full", *, publish_on_success: bool = False
) -> ProcessingJob:
    """A queued job row for a lesson; refused while one is already queued or running."""
    if kind == "full" and not lesson.media_path:
        raise Refusal("no_media", _("请先上传讲座视频或音频。"), 409)
    insight = editing.get_insight(lesson.id)
    if kind == "derive" and not (insight and insight.segments):
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
    return job


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


def write_progress(job_id: int, stage: str, percent: int) -> None:
    """Record progress and a heartbeat, in its own commit so pages see it at once."""
    db.session.execute(
        update(ProcessingJob)
        .where(ProcessingJob.id == job_id, ProcessingJob.status == "running")
        .values(stage=stage, progress=max(0, min(100, percent)), heartbeat_at=clock.now())
    )
    db.session.commit()


def run_job(job_id: int) -> None:
    """Run one job to its end; a second run of a job already claimed does nothing."""
    if not _claim(job_id):
        return
    job = db.session.get(ProcessingJob, job_id)
    lesson = db.session.get(Lesson, job.lesson_id)
    kind, publish_on_success = job.kind, job.publish_on_success
    every = current_app.config.get("JOB_PROGRESS_SECONDS", 3.0)
    run = Run(lesson)
    try:
        for step, start, end in plan(kind):
            run.report = progress.step_reporter(
                lambda percent, name=step.name: write_progress(job_id, name, percent),
                start,
                end,
                every=every,
            )
            run.report(0.0)
            step.run(run)
        editing.store_derivations(lesson.id, run.draft.result())
    except Exception as error:  # the job records why, for the instructor and a retry
        db.session.rollback()
        current_app.logger.exception("job %s failed", job_id)
        db.session.execute(
            update(ProcessingJob)
            .where(ProcessingJob.id == job_id)
            .values(status="failed", error=_failure_message(error)[:2000], finished_at=clock.now())
        )
        db.session.commit()
        return
    db.session.execute(
        update(ProcessingJob)
        .where(ProcessingJob.id == job_id)
        .values(status="done", stage="done", progress=100, finished_at=clock.now())
    )
    db.session.commit()
    if publish_on_success:
        try:
            editing.publish(lesson)
        except Refusal as refusal:  # held for correction: it waits for the instructor
            current_app.logger.info("job %s not published: %s", job_id, refusal.code)


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


def requeue_stalled_jobs() -> list[int]:
    """Mark queued again the jobs whose worker died (stale heartbeat) or whose queue entry was
    lost; the caller puts them back on the queue."""
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
    requeued = []
    for job_id in stalled:
        moved = db.session.execute(
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
        if moved.rowcount == 1:
            requeued.append(job_id)
    return requeued
