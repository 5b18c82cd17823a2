"""Uploads too long, or too small for the length they claim, are refused before they become a
lesson's media (ASVS 5.0 5.2.1 files the application can process; 5.2.3 a small file that
expands enormously when decoded, the audio form of a zip bomb)."""

import shutil
import subprocess
from pathlib import Path

import pytest

from academy.errors import Refusal
from academy.extensions import db
from academy.insights import bounds
from academy.insights.models import ProcessingJob
from tests.factories import CLIP, upload


@pytest.fixture(autouse=True)
def no_model(app, tmp_path):
    """An empty model folder: a job that does start fails at once, after the upload."""
    empty = tmp_path / "no-model"
    empty.mkdir()
    app.config["WHISPER_MODEL_DIR"] = str(empty)


def silence(tmp_path: Path, hours: float) -> bytes:
    """`hours` of silent AAC, made by repeating one encoded minute (no re-encoding: fast)."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    minute, long = tmp_path / "minute.m4a", tmp_path / f"{hours}h.m4a"
    run = ["ffmpeg", "-v", "error", "-nostdin", "-y"]
    source = ["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "60"]
    subprocess.run([*run, *source, "-c:a", "aac", str(minute)], check=True)
    loops = ["-stream_loop", str(round(hours * 60) - 1), "-i", str(minute)]
    subprocess.run([*run, *loops, "-c", "copy", str(long)], check=True)
    return long.read_bytes()


def assert_nothing_changed(app, lesson, media_path: str, jobs: int) -> None:
    db.session.expire_all()
    assert lesson.media_path == media_path
    assert db.session.query(ProcessingJob).count() == jobs
    assert list((Path(app.config["INSTANCE_PATH"]) / "uploads").glob("*.part")) == []


def test_ten_hours_of_silence_in_a_small_file_is_refused(app, studio_api, draft, tmp_path):
    """ASVS 5.0 5.2.3: the file that drove the worker to 5.6 GB; the lesson keeps its media."""
    course, lesson = draft
    upload(studio_api, lesson.id, "first.mp4", CLIP.read_bytes())
    db.session.expire_all()
    media_path, jobs = lesson.media_path, db.session.query(ProcessingJob).count()

    status, body = upload(studio_api, lesson.id, "silence.m4a", silence(tmp_path, 10), 4_000_000)

    assert (status, body["error"]["code"]) == (422, "media_too_long")
    assert "超过了 4 小时的上限" in body["error"]["message"]
    assert_nothing_changed(app, lesson, media_path, jobs)
    assert len(list((Path(app.config["MEDIA_PATH"]) / "lessons" / str(lesson.id)).iterdir())) == 1


def test_the_longest_lecture_is_a_setting(app, studio_api, draft):
    """ASVS 5.0 5.2.1: ACADEMY_MEDIA_MAX_HOURS (here 30 s) bounds the work one upload makes."""
    app.config["MEDIA_MAX_HOURS"] = 30 / 3600
    course, lesson = draft

    status, body = upload(studio_api, lesson.id, "lecture.mp4", CLIP.read_bytes())

    assert (status, body["error"]["code"]) == (422, "media_too_long")
    assert_nothing_changed(app, lesson, "", 0)


def test_three_hours_in_a_few_hundred_kilobytes_is_refused_as_implausible(
    app, studio_api, draft, tmp_path
):
    """ASVS 5.0 5.2.3: within the length limit, but 64 bytes a second is no real recording."""
    course, lesson = draft

    status, body = upload(studio_api, lesson.id, "lecture.m4a", silence(tmp_path, 3), 4_000_000)

    assert (status, body["error"]["code"]) == (422, "implausible_duration")
    assert "不像真实的讲座录音" in body["error"]["message"]
    assert_nothing_changed(app, lesson, "", 0)


# Measured bytes a second (see bounds.MIN_MEDIA_BYTES_PER_SECOND).
@pytest.mark.parametrize(
    ("bytes_per_second", "accepted"),
    [
        (850, True),  # espeak-ng speech, Opus at its 6 kb/s floor, in Ogg
        (1_000, True),  # MP3 at its 8 kb/s floor
        (500, True),
        (499, False),
        (378, False),  # ten minutes of silence, Opus 6 kb/s in Ogg
        (280, False),  # 10 hours in 10 MB
        (64, False),  # ten minutes of silence, AAC
    ],
)
def test_bytes_a_second_below_any_speech_codec_are_refused(bytes_per_second, accepted):
    """ASVS 5.0 5.2.3: the threshold sits below every codec browsers play speech in."""
    hour = 3600.0
    if accepted:
        bounds.check_media("a.ogg", bytes_per_second * int(hour), hour, 4 * hour)
    else:
        with pytest.raises(Refusal) as refused:
            bounds.check_media("a.ogg", bytes_per_second * int(hour), hour, 4 * hour)
        assert refused.value.code == "implausible_duration"
