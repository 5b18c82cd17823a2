"""Uploading lecture media: resumable, limited, refused cleanly when it is not media."""

from pathlib import Path

import pytest

from academy.extensions import db
from academy.insights.models import ProcessingJob
from tests.factories import CLIP, ApiClient, put_chunk, upload


@pytest.fixture(autouse=True)
def no_model(app, tmp_path):
    """Point Whisper at an empty folder: the pipeline fails fast at the model, after the
    upload itself succeeded. The real model runs in tests/insights."""
    empty = tmp_path / "no-model"
    empty.mkdir()
    app.config["WHISPER_MODEL_DIR"] = str(empty)


def test_a_lecture_arrives_in_chunks_and_becomes_the_lessons_media(app, studio_api, draft):
    course, lesson = draft
    status, body = upload(studio_api, lesson.id, "第一讲.mp4", CLIP.read_bytes())
    assert status == 200 and body["status"] == "complete"
    db.session.expire_all()
    assert lesson.media_path.endswith(".mp4") and abs(lesson.duration_ms - 41_400) < 200
    assert (Path(app.config["MEDIA_PATH"]) / lesson.media_path).read_bytes() == CLIP.read_bytes()
    assert body["job"]["kind"] == "full"


def test_an_interrupted_upload_resumes_where_the_server_stands(studio_api, draft):
    course, lesson = draft
    data = CLIP.read_bytes()
    status, body = studio_api.post(
        f"/api/v1/lessons/{lesson.id}/uploads", {"filename": "a.mp4", "size": len(data)}
    )
    token = body["upload"]
    put_chunk(studio_api, token, 0, data[:150_000])
    status, state = studio_api.get(f"/api/v1/uploads/{token}")
    assert state["received"] == 150_000 and state["status"] == "receiving"
    status, wrong = put_chunk(studio_api, token, 100_000, data[100_000:200_000])
    assert status == 409 and wrong["error"]["code"] == "offset_mismatch"
    status, done = put_chunk(studio_api, token, 150_000, data[150_000:])
    assert status == 200 and done["status"] == "complete"


def test_a_file_that_is_not_media_is_refused_and_nothing_is_stored(app, studio_api, draft):
    course, lesson = draft
    status, body = upload(studio_api, lesson.id, "lecture.mp4", "这不是视频".encode() * 5000)
    assert status == 422 and body["error"]["code"] == "not_media"
    assert "不是可解码的音视频文件" in body["error"]["message"]
    db.session.expire_all()
    assert lesson.media_path == "" and db.session.query(ProcessingJob).count() == 0
    assert list((Path(app.config["INSTANCE_PATH"]) / "uploads").glob("*.part")) == []
    assert not (Path(app.config["MEDIA_PATH"]) / "lessons").exists()


def test_media_without_sound_is_refused(app, studio_api, draft, tmp_path):
    import subprocess

    silent = tmp_path / "silent.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "color=c=black:s=64x64:d=2",
            "-c:v",
            "libx264",
            str(silent),
        ],
        check=True,
    )
    course, lesson = draft
    status, body = upload(studio_api, lesson.id, "silent.mp4", silent.read_bytes())
    assert status == 422 and body["error"]["code"] == "not_media"


@pytest.mark.parametrize(
    ("name", "size", "status", "code"),
    [
        ("notes.pdf", 1000, 422, "unsupported_type"),
        ("lecture.mp4", 0, 422, "empty_file"),
        ("lecture.mp4", 10 * 1024**3, 413, "too_large"),
    ],
)
def test_uploads_are_checked_before_any_byte_is_sent(studio_api, draft, name, size, status, code):
    course, lesson = draft
    got, body = studio_api.post(
        f"/api/v1/lessons/{lesson.id}/uploads", {"filename": name, "size": size}
    )
    assert (got, body["error"]["code"]) == (status, code)


def test_more_bytes_than_declared_are_refused(studio_api, draft):
    course, lesson = draft
    status, body = studio_api.post(
        f"/api/v1/lessons/{lesson.id}/uploads", {"filename": "a.mp3", "size": 10}
    )
    status, body = put_chunk(studio_api, body["upload"], 0, b"x" * 11)
    assert status == 422 and body["error"]["code"] == "too_much_data"


@pytest.mark.parametrize("role", ["learner", "instructor"])
def test_only_the_courses_instructor_or_an_admin_may_upload(app, make, draft, role):
    course, lesson = draft
    make.user(f"other-{role}", role=role)
    other = ApiClient(app, f"other-{role}")
    status, body = other.post(
        f"/api/v1/lessons/{lesson.id}/uploads", {"filename": "a.mp4", "size": 10}
    )
    assert status == 403


def test_someone_elses_upload_cannot_be_continued(app, make, studio_api, draft):
    course, lesson = draft
    status, body = studio_api.post(
        f"/api/v1/lessons/{lesson.id}/uploads", {"filename": "a.mp4", "size": 10}
    )
    make.user("intruder", role="instructor")
    intruder = ApiClient(app, "intruder")
    status, refused = put_chunk(intruder, body["upload"], 0, b"x" * 10)
    assert status == 403 and refused["error"]["code"] == "not_your_upload"


def test_a_failed_job_says_why_and_can_be_retried(app, studio_api, draft, tmp_path):
    course, lesson = draft
    status, body = upload(studio_api, lesson.id, "a.mp4", CLIP.read_bytes())
    status, state = studio_api.get(f"/api/v1/lessons/{lesson.id}/job")
    assert state["job"]["status"] == "failed" and "model.bin" in state["job"]["error"]
    status, retried = studio_api.post(f"/api/v1/lessons/{lesson.id}/job/retry")
    assert status == 201 and retried["job"]["id"] != state["job"]["id"]
    assert retried["job"]["status"] == "failed" and retried["job"]["attempts"] == 1


def test_a_new_upload_waits_for_the_running_job(app, studio_api, draft):
    course, lesson = draft
    db.session.add(ProcessingJob(lesson_id=lesson.id, kind="full", status="running"))
    db.session.commit()
    status, body = studio_api.post(
        f"/api/v1/lessons/{lesson.id}/uploads", {"filename": "a.mp4", "size": 10}
    )
    assert status == 409 and body["error"]["code"] == "job_running"
