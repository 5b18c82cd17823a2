"""Huey tasks of course documents; each takes an id and leaves its record in the row."""

from huey import crontab

from academy.documents import services
from academy.jobs import periodic_task, task


@task()
def render_document(document_id: int) -> None:
    """Render one document's pages (safe to run twice: the second finds it claimed)."""
    services.run_render(document_id)


@periodic_task(crontab(minute="*"))
def recover_documents() -> None:
    """Every minute: queue again the renders whose worker died or whose queue entry was lost."""
    services.recover_stalled_renders()
