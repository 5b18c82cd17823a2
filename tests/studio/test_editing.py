"""Parsing the studio's edit forms."""

import pytest

from academy.errors import Refusal
from academy.insights.types import Segment
from academy.studio import editing


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0:05", 5.0),
        ("12:30", 750.0),
        ("12:30.5", 750.5),
        ("1:02:03", 3723.0),
        ("95", 95.0),
        ("abc", None),
        ("", None),
        ("1:75", None),
    ],
)
def test_parse_clock(text, seconds):
    assert editing.parse_clock(text) == seconds


def test_transcript_round_trips_through_the_text_format():
    segments = [
        {"start": 0.0, "end": 4.25, "text": "大家好"},
        {"start": 4.25, "end": 9.9, "text": "今天讲客户沟通"},
    ]
    text = editing.format_transcript(segments)
    assert text.splitlines()[0] == "[0:00.0 → 0:04.2] 大家好"
    assert editing.parse_transcript(text) == [
        Segment(0.0, 4.2, "大家好"),
        Segment(4.2, 9.9, "今天讲客户沟通"),
    ]


@pytest.mark.parametrize("stored", [41.3, 27.3, 0.1, 0.7, 59.9, 3599.9, 12.35 + 0.05])
def test_times_survive_a_save_untouched(stored):
    """A float a hair under its tenth (41.3 is 41.2999…) is shown rounded, so saving the
    text back stores the same time."""
    line = editing.format_transcript([{"start": stored, "end": stored, "text": "大家好"}])
    (parsed,) = editing.parse_transcript(line)
    assert parsed.start == round(stored, 1) and parsed.end == round(stored, 1)


def test_a_bad_transcript_line_is_refused_with_its_number():
    with pytest.raises(Refusal) as refused:
        editing.parse_transcript("[0:00 → 0:04] 大家好\n没有时间的一行")
    assert refused.value.code == "invalid_transcript_line"
    assert "第 2 行" in refused.value.message


def test_chapter_rows_skip_blank_and_deleted_rows():
    form = {
        "chapter-0-start": "0:00",
        "chapter-0-title": "开场",
        "chapter-0-summary": "介绍",
        "chapter-0-points": "目标\n安排",
        "chapter-1-start": "2:00",
        "chapter-1-title": "删掉的",
        "chapter-1-delete": "1",
        "chapter-2-start": "",
        "chapter-2-title": "",
    }
    (chapter,) = editing.parse_chapters(form)
    assert (chapter.start, chapter.title, chapter.points) == (0.0, "开场", ["目标", "安排"])


def test_a_chapter_with_a_bad_time_is_refused():
    with pytest.raises(Refusal) as refused:
        editing.parse_chapters({"chapter-0-start": "半分钟", "chapter-0-title": "开场"})
    assert refused.value.code == "invalid_chapter_start"


def test_question_rows_take_the_answer_as_a_choice_number():
    form = {
        "question-0-prompt": "尽职调查的目的是？",
        "question-0-choices": "识别客户\n推销产品",
        "question-0-answer": "1",
        "question-0-explanation": "为了识别客户。",
    }
    (question,) = editing.parse_questions(form)
    assert question.answer == 0 and question.choices == ["识别客户", "推销产品"]


@pytest.mark.parametrize("answer", ["0", "3", "x", ""])
def test_a_question_without_a_valid_answer_is_refused(answer):
    form = {
        "question-0-prompt": "题目",
        "question-0-choices": "甲\n乙",
        "question-0-answer": answer,
    }
    with pytest.raises(Refusal):
        editing.parse_questions(form)


def test_keywords_split_on_lines_commas_and_enumeration_marks():
    assert editing.parse_keywords("客户生命周期、风险承受能力\n资产配置, 客户生命周期") == [
        "客户生命周期",
        "风险承受能力",
        "资产配置",
    ]
