"""Transcripts a visitor should not be shown are held for correction, on real audio: the demo
clip (espeak-ng Mandarin, which Whisper base hears poorly), a lecture spoken in Spanish and
silence with noise. Each clip is transcribed once per module by the real model; each test then
runs the real pipeline on its lesson with that transcription standing in for Whisper's."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from academy.extensions import db
from academy.insights import confidence, pipeline
from academy.insights import services as insights
from academy.insights import transcribe as whisper
from academy.insights.model_store import resolve_model_dir
from academy.insights.transcribe import Heard, listen, probe_media
from academy.insights.types import Segment
from tests.factories import CLIP
from tests.web import post_form

SPANISH = (
    "Buenos días a todos. Hoy vamos a hablar de la planificación financiera para las familias, "
    "de los riesgos del mercado y de cómo construir una cartera diversificada a largo plazo."
)
LATIN = re.compile(r"[A-Za-z]")


def run(*args) -> None:
    if shutil.which(args[0]) is None:
        pytest.skip(f"{args[0]} is not installed")
    subprocess.run(args, check=True, capture_output=True)


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, Path]:
    """The demo clip; Spanish speech by espeak-ng and silence with noise, both as AAC (m4a)."""
    folder = tmp_path_factory.mktemp("clips")
    run("espeak-ng", "-v", "es", SPANISH, "-w", str(folder / "spanish.wav"))
    encode = ["-ac", "1", "-ar", "16000", "-c:a", "aac"]
    run("ffmpeg", "-v", "error", "-y", "-i", str(folder / "spanish.wav"), *encode,
        str(folder / "spanish.m4a"))  # fmt: skip
    run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "anoisesrc=d=8:c=pink:a=0.03",
        *encode, str(folder / "noise.m4a"))  # fmt: skip
    # the demo clip twice with 4 s of silence between: two stretches of speech
    mono = "aformat=sample_rates=16000:channel_layouts=mono"
    run("ffmpeg", "-v", "error", "-y", "-i", str(CLIP), "-f", "lavfi", "-t", "4", "-i",
        "anullsrc=r=16000:cl=mono", "-i", str(CLIP), "-filter_complex",
        f"[0:a]{mono}[a];[2:a]{mono}[b];[a][1:a][b]concat=n=3:v=0:a=1", *encode,
        str(folder / "twice.m4a"))  # fmt: skip
    return {
        "demo": CLIP,
        "spanish": folder / "spanish.m4a",
        "noise": folder / "noise.m4a",
        "twice": folder / "twice.m4a",
    }


@pytest.fixture(scope="module")
def heard(clips, tmp_path_factory) -> dict[str, Heard]:
    """What Whisper base (the real model) hears in each clip, once for the module."""
    model_dir = resolve_model_dir(None, tmp_path_factory.mktemp("instance"))
    return {name: listen(path, model_dir=model_dir) for name, path in clips.items()}


@pytest.fixture
def lesson_of(app, draft, clips, heard, monkeypatch):
    """The draft course's lesson with a clip as its media, through the pipeline."""

    def process(name: str, **options):
        """`heard=`: what Whisper is to have heard instead of what it heard in the clip."""
        course, lesson = draft
        source = clips[name]
        relative = f"lessons/{lesson.id}/{name}{source.suffix}"
        target = Path(app.config["MEDIA_PATH"]) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        lesson.media_path = relative
        lesson.duration_ms = int(probe_media(target).duration * 1000)
        db.session.commit()
        found = options.pop("heard", None) or heard[name]
        monkeypatch.setattr(whisper, "listen", lambda *args, **kwargs: found)
        job = insights.start_job(lesson, "full", **options)
        assert job.status == "done", job.error
        return lesson

    return process


def review_of(lesson) -> confidence.Review:
    return insights.review_of(insights.get_insight(lesson.id))


def test_the_demo_clip_is_held_for_its_low_confidence(lesson_of):
    found = review_of(lesson_of("demo"))

    assert found.language == "zh"
    assert found.low_share > confidence.MAX_LOW_CONFIDENCE_SHARE
    assert confidence.HOLD_LOW_CONFIDENCE in found.held_because


