"""The instructor's working copy is never lost or published by accident: a refused save keeps
what was typed, nothing is edited or published while a job will write over it, and derivations
older than the transcript's last correction are published only when confirmed."""

from datetime import timedelta

import pytest

from academy.extensions import db
from academy.insights import pipeline
from academy.insights import services as insights
from academy.insights.models import LessonInsight, ProcessingJob
from tests.web import form_values, post_form


@pytest.fixture
def lesson(lesson_with_insight):
    return lesson_with_insight


TYPED = {
    "keywords": "受益所有人、尽职调查",
    "summary": "改过的摘要。",
    "chapter-0-start": "0:00",
    "chapter-0-title": "改过的章节标题",
    "chapter-0-summary": "改过的章节摘要",
    "chapter-0-points": "要点一\n要点二",
    "chapter-1-start": "1:00",
    "chapter-1-title": "要删的章节",
    "chapter-1-delete": "1",
    "chapter-2-start": "",
    "chapter-2-title": "",
    "question-0-kind": "choice",
    "question-0-prompt": "改过的题目？",
    "question-0-choices": "甲\n乙\n丙",
    "question-0-answer": "4",  # there are three choices: refused
    "question-0-explanation": "改过的解析",
    "question-1-kind": "choice",
    "question-1-prompt": "新加的题目？",
    "question-1-choices": "对\n错",
    "question-1-answer": "1",
}


def test_a_refused_derivations_save_gives_back_everything_that_was_typed(teacher, lesson):
    page = f"/studio/lessons/{lesson.id}"
    before = insights.get_insight(lesson.id)
    saved = (before.keywords, before.summary, before.chapters, before.questions)

    response = post_form(teacher, f"{page}/derivations", TYPED, page=page)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "须至少两个选项，正确答案填选项序号（1 到 3）" in html
    shown = form_values(html)
    for name, value in TYPED.items():
        expected = "on" if name.endswith("-delete") else value
        assert shown.get(name, "") == expected, name
    db.session.expire_all()
    after = insights.get_insight(lesson.id)
    assert (after.keywords, after.summary, after.chapters, after.questions) == saved


def test_the_saved_copy_fills_the_form_with_a_blank_row_to_add_to(teacher, lesson):
    html = teacher.get(f"/studio/lessons/{lesson.id}").get_data(as_text=True)
    shown = form_values(html)

    assert shown["keywords"] == "尽职调查"
    assert (shown["chapter-0-start"], shown["chapter-0-title"]) == ("0:00", "尽职调查")
    assert shown["question-0-answer"] == str(
        insights.get_insight(lesson.id).questions[0]["answer"] + 1
    )
    assert (shown["chapter-1-title"], shown["question-1-prompt"]) == ("", "")
    assert "chapter-1-delete" not in html and "chapter-0-delete" in html


def test_while_a_job_is_queued_nothing_is_edited_or_published(teacher, studio_api, lesson):
    page = f"/studio/lessons/{lesson.id}"
    job = pipeline.create_job(lesson, "derive")  # queued: a worker will write over the copy

    html = teacher.get(page).get_data(as_text=True)
    assert 'id="publish-waits"' in html
    assert "发布当前版本" in html and "disabled>" in html

    response = post_form(teacher, f"{page}/publish", page=page)
    assert "正在处理中" in teacher.get(response.headers["Location"]).get_data(as_text=True)
    status, body = studio_api.post(f"/api/v1/lessons/{lesson.id}/publish", {})
    assert (status, body["error"]["code"]) == (409, "job_running")
    assert insights.published_view(lesson.id) is None

    typed = "[0:00 → 0:05] 受益所有人的识别是尽职调查的重点。"
    response = post_form(teacher, f"{page}/transcript", {"transcript": typed}, page=page)
    assert response.status_code == 409
    assert form_values(response.get_data(as_text=True))["transcript"] == typed
    valid = {**TYPED, "question-0-answer": "1"}
    response = post_form(teacher, f"{page}/derivations", valid, page=page)
    assert response.status_code == 409
    assert form_values(response.get_data(as_text=True))["summary"] == "改过的摘要。"
    db.session.expire_all()
    insight = insights.get_insight(lesson.id)
    assert insight.segments[0]["text"] == "尽职调查是识别客户身份的第一步。"
    assert insight.summary == "尽职调查是识别客户身份的第一步。"

    pipeline.run_job(job.id)  # the job ends: editing and publishing are open again
    html = teacher.get(page).get_data(as_text=True)
    assert 'id="publish-waits"' not in html
    status, body = studio_api.post(f"/api/v1/lessons/{lesson.id}/publish", {})
    assert status == 200, body
    assert insights.published_view(lesson.id) is not None


