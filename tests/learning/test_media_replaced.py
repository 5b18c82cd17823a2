"""A lesson's video replaced (the studio's upload) while learners are part way through it: each
can still finish it by watching the new one to its end and confirming every popup left."""

import pytest

from academy.extensions import db
from academy.learning.models import LessonProgress, Popup
from tests.factories import CLIP, HonestPlayer, upload

#: the committed clip, the new video of every test here
CLIP_MS = 41_400


@pytest.fixture(autouse=True)
def no_model(app, tmp_path):
    """Whisper points at an empty folder: the pipeline fails fast, after the upload."""
    empty = tmp_path / "no-model"
    empty.mkdir()
    app.config["WHISPER_MODEL_DIR"] = str(empty)


@pytest.fixture
def lesson_of(make, instructor):
    def build(duration_ms: int):
        course = make.course(lessons=[duration_ms], instructor_id=instructor.instructor_profile.id)
        return course, course.lessons[0]

    return build


def replace_video(studio_api, lesson) -> int:
    status, body = upload(studio_api, lesson.id, "新版.mp4", CLIP.read_bytes())
    assert status == 200 and body["status"] == "complete", body
    db.session.expire_all()
    assert abs(lesson.duration_ms - CLIP_MS) < 200
    return lesson.duration_ms


def unconfirmed() -> list[Popup]:
    return db.session.query(Popup).filter(Popup.confirmed_at.is_(None)).all()


def test_popups_past_a_shorter_videos_end_move_within_it(api, studio_api, lesson_of, movable_clock):
    course, lesson = lesson_of(600_000)
    api.enroll(course.id)
    player = HonestPlayer(api, movable_clock, lesson.id)
    for _ in range(4):
        player.step()
    assert player.last["verified"] == 20.0
    # drawn for ten minutes, the last one past 84 s whatever is drawn
    assert any(p.at_ms > CLIP_MS for p in unconfirmed())

    notice = studio_api.client.get(f"/studio/lessons/{lesson.id}").get_data(as_text=True)
    assert 'id="learners-started">已有 1 名学员开始学习本课时' in notice

    duration = replace_video(studio_api, lesson)

    assert unconfirmed() and all(20_000 <= p.at_ms <= duration for p in unconfirmed())
    left = len(unconfirmed())
    player = HonestPlayer(api, movable_clock, lesson.id)
    done = player.play_to_end()
    assert done["lesson_complete"] and done["verified"] * 1000 == duration
    assert len(player.popups_seen) == left and unconfirmed() == []


def test_progress_past_a_shorter_videos_end_waits_for_the_popups_left(
    api, studio_api, lesson_of, movable_clock
):
    course, lesson = lesson_of(600_000)
    api.enroll(course.id)
    player = HonestPlayer(api, movable_clock, lesson.id)
    while player.last["verified"] < 60.0:  # the last popup lies past 84 s, whatever is drawn
        player.step()
    left = len(unconfirmed())
    assert left > 0

    duration = replace_video(studio_api, lesson)

    progress = db.session.query(LessonProgress).one()
    assert progress.verified_ms == duration and progress.completed_at is None
    player = HonestPlayer(api, movable_clock, lesson.id)
    done = player.play_to_end()  # the popups come at once: nothing is left to watch
    assert done["lesson_complete"] and len(player.popups_seen) == left


def test_a_longer_video_keeps_the_popups_and_asks_for_the_rest(
    api, studio_api, lesson_of, movable_clock
):
    course, lesson = lesson_of(20_000)
    api.enroll(course.id)
    player = HonestPlayer(api, movable_clock, lesson.id)
    player.step()
    before = sorted(p.at_ms for p in db.session.query(Popup))

    duration = replace_video(studio_api, lesson)

    assert sorted(p.at_ms for p in db.session.query(Popup)) == before
    done = HonestPlayer(api, movable_clock, lesson.id).play_to_end()
    assert done["lesson_complete"] and done["verified"] * 1000 == duration
