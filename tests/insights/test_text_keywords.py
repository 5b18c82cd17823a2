"""Key phrase extraction: specific multi-word terms, verbatim, never filler."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import opencc
import pytest

from academy.insights.text.corpus import Corpus
from academy.insights.text.keywords import candidate_features, extract_keywords
from academy.insights.text.ngrams import Grams
from academy.insights.text.phrases import unit_phrases, word_breaks
from academy.insights.text.words import cut_words, to_simplified

SUITABILITY = (
    "好，那么我们今天来讲一下这个客户风险测评。其实呢，大家每天都在做客户风险测评，"
    "但是很多同事就是走个过场。比如说客户来买理财产品，我们就是让他填一下问卷，然后就完了。"
    "那么客户风险测评到底有什么用呢？它是适当性管理的基础。我们要根据客户风险测评的结果，"
    "确定客户的风险承受能力，然后再去匹配产品的风险等级。风险承受能力是保守型的客户，"
    "就不能买高风险等级的产品，这个就是适当性管理的要求。另外呢，客户风险测评的结果是有有效期的，"
    "一般是一年，过了有效期就要重新做客户风险测评。如果客户的风险承受能力发生了变化，"
    "比如说退休了，收入下降了，那么我们也要提醒他重新测评。还有一点，测评的时候不能替客户填，"
    "也不能诱导客户把风险承受能力填高，这个在检查里面是重点。"
)

FILLER = ["我们", "这个", "然后", "大家", "就是", "比如说", "那么", "其实", "一个", "这样", "的话"]


def test_filler_words_are_never_key_phrases():
    keywords = extract_keywords(SUITABILITY)
    assert keywords
    for word in FILLER:
        assert word not in keywords
        assert not any(k.startswith(word) or k.endswith(word) for k in keywords)


def test_key_phrases_are_multi_word_terms_of_the_text():
    keywords = extract_keywords(SUITABILITY, top_k=8)
    assert "客户风险测评" in keywords[:3]
    assert "风险承受能力" in keywords[:5]
    assert "适当性管理" in keywords


def test_key_phrases_occur_verbatim():
    for keyword in extract_keywords(SUITABILITY):
        assert keyword in SUITABILITY


def test_parts_of_a_better_phrase_are_left_out():
    keywords = extract_keywords(SUITABILITY)
    # 风险测评 only ever occurs inside 客户风险测评.
    assert "风险测评" not in keywords


def test_traditional_text_gives_traditional_phrases_verbatim():
    traditional = opencc.OpenCC("s2t").convert(SUITABILITY)
    keywords = extract_keywords(traditional, top_k=8)
    assert "客戶風險測評" in keywords
    assert "風險承受能力" in keywords
    assert all(keyword in traditional for keyword in keywords)


def test_glossary_term_is_kept_whole_and_ranked_high():
    text = SUITABILITY + "对于可疑的资金快进快出，也要留意。"
    without = extract_keywords(text)
    with_glossary = extract_keywords(text, glossary=["快进快出"])
    assert "快进快出" not in without
    assert "快进快出" in with_glossary[:5]


def test_glossary_term_missing_from_text_is_not_returned():
    assert "养老目标基金" not in extract_keywords(SUITABILITY, glossary=["养老目标基金"])


def test_glossary_does_not_change_later_calls():
    before = [w.simple for w in cut_words("资金快进快出要留意")]
    extract_keywords(SUITABILITY, glossary=["快进快出", "留意资金"])
    after = [w.simple for w in cut_words("资金快进快出要留意")]
    assert before == after


def test_top_k_limits_the_list_and_empty_text_gives_none():
    assert len(extract_keywords(SUITABILITY, top_k=5)) == 5
    assert extract_keywords("") == []
    assert extract_keywords("嗯 好 那么 我们 然后") == []


def test_corpus_lowers_terms_every_lecture_has():
    others = [
        "今天讲适当性管理和风险承受能力，还有风险等级的匹配。",
        "适当性管理要求我们了解风险承受能力，基金销售也一样。",
        "保险销售同样讲适当性管理，风险承受能力要评估。",
    ]
    corpus = Corpus.from_texts(others)
    plain = extract_keywords(SUITABILITY)
    scored = extract_keywords(SUITABILITY, corpus=corpus)
    assert scored.index("适当性管理") > plain.index("适当性管理")
    assert scored[0] == "客户风险测评"


def test_corpus_idf_is_smoothed_and_survives_json():
    corpus = Corpus.from_texts(["客户风险测评很重要", "可疑交易报告要及时"])
    stored = Corpus.from_dict(json.loads(json.dumps(corpus.to_dict())))
    assert stored.idf("可疑交易报告") == corpus.idf("可疑交易报告")
    assert stored.idf("从未出现的术语") > stored.idf("可疑交易报告") > 0
    # Background words count as found everywhere.
    assert stored.idf("客户") == 1.0 <= stored.idf("可疑交易报告")


def test_simplified_copy_keeps_every_character_position():
    traditional = "風險承受能力與資產配置，個人所得稅專項附加扣除"
    assert len(to_simplified(traditional)) == len(traditional)


# A lecture that says the issue's filler many times: ordinals and counts (第一周, 第三周,
# 第一节课, 一堂课, 这张图), placeholder names (张三, 李四, 王五), a discourse verb (意味着) and a
# noun it counts its parts with (三个维度, 第二个维度).
FILLER_LECTURE = "\n".join(
    [
        "好，我们开始上课，这是第三周的第一节课，上一周也就是第二周我们讲了客户画像。",
        "这一堂课讲资产配置，大家先看这张图，这张图是标准普尔家庭资产象限图。",
        "这张图意味着什么呢？意味着家庭资产配置要分账户管理，资产配置不能只看收益。",
        "我们从三个维度来看资产配置，第一个维度是流动性，第二个维度是保障，第三个维度是收益。",
        "举个例子，张三三十二岁，张三想把存款全部买股票基金，这意味着张三的资产配置太集中。",
        "李四五十八岁，李四的资产配置里权益类资产太多，意味着李四的风险承受能力跟资产配置不匹配。",
        "王五是我们的客户经理，王五给李四做了资产检视，又给张三做了家庭财务诊断。",
        "第一周我们讲过风险承受能力，第三周的第一节课讲资产配置，第二节课讲资产检视。",
        "第一周的作业还没交的同学，第一周的讲义里有风险承受能力的问卷，这周一起交。",
        "所以这一堂课的重点就是这张图，一堂课下来，大家要会用这张图做资产配置。",
        "再看这张图，三个维度都要看，每个维度都对应一个账户，意味着资产配置要定期做资产检视。",
        "最后布置作业，第三周结束之前，大家找张三、李四、王五这样的客户各做一次家庭财务诊断。",
        "下一周也就是第四周，我们讲养老规划，这一堂课就到这里，第一节课下课。",
    ]
)

ISSUE_FILLER = [
    "意味着",
    "一堂课",
    "张图",
    "第三周",
    "第一周",
    "第一节课",
    "李四",
    "张三",
    "王五",
    "维度",
]


def _traditional(text: str) -> str:
    # Traditional writing has 著 for the particle (意味著), which OpenCC's s2t leaves as 着.
    return opencc.OpenCC("s2t").convert(text).replace("着", "著")


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_issue_filler_is_never_a_key_phrase(script):
    text = FILLER_LECTURE if script == "simplified" else _traditional(FILLER_LECTURE)
    keywords = [to_simplified(k) for k in extract_keywords(text)]
    assert "资产配置" in keywords[:3]
    for filler in ISSUE_FILLER:
        assert to_simplified(text).count(filler) >= 3
        assert not any(filler in keyword for keyword in keywords), (filler, keywords)


def test_traditional_filler_is_segmented_like_simplified():
    # 意味著 is 意味着 in the simplified copy (OpenCC keeps 著), so jieba knows it.
    assert to_simplified("這意味著風險") == "这意味着风险"
    assert to_simplified("著名的著作") == "著名的著作"


def test_glossary_term_is_kept_even_when_shaped_like_a_count():
    text = SUITABILITY + "第三支柱是个人养老金，第三支柱的账户可以买养老目标基金。"
    assert "第三支柱" not in extract_keywords(text)
    assert "第三支柱" in extract_keywords(text, glossary=["第三支柱"])[:5]


def test_multi_word_term_is_preferred_over_its_parts():
    text = (
        "大额交易报告要在五个工作日内提交。大额交易报告的标准是人民币五万元以上的现金交易。"
        "漏报大额交易报告会被处罚，所以大额交易报告要双人复核。"
        "客户身份识别是反洗钱的基础，客户身份识别要看有效证件，持续做好客户身份识别。"
    )
    keywords = extract_keywords(text)
    assert {"大额交易报告", "客户身份识别"} <= set(keywords[:3])
    for part in ("交易报告", "大额交易", "身份识别", "客户身份"):
        assert part not in keywords


#: the floors of the blind sets (mean, min of an editor's 20). When the model was last fitted
#: the bench measured, with no filler: held-out 14.7 (min 14), unseen 14.8 (min 14), unseen2
#: 13.2 (min 11, scored once, when the work it was written for was done). The floors leave a
#: margin of about one phrase a lecture on the mean.
HELDOUT_FLOOR = (13.5, 12)
UNSEEN_FLOOR = (13.5, 12)
UNSEEN2_FLOOR = (12.0, 10)


def _bench():
    """bench/insights.py as a module (its loader and its independent filler judge)."""
    path = Path(__file__).resolve().parents[2] / "bench" / "insights.py"
    spec = importlib.util.spec_from_file_location("bench_insights", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look their module up
    spec.loader.exec_module(sys.modules[spec.name])
    return sys.modules[spec.name]


@pytest.mark.parametrize(
    ("folder", "mean_at_least", "min_at_least"),
    [("heldout", *HELDOUT_FLOOR), ("unseen", *UNSEEN_FLOOR), ("unseen2", *UNSEEN2_FLOOR)],
)
def test_blind_lectures_keep_their_key_phrase_figure(folder, mean_at_least, min_at_least):
    # bench/data/heldout, unseen and unseen2 were written blind and are never fitted on; the
    # figures the bench measured are in the comment above the floors. A modest bound, so that a
    # regression fails here without this being a timed or exact test. Key phrases are made as
    # the product makes them: cleaning, extraction and the output filter (derive.py).
    bench = _bench()
    lectures = bench.load(bench.DATA / folder)
    own = {lecture.slug: Corpus.from_texts([lecture.text]) for lecture in lectures}
    demo = Corpus.from_texts(bench.demo_texts())
    hits, filler = [], []
    for lecture in lectures:
        # leave one out: the other lectures of the set and the demo scripts, as the bench does
        corpus = Corpus(demo.documents + len(lectures) - 1, dict(demo.frequencies))
        for slug, single in own.items():
            if slug != lecture.slug:
                corpus.frequencies.update(single.frequencies)
        found = lecture.key_phrases_found(corpus)
        hits.append(sum(1 for k in found if k in lecture.key_phrases))
        filler += [k for k in found if bench.is_filler(k, lecture.text)]
    assert sum(hits) / len(hits) >= mean_at_least, hits
    assert min(hits) >= min_at_least, hits
    assert filler == []


def test_a_phrase_said_across_the_lecture_beats_one_burst():
    spread = (
        SUITABILITY.replace("比如说客户来买理财产品", "比如说客户来买私募基金")
        .replace("就要重新做客户风险测评", "就要重新做客户风险测评，私募基金也一样")
        .replace("也不能诱导客户", "私募基金更不能诱导客户")
    )
    burst = SUITABILITY + "\n私募基金私募基金私募基金私募基金私募基金。"
    assert spread.count("私募基金") < burst.count("私募基金")
    assert "私募基金" in extract_keywords(spread)[:3]
    burst_keywords = extract_keywords(burst)
    assert "私募基金" not in burst_keywords[:5]
    assert not any("私募基金私募" in keyword for keyword in burst_keywords)


#: a lecture that names things the way segmentation cuts apart: names ending in one character
#: (北向通, 南向通), an eleven-character name, a code (C3类信息), a coordination said as one
#: (账户和鉴别信息) and a term that opens with 无 (无业务背景查询)
UNITS_LECTURE = "\n".join(
    [
        "这堂课讲跨境理财通，跨境理财通分成北向通和南向通两个方向。",
        "先说北向通，北向通是港澳居民买内地银行的理财产品。",
        "再说南向通，南向通是内地居民买港澳银行的产品，南向通要开户。",
        "大家看这张图，这是标准普尔家庭资产象限图，标准普尔家庭资产象限图分四个账户。",
        "客户信息里最敏感的是C3类信息，C3类信息包括账户和鉴别信息。",
        "账户和鉴别信息一旦泄露，损失很大，所以要防止无业务背景查询。",
        "无业务背景查询是违规的，北向通和南向通的客户信息也一样要保护。",
        "最后回到跨境理财通，标准普尔家庭资产象限图也可以用在跨境理财通的客户身上。",
    ]
)


@pytest.mark.parametrize(
    "term",
    ["跨境理财通", "北向通", "南向通", "标准普尔家庭资产象限图", "C3类信息", "账户和鉴别信息",
     "无业务背景查询"],
)  # fmt: skip
def test_terms_the_lecture_repeats_as_units_are_candidates(term):
    assert term in candidate_features(UNITS_LECTURE)


def test_units_are_found_from_the_characters_alone():
    units = Grams(to_simplified(UNITS_LECTURE)).units()
    assert {"北向通", "南向通", "跨境理财通", "标准普尔家庭资产象限图"} <= set(units)
    # a slice of a longer unit is not one: its neighbour is always the same
    assert "普尔家庭资产象限" not in units
    assert "跨境理财" not in units


def test_names_ending_in_one_character_are_key_phrases():
    keywords = extract_keywords(UNITS_LECTURE)
    assert {"跨境理财通", "北向通", "南向通"} <= set(keywords)
    assert not any(filler in keyword for keyword in keywords for filler in ("这张图", "这堂课"))


def test_a_unit_never_holds_filler_counts_or_names():
    text = FILLER_LECTURE + UNITS_LECTURE
    words = cut_words(text)
    units = [phrase.simple for phrase in unit_phrases(words, word_breaks(words))]
    assert "北向通" in units
    for word in ("张三", "李四", "这张图", "第一周", "意味着"):
        assert not any(word in unit for unit in units), word