def test_derivations_older_than_the_transcript_are_published_only_when_confirmed(
    teacher, studio_api, lesson
):
    page = f"/studio/lessons/{lesson.id}"
    post_form(
        teacher,
        f"{page}/transcript",
        {"transcript": "[0:00 → 0:05] 受益所有人的识别是尽职调查的重点。"},
        page=page,
    )
    assert 'name="confirm_stale"' in teacher.get(page).get_data(as_text=True)

    response = post_form(teacher, f"{page}/publish", page=page)
    html = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "还没有重新生成" in html
    status, body = studio_api.post(f"/api/v1/lessons/{lesson.id}/publish", {})
    assert (status, body["error"]["code"]) == (409, "derivations_stale")
    assert insights.published_view(lesson.id) is None

    response = post_form(teacher, f"{page}/publish", {"confirm_stale": "1"}, page=page)
    view = insights.published_view(lesson.id)
    assert view["segments"][0]["text"] == "受益所有人的识别是尽职调查的重点。"
    assert view["summary"] == "尽职调查是识别客户身份的第一步。"  # as confirmed: the old one


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"chapter-1-start": "99:00", "chapter-1-title": "尾声"}, "超出了视频长度 1:00"),
        ({"question-0-choices": "A\nA", "question-0-answer": "1"}, "有相同的选项"),
        ({"question-0-kind": "bogus"}, "题型只能是选择题或填空题"),
    ],
)
def test_derivations_that_do_not_fit_the_lecture_are_refused(teacher, lesson, fields, said):
    form = {
        "keywords": "尽职调查",
        "summary": "摘要。",
        "chapter-0-start": "0:00",
        "chapter-0-title": "开场",
        "question-0-kind": "choice",
        "question-0-prompt": "题目？",
        "question-0-choices": "对\n错",
        "question-0-answer": "1",
    }
    lesson.duration_ms = 60_000  # its video's length
    db.session.commit()
    page = f"/studio/lessons/{lesson.id}"
    response = post_form(teacher, f"{page}/derivations", form | fields, page=page)
    assert response.status_code == 422 and said in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("[0:00.0 → 99:00.0] 大家好", "超出了视频长度 1:00"),
        ("[0:05.0 → 0:01.0] 大家好", "第 1 行的结束时间早于开始时间"),
    ],
)
def test_a_transcript_line_outside_the_video_or_backwards_is_refused(teacher, lesson, line, said):
    lesson.duration_ms = 60_000  # its video's length
    db.session.commit()
    page = f"/studio/lessons/{lesson.id}"
    before = insights.get_insight(lesson.id).segments
    response = post_form(teacher, f"{page}/transcript", {"transcript": line}, page=page)
    assert response.status_code == 422 and said in response.get_data(as_text=True)
    db.session.expire_all()
    assert insights.get_insight(lesson.id).segments == before


def test_a_save_from_a_page_older_than_the_copy_is_refused_and_kept(app, teacher, lesson):
    """Two tabs (or two colleagues) open the lesson; the first saves; the second's save would
    silently undo it, so it is refused and its typing comes back."""
    page = f"/studio/lessons/{lesson.id}"
    second_tab = form_values(teacher.get(page).get_data(as_text=True))

    first = {**second_tab, "summary": "第一个窗口改的摘要。"}
    assert post_form(teacher, f"{page}/derivations", first, page=page).status_code == 302

    second = {**second_tab, "summary": "第二个窗口改的摘要。"}
    response = post_form(teacher, f"{page}/derivations", second, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "这部分内容已被修改" in html
    assert "第二个窗口改的摘要。" in html  # to copy
    seen = second_tab["derivations_version"]
    assert form_values(html)["derivations_version"] == seen  # sending again: refused too
    db.session.expire_all()
    assert insights.get_insight(lesson.id).summary == "第一个窗口改的摘要。"

    transcript = form_values(teacher.get(page).get_data(as_text=True))
    edited = transcript["transcript"].replace("。", "！", 1)
    fields = {"transcript": edited, "transcript_version": transcript["transcript_version"]}
    assert post_form(teacher, f"{page}/transcript", fields, page=page).status_code == 302
    stale = {
        "transcript": transcript["transcript"] + "补一句",
        "transcript_version": transcript["transcript_version"],
    }
    response = post_form(teacher, f"{page}/transcript", stale, page=page)
    assert response.status_code == 409


def test_publishing_says_what_learners_will_see(teacher, lesson):
    page = f"/studio/lessons/{lesson.id}"
    response = post_form(teacher, f"{page}/publish", {"confirm_stale": "1"}, page=page)
    said = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "学员现在可以在课程页看到AI 摘要、章节、要点回顾" in said

    emptied = {"keywords": "", "summary": ""}  # every chapter and question row left out
    assert post_form(teacher, f"{page}/derivations", emptied, page=page).status_code == 302
    response = post_form(teacher, f"{page}/publish", {"confirm_stale": "1"}, page=page)
    said = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "摘要、章节和要点回顾都是空的" in said and "学员现在可以" not in said


def test_a_lecture_in_which_nothing_was_heard_can_be_written_by_hand(teacher, draft):
    course, lesson = draft
    lesson.duration_ms = 20_000
    db.session.add(LessonInsight(lesson_id=lesson.id, segments=[]))  # Whisper wrote nothing
    db.session.commit()
    page = f"/studio/lessons/{lesson.id}"
    html = teacher.get(page).get_data(as_text=True)
    assert "没有识别出文字" in html and 'name="transcript"' in html

    fields = form_values(html)
    typed = "[0:00.0 → 0:05.0] 大家好，今天讲客户尽职调查。"
    response = post_form(teacher, f"{page}/transcript", fields | {"transcript": typed}, page=page)
    assert response.status_code == 302
    db.session.expire_all()
    assert [s["text"] for s in insights.get_insight(lesson.id).segments] == [
        "大家好，今天讲客户尽职调查。"
    ]


def test_after_a_regeneration_the_transcription_s_own_time_is_still_shown(
    teacher, lesson, movable_clock
):
    lesson.duration_ms = 120_000
    start = movable_clock.current
    full = ProcessingJob(lesson_id=lesson.id, kind="full", status="done", progress=100)
    full.started_at, full.finished_at = start, start + timedelta(seconds=27)
    derive = ProcessingJob(lesson_id=lesson.id, kind="derive", status="done", progress=100)
    derive.started_at = derive.finished_at = start + timedelta(seconds=60)
    db.session.add_all([full, derive])
    db.session.commit()
    html = teacher.get(f"/studio/lessons/{lesson.id}").get_data(as_text=True)
    assert "处理用时 0:27，实时率 0.23" in html and "按新稿重新生成用时 0:00" in html
