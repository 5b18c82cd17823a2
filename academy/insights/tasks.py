"""Huey tasks of the lecture pipeline; each takes an id and leaves its record in a row."""

from huey import crontab

from academy.insights import services
from academy.jobs import periodic_task, task


@task()
def process_lesson(job_id: int) -> None:
    """Run one pipeline job (safe to run twice: the second finds it claimed)."""
    services.run_job(job_id)


@periodic_task(crontab(minute="*"))
def recover_jobs() -> None:
    """Every minute: queue again the jobs whose worker died."""
    services.recover_stalled_jobs()
