"""`flask academy ...` commands: thin wrappers over services."""

from __future__ import annotations

import functools

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from academy.errors import Refusal
from academy.extensions import db

INIT_COMMAND = "flask --app wsgi academy init"


def require_database() -> None:
    """Stop with one line, not a traceback, when the database is not initialised or upgraded."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    from academy.db import Model, import_models
    from academy.migrate import behind_head

    import_models()
    try:
        with db.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            behind = behind_head(connection)
    except SQLAlchemyError as error:
        raise click.ClickException(
            f"cannot open the database: {str(error).splitlines()[0]}"
        ) from None
    if not tables & set(Model.metadata.tables):
        raise click.ClickException(f"the database is not initialised: run `{INIT_COMMAND}` first")
    if behind:
        raise click.ClickException(
            f"the database schema is out of date: run `{INIT_COMMAND}` to upgrade it"
        )


def needs_database(command):
    """Check the database before a command that reads or writes it."""

    @functools.wraps(command)
    def checked(*args, **kwargs):
        require_database()
        return command(*args, **kwargs)

    return checked


def init_app(app: Flask) -> None:
    group = AppGroup("academy", help="academy administration commands.")

    @group.command("init")
    @click.option("--demo", is_flag=True, help="Also load the demo courses and accounts.")
    def init(demo: bool) -> None:
        """Upgrade the database to head; with --demo, load demo content (idempotent)."""
        from academy.learning.services import get_player_settings
        from academy.migrate import upgrade_to_head

        upgrade_to_head(current_app.config["SQLALCHEMY_DATABASE_URI"])
        get_player_settings()
        click.echo("database is at the newest schema")
        if demo:
            from academy.demo.loader import load_demo

            for line in load_demo():
                click.echo(line)
            from academy.search.services import reindex_all

            click.echo(f"search index: {reindex_all()} courses")

    @group.command("create-user")
    @click.argument("username")
    @click.option(
        "--role", type=click.Choice(["learner", "instructor", "admin"]), default="learner"
    )
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @needs_database
    def create_user(username: str, role: str, password: str) -> None:
        """Create an account."""
        from academy.auth.services import create_user as create

        try:
            user = create(username, password, role)
        except Refusal as refusal:
            raise click.ClickException(refusal.message) from refusal
        click.echo(f"created {user.role} {user.username} (id {user.id})")

    @group.command("reindex")
    @needs_database
    def reindex() -> None:
        """Rebuild the search index from the catalog and the published transcripts."""
        from academy.search.services import reindex_all

        click.echo(f"search index rebuilt: {reindex_all()} courses")

    @group.command("translations")
    @click.option(
        "--skip-english",
        is_flag=True,
        help="Leave the English catalog alone (while others are editing it).",
    )
    def translations(skip_english: bool) -> None:
        """Extract the strings, append new ones to English, regenerate zh_Hant, compile."""
        from academy.i18n.catalogs import update_catalogs

        for line in update_catalogs(english=not skip_english):
            click.echo(line)

    register_insight_commands(group)
    register_commerce_commands(group)
    register_xapi_commands(group)
    app.cli.add_command(group)


def register_commerce_commands(group: AppGroup) -> None:
    """The sandbox payment gateway, driven from a terminal."""

    @group.command("sandbox-pay")
    @click.argument("order_number")
    @click.option("--decline", is_flag=True, help="Decline the payment instead of paying.")
    @click.option(
        "--site",
        default="",
        help="Base URL of the running site to notify (default: ACADEMY_SITE_URL, "
        "else http://127.0.0.1:5000).",
    )
    @needs_database
    def sandbox_pay(order_number: str, decline: bool, site: str) -> None:
        """The sandbox gateway approves (or declines) an order and notifies the site over HTTP."""
        from academy.commerce.payments import sandbox_settle

        try:
            settlement = sandbox_settle(order_number, approve=not decline, site=site or None)
        except Refusal as refusal:
            raise click.ClickException(refusal.message) from refusal
        click.echo(f"trade {settlement.trade_no}: {settlement.trade_status}")
        click.echo(f"the site answered the notification: {settlement.notify_answer}")
        if settlement.notify_answer != "success":
            raise click.ClickException("the site did not accept the notification")


def register_xapi_commands(group: AppGroup) -> None:
    """Sending the learning records to the LRS now, rather than at the worker's next minute."""

    @group.command("xapi-send")
    @needs_database
    def xapi_send() -> None:
        """Send every statement not yet in the LRS (docs/xapi.md), ignoring a failure's backoff."""
        from academy.xapi import outbox

        report = outbox.drain(burst=True)
        for line in report.lines():
            click.echo(line)
        for name in outbox.FEEDS:
            click.echo(f"{name}: {outbox.pending(name)} records still to go through")
        if report.error or report.skipped in ("not_configured", "no_site_url"):
            raise click.ClickException(report.error or report.skipped)


