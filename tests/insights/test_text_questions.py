"""Review questions: the answer comes from the sentence, distractors differ, explanations quote."""

from __future__ import annotations

import opencc

from academy.insights.text.questions import BLANK, make_questions
from academy.insights.types import Segment

LECTURE = [
    "大家好，今天我们讲基金定投和投资者陪伴。",
    "基金定投就是在固定的时间用固定的金额买入同一只基金。",
    "定投的核心原理叫做平均成本法，价格低的时候买到的份额更多。",
    "市场先跌后涨的走势，我们把它叫做微笑曲线。",
    "在微笑曲线的左侧坚持扣款，才能积累足够的低价份额。",
    "很多客户在下跌时停止扣款，这是因为缺少投资纪律。",
    "常用的止盈方法是目标止盈，达到目标收益率就分批赎回。",
    "分批止盈可以在市场继续上涨的时候保留一部分收益。",
    "基金赚钱基民不赚钱，主要原因就是追涨杀跌。",
    "理财经理要在市场波动的时候做好投资者陪伴，主动联系客户。",
    "定投一般建议选择长期向上的宽基指数基金。",
    "最后要做好风险提示，定投不能保证盈利，也不能保证不亏损。",
]
KEYWORDS = [
    "基金定投",
    "平均成本法",
    "微笑曲线",
    "投资者陪伴",
    "目标止盈",
    "分批止盈",
    "投资纪律",
    "追涨杀跌",
    "宽基指数基金",
    "低价份额",
    "目标收益率",
    "风险提示",
]


def segments(texts: list[str] = LECTURE) -> list[Segment]:
    return [Segment(i * 5.0, i * 5.0 + 4.5, text) for i, text in enumerate(texts)]


def test_makes_the_asked_number_of_questions_of_both_kinds():
    questions = make_questions(segments(), keywords=KEYWORDS, count=5, seed=3)
    assert len(questions) == 5
    assert {q.kind for q in questions} == {"blank", "choice"}


def test_blank_answer_is_a_key_phrase_of_the_source_sentence():
    for question in make_questions(segments(), keywords=KEYWORDS, count=5, seed=3):
        if question.kind != "blank":
            continue
        answer = question.choices[question.answer]
        assert answer in KEYWORDS
        assert BLANK in question.prompt
        source = question.prompt.split("：", 1)[1].replace(BLANK, answer)
        assert any(source.rstrip("。") in text for text in LECTURE)


def test_distractors_are_other_key_phrases_and_all_differ():
    for question in make_questions(segments(), keywords=KEYWORDS, count=5, seed=3):
        assert len(question.choices) == 4
        assert len(set(question.choices)) == 4
        assert 0 <= question.answer < 4
        if question.kind == "blank":
            answer = question.choices[question.answer]
            for choice in question.choices:
                assert choice in KEYWORDS
                if choice != answer:
                    assert choice not in answer and answer not in choice


def test_choice_question_right_statement_is_the_lecture_s():
    questions = make_questions(segments(), keywords=KEYWORDS, count=6, seed=3)
    choice = next(q for q in questions if q.kind == "choice")
    right = choice.choices[choice.answer]
    assert any(right.rstrip("。") in text for text in LECTURE)
    for index, wrong in enumerate(choice.choices):
        if index != choice.answer:
            assert not any(wrong.rstrip("。") in text for text in LECTURE)


def test_explanations_quote_the_source_and_say_why_others_are_wrong():
    for question in make_questions(segments(), keywords=KEYWORDS, count=5, seed=3):
        right = question.choices[question.answer]
        assert "讲座原话是：「" in question.explanation
        if question.kind == "blank":
            assert f"「{right}」" in question.explanation
            for index, wrong in enumerate(question.choices):
                if index != question.answer:
                    assert f"「{wrong}」" in question.explanation
        else:
            assert right in question.explanation


def test_same_seed_gives_the_same_questions():
    first = make_questions(segments(), keywords=KEYWORDS, seed=11)
    again = make_questions(segments(), keywords=KEYWORDS, seed=11)
    assert first == again


def test_questions_on_traditional_lecture_are_in_traditional():
    convert = opencc.OpenCC("s2t").convert
    questions = make_questions(
        segments([convert(t) for t in LECTURE]),
        keywords=[convert(k) for k in KEYWORDS],
        count=3,
        seed=2,
    )
    assert questions
    for question in questions:
        assert "講座" in question.explanation
        assert "讲座" not in question.prompt + question.explanation


def test_too_few_key_phrases_give_no_blank_questions():
    questions = make_questions(segments(), keywords=["基金定投", "微笑曲线"], count=3, seed=1)
    assert questions == []
