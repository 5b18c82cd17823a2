"""Key phrase extraction: specific multi-word terms, verbatim, never filler."""

from __future__ import annotations

import json

import opencc

from academy.insights.text.corpus import Corpus
from academy.insights.text.keywords import extract_keywords
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