def test_held_derivations_are_still_made_for_the_studio(lesson_of):
    insight = insights.get_insight(lesson_of("demo").id)

    assert insight.keywords and insight.summary and insight.derived_at
    assert insight.published_at is None


def test_a_lecture_spoken_in_spanish_is_held_as_another_language(lesson_of):
    lesson = lesson_of("spanish")
    found = review_of(lesson)

    assert found.language == "es" and found.language_probability > 0.5
    assert confidence.HOLD_OTHER_LANGUAGE in found.held_because
    insight = insights.get_insight(lesson.id)
    assert [k for k in insight.keywords if LATIN.search(k)] == []
    assert [c["title"] for c in insight.chapters if LATIN.search(c["title"])] == []


def test_silence_with_noise_is_held(lesson_of):
    found = review_of(lesson_of("noise"))

    assert found.held
    assert set(found.held_because) <= {
        confidence.HOLD_NOTHING_HEARD,
        confidence.HOLD_OTHER_LANGUAGE,
        confidence.HOLD_LOW_CONFIDENCE,
    }


def test_a_run_meant_to_publish_leaves_a_held_transcript_unpublished(lesson_of):
    lesson = lesson_of("demo", publish_on_success=True)

    assert insights.published_view(lesson.id) is None


def test_publishing_a_held_transcript_through_the_api_needs_confirmation(lesson_of, studio_api):
    lesson = lesson_of("demo")

    status, body = studio_api.post(f"/api/v1/lessons/{lesson.id}/publish", {})
    assert (status, body["error"]["code"]) == (409, "held_for_correction")
    assert "需要先校对" in body["error"]["message"]
    assert insights.published_view(lesson.id) is None

    status, body = studio_api.post(
        f"/api/v1/lessons/{lesson.id}/publish", {"confirm_low_confidence": True}
    )
    assert status == 200, body
    assert body["review"]["held"] and "low_confidence" in body["review"]["held_because"]
    assert insights.published_view(lesson.id) is not None


def test_the_studio_marks_low_confidence_lines_and_says_why(lesson_of, teacher):
    lesson = lesson_of("demo")
    html = teacher.get(f"/studio/lessons/{lesson.id}").get_data(as_text=True)

    assert 'id="held-warning"' in html and "转写稿需要先校对" in html
    assert re.search(r'<tr class="review-line seg-low" data-line="1" title="[^"]+"', html)
    assert "识别把握低" in html or "文字过少" in html
    assert "低置信度：占语音时长的" in html


def test_the_studio_says_which_language_was_heard(lesson_of, teacher):
    lesson = lesson_of("spanish")
    html = teacher.get(f"/studio/lessons/{lesson.id}").get_data(as_text=True)

    assert "识别出的语言是西班牙语，不是课程的语言（中文）" in html


def test_the_studio_warns_about_a_lecture_of_noise(lesson_of, teacher):
    lesson = lesson_of("noise")
    html = teacher.get(f"/studio/lessons/{lesson.id}").get_data(as_text=True)

    assert 'id="processing-summary"' in html and "转写稿需要先校对" in html


def test_the_studio_publishes_a_held_transcript_only_when_the_box_is_ticked(lesson_of, teacher):
    lesson = lesson_of("demo")
    page = f"/studio/lessons/{lesson.id}"
    assert 'name="confirm_low_confidence"' in teacher.get(page).get_data(as_text=True)

    refused = post_form(teacher, f"{page}/publish", page=page)
    assert "需要先校对" in teacher.get(refused.location).get_data(as_text=True)
    assert insights.published_view(lesson.id) is None

    post_form(teacher, f"{page}/publish", {"confirm_low_confidence": "1"}, page=page)
    assert insights.published_view(lesson.id) is not None


