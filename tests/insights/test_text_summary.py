"""Sentences from Whisper text and extractive summaries: whole sentences, in order, punctuated."""

from __future__ import annotations

import opencc

from academy.insights.text.sentences import (
    CHARS_PER_SECOND,
    segments_from_text,
    split_sentences,
    transcript_text,
)
from academy.insights.text.summary import summarize
from academy.insights.types import Segment

PENSION = [
    "好，各位同事，今天我们来讲个人养老金的开户和缴存。",
    "个人养老金是国家推出的一项补充养老制度，参加人每年最多可以缴存一万二千元。",
    "那么客户为什么要开个人养老金账户呢？",
    "首先是税收优惠，缴存的金额可以在个人所得税前扣除。",
    "所以对于适用税率比较高的客户，个人养老金的节税效果非常明显。",
    "但是个人养老金账户里的钱，原则上要到退休以后才能领取。",
    "这一点一定要跟客户讲清楚，不能让客户以为随时可以取出来。",
    "其次，个人养老金账户可以购买储蓄存款、理财产品、商业养老保险和公募基金。",
    "客户可以根据自己的风险承受能力，在个人养老金账户里做资产配置。",
    "嗯，对。",
    "最后提醒一下，领取个人养老金的时候要按百分之三缴纳个人所得税。",
    "好，今天就讲到这里，谢谢大家。",
]


def timed(texts: list[str], seconds: float = 6.0) -> list[Segment]:
    return [Segment(i * seconds, (i + 1) * seconds - 0.5, text) for i, text in enumerate(texts)]


def test_summary_keeps_the_lecture_order():
    summary = summarize(timed(PENSION), max_sentences=4)
    sentences = split_sentences(summary)
    positions = [next(i for i, s in enumerate(PENSION) if s[4:12] in p) for p in sentences]
    assert positions == sorted(positions)


def test_summary_is_whole_sentences_without_fragments():
    summary = summarize(timed(PENSION), max_sentences=5)
    sentences = split_sentences(summary)
    assert 2 <= len(sentences) <= 5
    assert "嗯，对。" not in summary
    for sentence in sentences:
        assert len(sentence) >= 12
        assert sentence[-1] in "。！？"
    # A sentence that opens with 所以/但是 comes only right after the one it leans on.
    for index, sentence in enumerate(sentences):
        if sentence.startswith(("所以", "但是")):
            assert index > 0
            before = PENSION[next(i for i, s in enumerate(PENSION) if s == sentence) - 1]
            assert sentences[index - 1] == before


def test_summary_of_unpunctuated_transcript_gets_punctuation():
    bare = [text.strip("。？，").replace("，", " ") for text in PENSION]
    summary = summarize(timed(bare), keywords=["个人养老金", "节税效果"], max_sentences=3)
    sentences = split_sentences(summary)
    assert sentences
    for sentence in sentences:
        assert sentence.endswith("。")
        assert " " not in sentence


def test_summary_prefers_sentences_with_key_phrases():
    summary = summarize(timed(PENSION), keywords=["节税效果"], max_sentences=1)
    assert "节税效果" in summary


def test_summary_of_traditional_transcript_stays_traditional():
    convert = opencc.OpenCC("s2t").convert
    summary = summarize(timed([convert(t) for t in PENSION]), max_sentences=3)
    assert "個人養老金" in summary
    assert "个人养老金" not in summary


def test_empty_transcript_gives_empty_summary():
    assert summarize([]) == ""


def test_unpunctuated_run_is_split_at_spoken_markers():
    text = (
        "客户身份识别是反洗钱工作的第一道防线金融机构在与客户建立业务关系时必须核实客户的真实身份"
        "那么对于高风险客户我们还要做强化尽职调查了解他的资金来源和交易目的"
        "所以一线员工一定要认真核对有效身份证件"
    )
    sentences = split_sentences(text)
    assert len(sentences) == 3
    assert sentences[1].startswith("那么")
    assert "".join(sentences) == text


def test_pauses_and_line_breaks_split_whisper_text():
    text = (
        "各位同事大家好 今天我们来讲反洗钱\n"
        "这一讲的主题是客户尽职调查和可疑交易识别\n"
        "那么在讲之前呢 我想先问大家一个问题"
    )
    sentences = split_sentences(text)
    assert len(sentences) == 3
    assert sentences[0] == "各位同事大家好 今天我们来讲反洗钱"


def test_traditional_punctuated_text_splits_like_simplified():
    text = "個人養老金每年可以繳存一萬二千元。領取的時候要按百分之三繳稅！你記住了嗎？"
    assert split_sentences(text) == [
        "個人養老金每年可以繳存一萬二千元。",
        "領取的時候要按百分之三繳稅！",
        "你記住了嗎？",
    ]


def test_plain_text_becomes_timed_segments():
    segments = segments_from_text("".join(PENSION))
    assert len(segments) == len(PENSION)
    assert segments[0].start == 0
    assert all(a.end <= b.start + 0.01 for a, b in zip(segments, segments[1:], strict=False))
    chars = sum(len(s.text) for s in segments)
    assert abs(segments[-1].end - chars / CHARS_PER_SECOND) < 1.0
    assert transcript_text(segments).split("\n") == PENSION
