"""`flask academy transcribe/keywords/summary/chapters/questions` on real input."""

import json

import pytest

from tests.factories import CLIP

LECTURE = (
    "今天我们讲客户身份识别。客户身份识别是反洗钱工作的第一步，尽职调查要核实客户身份。"
    "受益所有人的识别是尽职调查的重点，受益所有人要穿透到最终控制人。\n"
    "接下来讲大额交易报告。大额交易报告有明确的金额标准，大额交易报告要在规定时间内提交。\n"
    "第三部分讲可疑交易报告。可疑交易报告依靠员工的职业判断，可疑交易报告不设金额门槛。"
)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def lecture_file(tmp_path):
    path = tmp_path / "lecture.txt"
    path.write_text(LECTURE, encoding="utf-8")
    return str(path)


def test_keywords_prints_phrases_that_occur_in_the_text(runner, lecture_file):
    result = runner.invoke(args=["academy", "keywords", lecture_file])
    assert result.exit_code == 0, result.output
    phrases = result.output.split()
    assert phrases and all(phrase in LECTURE for phrase in phrases)
    assert "大额交易报告" in phrases or "可疑交易报告" in phrases


def test_summary_chapters_and_questions(runner, lecture_file):
    summary = runner.invoke(args=["academy", "summary", lecture_file])
    assert summary.exit_code == 0 and summary.output.strip()
    chapters = json.loads(runner.invoke(args=["academy", "chapters", lecture_file]).output)
    assert chapters and {"start", "title", "summary"} <= set(chapters[0])
    questions = json.loads(runner.invoke(args=["academy", "questions", lecture_file]).output)
    assert all(0 <= q["answer"] < len(q["choices"]) for q in questions)


def test_transcribe_prints_timed_segments_as_json(runner, tmp_path, app):
    app.config["WHISPER_MODEL_DIR"] = ""
    result = runner.invoke(args=["academy", "transcribe", str(CLIP), "--json"])
    assert result.exit_code == 0, result.output
    segments = json.loads(result.output)
    assert segments and all(s["start"] <= s["end"] <= 41.5 for s in segments)


def test_transcribe_refuses_a_file_that_is_not_media(runner, lecture_file):
    result = runner.invoke(args=["academy", "transcribe", lecture_file])
    assert result.exit_code != 0
