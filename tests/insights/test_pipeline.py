"""The lecture pipeline end to end on the real model, and its job records."""

from datetime import timedelta

import pytest

from academy.errors import Refusal
from academy.extensions import db
from academy.insights import services as insights
from academy.insights.models import ProcessingJob
from tests.factories import CLIP, upload


@pytest.fixture
def processed(app, studio_api, draft):
    """The committed clip uploaded through the API; the job runs at once, on the real model."""
    course, lesson = draft
    status, body = upload(studio_api, lesson.id, "lecture.mp4", CLIP.read_bytes())
    assert status == 200, body
    return course, lesson


def test_an_upload_is_transcribed_and_everything_is_derived(studio_api, processed):
    course, lesson = processed
    status, body = studio_api.get(f"/api/v1/lessons/{lesson.id}/job")
    assert body["job"]["status"] == "done" and body["job"]["progress"] == 100, body
    insight = insights.get_insight(lesson.id)
    assert len(insight.segments) >= 3
    assert all(
        a["start"] <= b["start"]
        for a, b in zip(insight.segments, insight.segments[1:], strict=False)
    )
    text = "".join(s["text"] for s in insight.segments)
    assert sum("\u4e00" <= c <= "\u9fff" for c in text) > 100  # Chinese speech became Chinese text
    assert insight.keywords and all(k in text for k in insight.keywords)
    assert insight.summary and insight.chapters and insight.mind_map["children"]
    assert all(0 <= q["answer"] < len(q["choices"]) for q in insight.questions)
    assert insight.published_at is None  # nothing is public until the instructor publishes


@pytest.fixture
def transcribed(draft, make):
    """A lesson with a transcript already (the derivations run; Whisper is not needed)."""
    course, lesson = draft
    lesson.media_path = "lessons/x.mp4"
    make.insight(lesson, publish=False)
    return course, lesson


def test_running_a_finished_job_again_changes_nothing(transcribed):
    course, lesson = transcribed
    insights.start_job(lesson, "derive")
    job = insights.latest_job(lesson.id)
    assert job.status == "done"
    before = insights.get_insight(lesson.id).derived_at
    insights.run_job(job.id)
    db.session.expire_all()
    assert insights.latest_job(lesson.id).attempts == 1
    assert insights.get_insight(lesson.id).derived_at == before


def test_a_job_whose_worker_died_is_picked_up_again(transcribed, movable_clock):
    course, lesson = transcribed
    job = ProcessingJob(
        lesson_id=lesson.id,
        kind="derive",
        status="running",
        heartbeat_at=movable_clock.current,
        attempts=1,
    )
    db.session.add(job)
    db.session.commit()
    assert insights.recover_stalled_jobs() == []  # still fresh
    movable_clock.advance((insights.STALL_AFTER + timedelta(seconds=1)).total_seconds())
    assert insights.recover_stalled_jobs() == [job.id]
    db.session.expire_all()
    recovered = db.session.get(ProcessingJob, job.id)
    assert recovered.status == "done" and recovered.attempts == 2


def test_regenerating_uses_the_corrected_transcript(transcribed):
    from academy.insights.types import Segment

    course, lesson = transcribed
    insights.save_transcript(
        lesson,
        [
            Segment(0, 20, "受益所有人识别是尽职调查的核心环节，受益所有人必须穿透识别。"),
            Segment(20, 40, "大额交易报告与可疑交易报告要按时提交，大额交易报告有明确标准。"),
        ],
    )
    assert insights.get_insight(lesson.id).derivations_stale
    insights.start_job(lesson, "derive")
    insight = insights.get_insight(lesson.id)
    assert not insight.derivations_stale
    assert any("受益所有人" in k or "交易报告" in k for k in insight.keywords)


def test_looking_for_stalled_jobs_leaves_no_transaction_open(transcribed):
    """A worker calls this and then runs for hours: on SQLite an open transaction would hold
    the write lock and stop every other writer."""
    insights.recover_stalled_jobs()
    assert not db.session().in_transaction()


def test_a_lecture_whisper_heard_nothing_of_can_be_written_by_hand(draft):
    """Whisper wrote no line (a voice it cannot follow) while the detector heard speech: the
    lines the instructor writes become the transcript, and it is no longer held."""
    from academy.insights import editing
    from academy.insights.types import Segment

    _course, lesson = draft
    editing.store_machine_transcript(lesson.id, [], heard_speech=[(0.3, 8.0)])
    assert insights.review_of(insights.get_insight(lesson.id)).held
    with pytest.raises(Refusal, match="还没有转写稿"):
        insights.publish(lesson, confirm_low_confidence=True)  # nothing to publish yet

    insights.save_transcript(lesson, [Segment(0.3, 8.0, "各位好，今天讲客户沟通。")])

    found = insights.review_of(insights.get_insight(lesson.id))
    assert not found.held and found.missed == []
    insights.publish(lesson, confirm_stale=True)  # not held; derived from nothing yet
    assert insights.published_view(lesson.id) is not None
