"""Huey tasks of the lecture pipeline, and putting jobs on the queue.

Each task takes an id and leaves its record in a row (pipeline.py runs the job); this module
imports the pipeline, never the other way round.
"""

from __future__ import annotations

from flask_babel import gettext as _
from huey import crontab
from sqlalchemy import select

from academy import jobs
from academy.catalog.models import Lesson
from academy.errors import Refusal
from academy.extensions import db
from academy.insights import pipeline
from academy.insights.models import ProcessingJob
from academy.jobs import periodic_task, task


@task()
def process_lesson(job_id: int) -> None:
    """Run one pipeline job (safe to run twice: the second finds it claimed)."""
    pipeline.run_job(job_id)


@periodic_task(crontab(minute="*"))
def recover_jobs() -> None:
    """Every minute: queue again the jobs whose worker died."""
    recover_stalled_jobs()


def start_job(
    lesson: Lesson, kind: str = "full", *, publish_on_success: bool = False
) -> ProcessingJob:
    """Queue a pipeline run for a lesson; refused while one is already queued or running."""
    job = pipeline.create_job(lesson, kind, publish_on_success=publish_on_success)
    jobs.send(process_lesson, job.id)  # queue down: the row waits, queued, for the recovery
    db.session.expire_all()
    return db.session.get(ProcessingJob, job.id)


def run_job_here(lesson: Lesson, kind: str = "full") -> ProcessingJob:
    """Run a pipeline job for a lesson in this process, to its end: for a caller that is itself
    a background task (the demo's), which would otherwise wait on a queue it is draining."""
    job = pipeline.create_job(lesson, kind)
    pipeline.run_job(job.id)
    db.session.expire_all()
    return db.session.get(ProcessingJob, job.id)


def retry_job(lesson: Lesson) -> ProcessingJob:
    """Run the lesson's last job again (after a failure)."""
    last = pipeline.latest_job(lesson.id)
    if last is None or last.status != "failed":
        raise Refusal("nothing_to_retry", _("没有失败的任务可以重试。"), 409)
    return start_job(lesson, last.kind)


def recover_stalled_jobs() -> list[int]:
    """Queue again the jobs whose worker died (stale heartbeat), whose queue entry was lost, or
    which never reached the queue (it was down when they were started)."""
    requeued = pipeline.requeue_stalled_jobs()
    queued = db.session.scalars(select(ProcessingJob.id).where(ProcessingJob.status == "queued"))
    never_sent = jobs.unsent(process_lesson, queued.all())
    db.session.commit()  # end the read before the worker runs for hours
    requeued += [job_id for job_id in never_sent if job_id not in requeued]
    for job_id in requeued:
        jobs.send(process_lesson, job_id)
    return requeued
