"""The demo shows the product honestly: its lectures go through the real pipeline, are held for
their low confidence, and are corrected with their script through the studio's own correction
(aligned to Whisper's times), regenerated and published; what Whisper heard stays in view."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from academy.catalog.models import Lesson
from academy.demo import loader
from academy.demo import tasks as demo
from academy.demo.lectures import narration_text
from academy.extensions import db
from academy.insights import derive
from academy.insights import services as insights
from academy.insights import transcribe as whisper
from academy.insights.confidence import review_transcript
from academy.insights.model_store import resolve_model_dir
from tests.demo.support import load_demo_with_the_clip
from tests.factories import CLIP
from tests.web import login

SCRIPT = narration_text("client-communication")


@pytest.fixture(scope="module")
def heard(tmp_path_factory):
    """What Whisper base (the real model) hears in the demo clip, once for the module."""
    model_dir = resolve_model_dir(None, tmp_path_factory.mktemp("instance"))
    return whisper.listen(CLIP, model_dir=model_dir)


@pytest.fixture
def prepared(app, monkeypatch, heard):
    """The demo loaded, and its clip lecture prepared as the worker prepares it (the module's
    transcription standing in for Whisper's, the rest of the pipeline real)."""
    load_demo_with_the_clip(monkeypatch)
    monkeypatch.setattr(whisper, "listen", lambda *args, **kwargs: heard)
    lesson = db.session.scalar(
        select(Lesson).where(Lesson.media_path.like("%/client-communication.mp4"))
    )
    done = demo.prepare_lecture(lesson.id)
    return lesson, done


def content(text: str) -> str:
    return "".join(char for char in text if char.isalnum())


def test_whisper_alone_would_have_been_held(heard):
    assert review_transcript(heard.segments, heard_speech=heard.speech).held


def test_the_lecture_is_transcribed_corrected_regenerated_and_published(prepared):
    _lesson, done = prepared

    assert done == ["transcribed", "corrected", "regenerated", "published"]


def test_the_published_transcript_is_the_corrected_script(prepared):
    lesson, _ = prepared
    published = insights.published_view(lesson.id)

    assert content("".join(s["text"] for s in published["segments"])) == content(SCRIPT)
    assert all(s["start"] < s["end"] for s in published["segments"])
    # learners get the lines alone: what Whisper heard and its signals stay in the studio
    assert all(set(s) == {"start", "end", "text"} for s in published["segments"])
    assert not insights.review_of(insights.get_insight(lesson.id)).held


def test_the_published_derivations_come_from_the_corrected_text(prepared):
    lesson, _ = prepared
    published = insights.published_view(lesson.id)
    script = content(SCRIPT)

    assert published["keywords"] and all(content(k) in script for k in published["keywords"])
    assert published["summary"] and not re.search(r"[A-Za-z]", published["summary"])
    for chapter in published["chapters"]:
        assert all(part in script for part in re.split(r"[与與]", content(chapter["title"])))
    for question in published["questions"]:
        assert content(question["choices"][question["answer"]]) in script


def test_what_whisper_heard_stays_beside_each_corrected_line(prepared, heard):
    lesson, _ = prepared
    segments = insights.segments_of(insights.get_insight(lesson.id))

    kept = " ".join(s.heard for s in segments if s.heard)
    assert content(kept) == content("".join(s.text for s in heard.segments))


def test_the_studio_shows_the_machine_original(app, prepared):
    lesson, _ = prepared
    client = app.test_client()
    login(client, "teacher", "demo-teacher-2026")
    html = client.get(f"/studio/lessons/{lesson.id}").get_data(as_text=True)

    assert "机器原稿" in html and "seg-corrected" in html
    assert insights.segments_of(insights.get_insight(lesson.id))[0].heard in html


def test_preparing_it_again_changes_nothing(prepared):
    lesson, _ = prepared
    published_at = insights.get_insight(lesson.id).published_at

    assert demo.prepare_lecture(lesson.id) == []
    assert insights.get_insight(lesson.id).published_at == published_at


def test_loading_the_demo_queues_every_lecture_not_yet_published(app, monkeypatch, make):
    queue = loader._queue_demo_pipeline  # the support stubs it out while loading
    load_demo_with_the_clip(monkeypatch)
    queued = []
    monkeypatch.setattr(demo, "prepare_demo_lecture", queued.append)
    lessons = db.session.scalars(select(Lesson).order_by(Lesson.id)).all()
    make.insight(lessons[0])  # published already

    assert queue() == len(lessons) - 1
    assert sorted(queued) == [lesson.id for lesson in lessons[1:]]


def test_a_failed_regeneration_publishes_nothing_and_a_rerun_finishes(app, monkeypatch, heard):
    """Publishing the derivations of Whisper's text beside the corrected lines would show
    what the correction was for; the lecture waits, and loading the demo again finishes it."""
    load_demo_with_the_clip(monkeypatch)
    monkeypatch.setattr(whisper, "listen", lambda *args, **kwargs: heard)
    lesson = db.session.scalar(
        select(Lesson).where(Lesson.media_path.like("%/client-communication.mp4"))
    )
    run_here = insights.run_job_here

    def regeneration_fails(lesson, kind="full"):
        if kind != "derive":
            return run_here(lesson, kind)
        with monkeypatch.context() as broken:
            broken.setattr(derive, "corpus_for", lambda **kwargs: 1 / 0)
            return run_here(lesson, kind)

    monkeypatch.setattr(insights, "run_job_here", regeneration_fails)
    assert demo.prepare_lecture(lesson.id) == ["transcribed", "corrected"]
    assert insights.published_view(lesson.id) is None

    monkeypatch.setattr(insights, "run_job_here", run_here)
    assert demo.prepare_lecture(lesson.id) == ["regenerated", "published"]
