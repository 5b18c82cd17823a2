"""A job's memory and work are bounded whatever the file (ASVS 5.0 5.2.1 files processed
without denial of service; 5.2.3 a small file that decodes into hours of samples): audio is
decoded and transcribed a slice at a time from the start, and decoding stops at the limit."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import tracemalloc
from types import SimpleNamespace

import numpy as np
import pytest

from academy.extensions import db
from academy.insights import services as insights
from academy.insights import transcribe as whisper
from academy.insights.transcribe import (
    SAMPLE_RATE,
    SEARCH_SECONDS,
    SLICE_SECONDS,
    MediaTooLongError,
    audio_slices,
    cut_points,
    decode_audio,
)
from tests.factories import CLIP

#: the most audio audio_slices holds before it cuts: a slice, its search window and a chunk
HELD_SECONDS = SLICE_SECONDS + SEARCH_SECONDS + 11


def silent_minutes(tmp_path, minutes: int):
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    path = tmp_path / f"{minutes}min.m4a"
    source = ["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", str(minutes * 60)]
    command = ["ffmpeg", "-v", "error", "-nostdin", "-y", *source, "-c:a", "aac", str(path)]
    subprocess.run(command, check=True)
    return path


def test_slices_from_chunks_are_cut_where_the_whole_audio_would_be():
    sound = np.random.default_rng(0).standard_normal(SAMPLE_RATE * 1000).astype(np.float32)
    for pause in (290, 610, 905):
        sound[pause * SAMPLE_RATE : (pause + 1) * SAMPLE_RATE] = 0
    sizes = itertools.cycle([1_000, 160_000, 77_777, 400_000])
    bounds = list(itertools.takewhile(lambda n: n < len(sound), itertools.accumulate(sizes)))
    chunks = [sound[a:b] for a, b in itertools.pairwise([0, *bounds, len(sound)])]

    slices = list(audio_slices(iter(chunks)))

    assert [begin for begin, _ in slices[1:]] == cut_points(sound) == [4643200, 9763200, 14483200]
    assert np.array_equal(np.concatenate([audio for _, audio in slices]), sound)


def test_slicing_two_hours_holds_no_more_than_one_slice():
    """Two hours of float32 are 460 MB; what is held at once stays near one slice (21 MB)."""
    chunk = np.zeros(10 * SAMPLE_RATE, dtype=np.float32)
    chunk[::7] = 0.01  # not quite silent, so each cut has a quietest place to choose
    tracemalloc.start()
    try:
        total = sum(len(audio) for _, audio in audio_slices(chunk.copy() for _ in range(720)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert total == 720 * len(chunk)
    assert peak < 4 * HELD_SECONDS * SAMPLE_RATE * 4  # bytes: a few slices' worth, not 460 MB


def test_the_first_slice_is_transcribed_before_the_rest_is_decoded(tmp_path, monkeypatch):
    """No step decodes the whole file first: Whisper gets slice one after about 5.5 minutes of
    a 20-minute file have been decoded, and never more than a slice at a time."""
    media = silent_minutes(tmp_path, 20)
    decoded, seen = [0], []

    def counting_decode(path, **kwargs):
        for samples in decode_audio(path, **kwargs):
            decoded[0] += len(samples)
            yield samples

    class Model:
        def transcribe(self, audio, **options):
            seen.append((len(audio), decoded[0]))
            return iter([]), None

    monkeypatch.setattr(whisper, "decode_audio", counting_decode)
    monkeypatch.setattr(whisper, "load_model", lambda *args, **kwargs: Model())

    whisper.transcribe(media, model_dir=tmp_path)

    assert sum(length for length, _ in seen) == decoded[0] == 20 * 60 * SAMPLE_RATE
    assert all(length <= (SLICE_SECONDS + SEARCH_SECONDS) * SAMPLE_RATE for length, _ in seen)
    assert seen[0][1] <= HELD_SECONDS * SAMPLE_RATE  # only the first slice had been decoded


def test_decoding_stops_past_the_limit():
    """ASVS 5.0 5.2.3: whatever the header claims, no more than the limit is decoded."""
    decoded = 0
    with pytest.raises(MediaTooLongError, match="more than 10 s"):
        for samples in decode_audio(CLIP, max_seconds=10):
            decoded += len(samples)

    assert decoded <= 10 * SAMPLE_RATE


def test_media_longer_than_the_limit_is_refused_before_the_model_loads(tmp_path):
    with pytest.raises(MediaTooLongError, match="lasts 41 s"):
        whisper.transcribe(CLIP, model_dir=tmp_path / "no-model", max_seconds=30)


def test_a_job_on_media_past_the_limit_fails_and_says_why(app, draft):
    """ASVS 5.0 5.2.1: the worker applies ACADEMY_MEDIA_MAX_HOURS itself, so media that slipped
    past the upload check (a header that lies about its length) still cannot run for hours."""
    course, lesson = draft
    target = app.config["MEDIA_PATH"] / "lessons" / "clip.mp4"
    target.parent.mkdir(parents=True)
    shutil.copy(CLIP, target)
    lesson.media_path = "lessons/clip.mp4"
    db.session.commit()
    app.config["MEDIA_MAX_HOURS"] = 30 / 3600

    job = insights.start_job(lesson, "full")

    assert job.status == "failed"
    assert job.error.startswith("文件的声音超过了时长上限")
    assert insights.get_insight(lesson.id) is None


def test_progress_and_segments_follow_the_probed_length(tmp_path, monkeypatch):
    """Segments timed past the end Whisper heard are cut at the media's end, as before."""
    media = silent_minutes(tmp_path, 1)

    class Model:
        def transcribe(self, audio, **options):
            piece = SimpleNamespace(start=50.0, end=75.0, text="好")
            return iter([piece]), None

    monkeypatch.setattr(whisper, "load_model", lambda *args, **kwargs: Model())

    segments = whisper.transcribe(media, model_dir=tmp_path)

    assert [(s.start, s.end) for s in segments] == [(50.0, pytest.approx(60.0, abs=0.1))]