def test_progress_is_reported_at_several_points_during_a_real_transcription(
    app, draft, monkeypatch
):
    """The real model on the demo clip, with every value the job would write recorded (the
    pacing of writes, a few seconds apart, is tested on its own in test_progress.py)."""
    course, lesson = draft
    course.glossary = ""  # no hot words: Whisper base takes 6 s on this clip, not 30
    target = Path(app.config["MEDIA_PATH"]) / "lessons" / "clip.mp4"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CLIP, target)
    lesson.media_path, lesson.duration_ms = "lessons/clip.mp4", 41_400
    db.session.commit()
    app.config["JOB_PROGRESS_SECONDS"] = 0
    written = []
    write = pipeline.write_progress
    monkeypatch.setattr(
        pipeline,
        "write_progress",
        lambda job_id, stage, percent: (
            written.append((stage, percent)),
            write(job_id, stage, percent),
        ),
    )

    assert insights.start_job(lesson, "full").status == "done"

    ((_, start, end),) = [
        (s, a, b) for s, a, b in pipeline.plan("full") if s.name == "transcribing"
    ]
    during = [percent for stage, percent in written if stage == "transcribing"]
    assert during == sorted(during) and len({p for p in during if start < p < end}) >= 3
    assert [percent for _, percent in written] == sorted(p for _, p in written)
    stages = list(dict.fromkeys(stage for stage, _ in written))
    assert stages == [step.name for step, _, _ in pipeline.plan("full")]


# -- speech Whisper dropped ---------------------------------------------------------------------


def test_the_voice_detector_finds_each_stretch_of_speech(heard):
    """Real audio: 41.4 s of speech, 4 s of silence, the same 41.4 s again."""
    first, second = heard["twice"].speech

    assert first[0] < 1 and 40 < first[1] < 43
    assert 44 < second[0] < 46.5 and second[1] > 85
    assert heard["noise"].speech == [] or all(e - s < 3 for s, e in heard["noise"].speech)


@pytest.fixture
def dropped(heard, lesson_of):
    """The two-part clip as if Whisper had dropped its second part (it does so now and then for
    the rest of a window; it cannot be made to on purpose): its lines past the silence removed,
    the speech the detector heard kept."""
    whole = heard["twice"]
    (_, silence_begins), (speech_resumes, _) = whole.speech
    lines = [s for s in whole.segments if s.start < silence_begins]
    assert len(lines) < len(whole.segments)
    lesson = lesson_of("twice", heard=Heard(lines, whole.speech))
    return lesson, speech_resumes


def test_speech_no_line_holds_is_found_and_counted_as_low_confidence(dropped):
    lesson, speech_resumes = dropped
    found = review_of(lesson)

    ((start, end),) = found.missed
    assert start == pytest.approx(speech_resumes, abs=0.5) and end > 85
    assert found.missed_seconds > 38
    assert found.low_seconds >= found.missed_seconds
    assert confidence.HOLD_LOW_CONFIDENCE in found.held_because


def test_the_studio_shows_where_speech_was_dropped(dropped, teacher):
    lesson, _ = dropped
    html = teacher.get(f"/studio/lessons/{lesson.id}").get_data(as_text=True)

    assert 'id="missed-speech"' in html and "可能漏听：1 处" in html
    assert re.search(r'<tr class="review-line seg-low" data-missed="1" title="[^"]*可能漏听', html)


def test_the_api_reports_the_dropped_speech(dropped, studio_api):
    lesson, speech_resumes = dropped

    status, body = studio_api.post(
        f"/api/v1/lessons/{lesson.id}/publish", {"confirm_low_confidence": True}
    )
    assert status == 200, body
    (missed,) = body["review"]["missed_speech"]
    assert missed["start"] == pytest.approx(speech_resumes, abs=0.5)
    assert body["review"]["missed_speech_seconds"] > 38


def test_a_line_the_instructor_writes_there_closes_the_gap(dropped):
    lesson, speech_resumes = dropped
    insight = insights.get_insight(lesson.id)
    ((start, end),) = insights.review_of(insight).missed
    lines = insights.segments_of(insight)
    written = Segment(start, end, "第二遍：客户沟通的三个要点，再讲一遍。")

    insights.save_transcript(lesson, [*lines, written])

    assert insights.review_of(insights.get_insight(lesson.id)).missed == []