def _read_segments(source: str):
    """A transcript from a file or stdin: the JSON of `transcribe --json`, or plain text."""
    import json
    import sys
    from pathlib import Path

    from academy.insights.text.sentences import segments_from_text
    from academy.insights.types import Segment

    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except ValueError:
        return segments_from_text(text)
    if isinstance(data, list) and all(isinstance(s, dict) for s in data):
        return [Segment(float(s["start"]), float(s["end"]), str(s["text"])) for s in data]
    raise click.ClickException("JSON input must be a list of {start, end, text} segments")


def register_insight_commands(group: AppGroup) -> None:
    """Commands for batch work and measuring; they call the pipeline's own functions."""
    import json
    from pathlib import Path

    def emit(value, as_json: bool) -> None:
        click.echo(json.dumps(value, ensure_ascii=False, indent=2) if as_json else value)

    # The commands on a transcript file read no table unless asked to: they work on a fresh
    # instance, before `init`, and score terms as a platform with no other lectures would.
    platform_corpus = click.option(
        "--platform-corpus",
        is_flag=True,
        help="Also score terms against the platform's transcripts, as the pipeline does "
        "(needs the database).",
    )

    def corpus(wanted: bool):
        if not wanted:
            return None
        from academy.insights.services import corpus_for

        require_database()
        return corpus_for()

    @group.command("worker")
    @click.option("--workers", default=1, show_default=True, help="Jobs run at once.")
    @click.option("--burst", is_flag=True, help="Run what is queued, then exit (cron, tests).")
    @needs_database
    def worker(workers: int, burst: bool) -> None:
        """Run the background job worker (Huey consumer) until stopped."""
        from academy import logs
        from academy.documents.services import recover_stalled_renders
        from academy.insights.services import recover_stalled_jobs
        from academy.insights.text.words import warm_up
        from academy.jobs import huey

        logs.configure(current_app)  # jobs log as the site does (JSON in production mode)
        warm_up()  # load the dictionaries once, before the first job, not during it
        recovered = recover_stalled_jobs()
        if recovered:
            click.echo(f"re-queued jobs whose worker died or that missed the queue: {recovered}")
        if renders := recover_stalled_renders():
            click.echo(f"re-queued document renders: {renders}")
        db.session.remove()  # the consumer's threads use their own sessions; hold no lock here
        if burst:
            ran = 0
            while (queued := huey.dequeue()) is not None:
                huey.execute(queued)
                ran += 1
            click.echo(f"ran {ran} queued tasks")
            return
        huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()

    @group.command("transcribe")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--json", "as_json", is_flag=True, help="Print segments as JSON.")
    @click.option(
        "--script",
        type=click.Choice(["simplified", "traditional"]),
        default="simplified",
        show_default=True,
    )
    @click.option("--glossary", default="", help="Terms separated by commas.")
    def transcribe(file: str, as_json: bool, script: str, glossary: str) -> None:
        """Transcribe a lecture file with Whisper and print timed segments."""
        from academy.insights import model_store
        from academy.insights import transcribe as whisper
        from academy.insights.services import glossary_terms
        from academy.insights.types import segment_dict
        from academy.studio.editing import format_transcript

        model_dir = model_store.resolve_model_dir(
            current_app.config["WHISPER_MODEL_DIR"] or None,
            Path(current_app.config["INSTANCE_PATH"]),
        )
        try:
            segments = whisper.transcribe(
                Path(file),
                model_dir=model_dir,
                script=script,
                glossary=glossary_terms(glossary),
                device=current_app.config["WHISPER_DEVICE"],
            )
        except whisper.NotMediaError as error:
            raise click.ClickException(str(error)) from error
        rows = [segment_dict(s) for s in segments]  # with Whisper's signals
        emit(rows if as_json else format_transcript(rows), as_json)

    @group.command("keywords")
    @click.argument("file")
    @platform_corpus
    def keywords(file: str, platform_corpus: bool) -> None:
        """Key phrases of a transcript (text or JSON; - for stdin), best first."""
        from academy.insights.services import derive_keywords

        for phrase in derive_keywords(_read_segments(file), [], corpus(platform_corpus)):
            click.echo(phrase)

    @group.command("summary")
    @click.argument("file")
    @platform_corpus
    def summary(file: str, platform_corpus: bool) -> None:
        """The full summary of a transcript."""
        from academy.insights.services import derive_all

        derived = derive_all(None, _read_segments(file), corpus=corpus(platform_corpus))
        click.echo(derived["summary"])

    @group.command("chapters")
    @click.argument("file")
    @platform_corpus
    def chapters(file: str, platform_corpus: bool) -> None:
        """Chapters of a transcript, as JSON."""
        from academy.insights.services import derive_all

        derived = derive_all(None, _read_segments(file), corpus=corpus(platform_corpus))
        emit(derived["chapters"], True)

    @group.command("questions")
    @click.argument("file")
    @platform_corpus
    def questions(file: str, platform_corpus: bool) -> None:
        """Review questions of a transcript, as JSON."""
        from academy.insights.services import derive_all

        derived = derive_all(None, _read_segments(file), corpus=corpus(platform_corpus))
        emit(derived["questions"], True)
