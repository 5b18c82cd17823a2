"""The low-confidence rule: which of Whisper's lines to check, and when a transcript is held."""

from __future__ import annotations

import pytest

from academy.insights import confidence
from academy.insights.confidence import (
    Thresholds,
    low_confidence_reasons,
    missed_speech,
    review_transcript,
)
from academy.insights.types import Segment


def heard(start, end, text, *, logprob=-0.3, no_speech=0.05, ratio=1.2, language="zh", p=0.9):
    """A line as Whisper heard it, sure of it unless told otherwise."""
    return Segment(start, end, text, logprob, no_speech, ratio, language, p)


SURE = "客户沟通的第一个要点是先倾听再建议"


def test_a_sure_line_of_whisper_is_not_low_confidence():
    assert low_confidence_reasons(heard(0, 4, SURE)) == []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (heard(0, 4, SURE, logprob=-0.68), confidence.UNSURE),
        (heard(0, 4, SURE, ratio=2.6), confidence.REPETITIVE),
        (heard(0, 4, SURE, no_speech=0.72), confidence.NO_SPEECH),
        # a whole window timed as one line holding only the glossary: speech was skipped
        (heard(0, 30, "客户生命周期、风险承受能力"), confidence.SPARSE),
        (heard(0, 4, "Buenos días a todos", language="es"), confidence.OTHER_LANGUAGE),
    ],
)
def test_each_signal_makes_a_line_low_confidence(line, reason):
    assert low_confidence_reasons(line) == [reason]


def test_a_short_pause_with_few_words_is_not_sparse():
    assert low_confidence_reasons(heard(0, 3, "好。")) == []


def test_a_line_the_instructor_wrote_is_trusted():
    assert low_confidence_reasons(Segment(0, 30, "好", language="es")) == []


def test_the_thresholds_come_from_the_settings():
    config = {"TRANSCRIPT_MIN_AVG_LOGPROB": -0.8, "TRANSCRIPT_MAX_LOW_CONFIDENCE_SHARE": 0.5}
    tuned = Thresholds.from_config(config)

    assert low_confidence_reasons(heard(0, 4, SURE, logprob=-0.68), tuned) == []
    assert tuned.max_low_confidence_share == 0.5
    assert tuned.max_compression_ratio == confidence.MAX_COMPRESSION_RATIO


def test_the_low_confidence_share_is_of_speech_time_not_of_lines():
    lines = [heard(0, 30, SURE * 5, logprob=-0.9), heard(30, 40, SURE), heard(40, 50, SURE)]
    found = review_transcript(lines)

    assert (found.low_seconds, found.speech_seconds, found.low_lines) == (30.0, 50.0, 1)
    assert found.low_share == pytest.approx(0.6)
    assert found.held_because == [confidence.HOLD_LOW_CONFIDENCE]


def test_a_transcript_under_the_share_is_not_held():
    lines = [heard(0, 10, SURE * 2, logprob=-0.9), heard(10, 50, SURE * 8)]

    assert not review_transcript(lines).held


def test_a_transcript_in_another_language_is_held():
    lines = [heard(0, 10, "Hoy vamos a hablar de", language="es", p=0.94)]
    found = review_transcript(lines)

    assert (found.language, found.language_probability) == ("es", 0.94)
    assert confidence.HOLD_OTHER_LANGUAGE in found.held_because


def test_a_transcript_with_nothing_heard_is_held():
    assert review_transcript([]).held_because == [confidence.HOLD_NOTHING_HEARD]


def test_correcting_every_line_releases_the_hold():
    corrected = [
        Segment(0, 30, "客户沟通的第一个要点是先倾听，再建议。", language="es", heard="Hoy vamos")
    ]
    found = review_transcript(corrected)

    assert not found.held and found.language == "es"  # what was spoken stays known


def test_the_language_is_the_one_most_of_the_time_was_heard_in():
    lines = [heard(0, 50, SURE * 10, language="zh", p=0.8), heard(50, 60, "ok", language="en")]

    assert confidence.detected_language(lines) == ("zh", 0.8)


# -- speech no line holds ---------------------------------------------------------------------


def test_speech_between_and_after_lines_is_missed():
    lines = [Segment(0, 4, "甲乙丙"), Segment(4, 9, "丁戊己"), Segment(20, 25, "庚辛")]

    assert missed_speech(lines, [(0, 30)]) == [(9, 20), (25, 30)]


def test_short_gaps_are_the_slack_between_line_and_detector_times():
    lines = [Segment(0.5, 4, "甲乙丙"), Segment(5.5, 9, "丁戊己")]

    assert missed_speech(lines, [(0, 10.5)]) == []


def test_lines_without_text_cover_nothing_and_overlapping_lines_count_once():
    lines = [Segment(0, 10, "甲乙丙"), Segment(2, 6, "丁戊己"), Segment(10, 20, "，。")]

    assert missed_speech(lines, [(0, 20)]) == [(10, 20)]


def test_speech_in_a_transcript_with_no_lines_is_all_missed():
    assert missed_speech([], [(1, 5), (8, 9)]) == [(1, 5)]


def test_missed_speech_counts_as_low_confidence_time_and_can_hold_the_transcript():
    sure = [Segment(0, 30, "这是一段讲得很清楚的话" * 10, avg_logprob=-0.2)]

    found = review_transcript(sure, heard_speech=[(0, 30), (33, 63)])

    assert found.missed == [(33, 63)] and found.missed_seconds == 30
    assert (found.speech_seconds, found.low_seconds) == (60, 30)
    assert confidence.HOLD_LOW_CONFIDENCE in found.held_because
    assert review_transcript(sure, heard_speech=[(0, 30)]).missed == []
