"""Laying a lecture's script over Whisper's timed lines (what the demo's instructor does), and
keeping what Whisper heard beside each corrected line."""

from __future__ import annotations

import itertools

from academy.demo.lectures import narration_text
from academy.insights.editing import carry_over
from academy.insights.text.align import align_script
from academy.insights.types import Segment

SCRIPT = narration_text("client-communication")
#: Whisper base's lines for the committed demo clip (CPU int8, no glossary), in simplified
HEARD = [
    Segment(0.0, 4.2, "可不够通的第一个要电视线前进,", -0.68, 0.27, 1.4, "zh", 0.86),
    Segment(4.2, 8.6, "在建议立在建议要通过开范围体温,", -0.68, 0.27, 1.4, "zh", 0.86),
    Segment(8.6, 11.2, "要建可不够采务务要,", -0.68, 0.27, 1.4, "zh", 0.86),
    Segment(11.2, 14.9, "就自己先和分线承受能力。", -0.68, 0.27, 1.4, "zh", 0.86),
    Segment(14.9, 19.8, "第二个要电视将先分线推荐产品是,", -0.68, 0.27, 1.4, "zh", 0.86),
    Segment(19.8, 22.9, "要全能产品的分线承起,", -0.68, 0.27, 1.4, "zh", 0.86),
    Segment(22.9, 24.5, "可不先递配,", -0.68, 0.27, 1.4, "zh", 0.86),
    Segment(24.5, 27.4, "不能承诺爆份爆收益。", -0.68, 0.27, 1.4, "zh", 0.86),
    Segment(27.4, 29.4, "第三个要电视是", -0.68, 0.27, 1.4, "zh", 0.86),
]


def content(text: str) -> str:
    return "".join(char for char in text if char.isalnum())


def test_every_character_of_the_script_lands_in_a_line_in_order():
    lines = align_script(SCRIPT, HEARD, duration=41.4)

    assert content("".join(line.text for line in lines)) == content(SCRIPT)
    assert [line.start for line in lines] == sorted(line.start for line in lines)


def test_lines_are_matched_by_sound_and_cut_at_punctuation():
    lines = align_script(SCRIPT, HEARD, duration=41.4)

    assert lines[0] == Segment(0.0, 4.2, "客户沟通的第一个要点是先倾听，")
    assert lines[3].text == "投资期限和风险承受能力。"
    assert lines[7] == Segment(24.5, 27.4, "不能承诺保本保收益。")


def contiguous(lines: list[Segment]) -> bool:
    return all(after.start == before.end for before, after in itertools.pairwise(lines))


def test_the_script_whisper_never_reached_is_laid_over_the_rest_of_the_lecture():
    lines = align_script(SCRIPT, HEARD, duration=41.4)
    tail = [line for line in lines if line.start >= 27.4]

    assert [line.text for line in tail] == [
        "第三个要点是持续跟进。",
        "定期回访客户，关注客户生命周期的变化，及时调整配置建议，才能建立长期信任。",
    ]
    assert tail[0].start == 27.4 and contiguous(tail) and tail[-1].end == 41.4


def test_a_stretch_whisper_lost_is_covered_by_the_script_in_sentences():
    """Whisper heard the first line and the last, nothing between (garbled, or dropped): the
    script between them is not crammed into the first line's 4 s, it fills the 23 s after it."""
    lines = align_script(SCRIPT, [HEARD[0], HEARD[8]], duration=41.4)

    assert content("".join(line.text for line in lines)) == content(SCRIPT)
    assert lines[0].start == 0.0 and contiguous(lines) and lines[-1].end == 41.4
    lost = [line for line in lines if line.start < 27.4]
    assert len(lost) >= 4 and lost[-1].end == 27.4
    assert all(len(content(line.text)) / (line.end - line.start) < 7 for line in lines)


def test_the_opening_whisper_did_not_hear_goes_before_its_first_line():
    lines = align_script(SCRIPT, HEARD[4:], duration=41.4, speech=[(0.3, 41.0)])

    assert content("".join(line.text for line in lines)) == content(SCRIPT)
    assert lines[0].start == 0.3 and lines[0].text == "客户沟通的第一个要点是先倾听，再建议。"
    assert contiguous(lines) and lines[-1].end == 41.4


def test_when_whisper_wrote_nothing_the_script_is_laid_over_the_speech_heard():
    lines = align_script(SCRIPT, [], duration=41.4, speech=[(0.3, 20.0), (21.0, 41.0)])

    assert content("".join(line.text for line in lines)) == content(SCRIPT)
    assert lines[0].start == 0.3 and contiguous(lines) and lines[-1].end == 41.0
    assert len(lines) >= 5
    assert align_script(SCRIPT, [], duration=None) == []


def test_a_line_already_long_enough_keeps_whisper_s_time():
    lines = align_script(SCRIPT, HEARD, duration=None)

    assert [(line.start, line.end) for line in lines[:8]] == [(s.start, s.end) for s in HEARD[:8]]


def test_a_line_whisper_made_of_the_glossary_alone_still_gets_its_stretch():
    echoed = [
        Segment(0.0, 30.0, "客户生命周期、风险承受能力"),
        Segment(30.0, 35.76, "坚定期回反客户、万主客户生命周期的变化"),
        Segment(35.76, 41.0, "几日要承受之建议,才能建立长期新人"),
    ]
    lines = align_script(SCRIPT, echoed, duration=41.4)

    assert lines[0].text.endswith("不能承诺保本保收益。第三个要点是持续跟进。")
    assert lines[1].text == "定期回访客户，关注客户生命周期的变化，"
    assert lines[2].text == "及时调整配置建议，才能建立长期信任。"


def test_a_corrected_line_keeps_what_whisper_heard_and_loses_its_signals():
    corrected = carry_over(HEARD, align_script(SCRIPT, HEARD, duration=41.4))

    first = corrected[0]
    assert first.heard == "可不够通的第一个要电视线前进,"
    assert not first.from_machine and first.language == "zh"


def test_a_line_left_as_whisper_heard_it_stays_whisper_s():
    lines = [HEARD[0], Segment(4.2, 8.6, "再建议。")]

    kept, changed = carry_over(HEARD[:2], lines)
    assert kept == HEARD[0] and kept.from_machine
    assert changed.heard == "在建议立在建议要通过开范围体温,"


def test_lines_joined_into_one_keep_all_that_was_heard():
    (joined,) = carry_over(HEARD[:2], [Segment(0.0, 8.6, "客户沟通的第一个要点是先倾听，再建议。")])

    assert joined.heard == "可不够通的第一个要电视线前进, 在建议立在建议要通过开范围体温,"


def test_a_deleted_line_of_whisper_is_not_attached_elsewhere():
    (kept,) = carry_over(HEARD[:2], [Segment(0.0, 4.2, "客户沟通的第一个要点是先倾听，")])

    assert kept.heard == "可不够通的第一个要电视线前进,"
