"""Finding courses: by what is said in a lecture, ranked, escaped, filtered, and as one may see."""

from __future__ import annotations

import re

import pytest

from academy.auth.models import InstructorProfile
from academy.catalog import services as catalog
from academy.catalog.models import Category
from academy.extensions import db
from academy.search import services as search
from academy.search.tokens import highlight, query_terms
from tests.factories import ApiClient

SPOKEN = "我们先讲一下大额交易报告的提交时限，原则上是五个工作日。"
ONLY_MARKS = re.compile(r"</?mark>")


def found(anon, query: str, **params):
    response = anon.get("/api/v1/search", query_string={"q": query, **params})
    assert response.status_code == 200
    return response.get_json()


def test_a_phrase_spoken_only_in_a_transcript_finds_the_lecture_with_its_time(anon, lecture):
    course = lecture("反洗钱实务", [(0.0, "大家好。"), (62.5, SPOKEN)])
    lecture("客户沟通技巧", [(0.0, "今天讲客户沟通。")])

    body = found(anon, "大额交易报告")

    assert body["total"] == 1
    (hit,) = body["results"]
    assert hit["id"] == course.id and hit["match"] == "transcript"
    assert hit["lesson_id"] == course.lessons[0].id and hit["at"] == 62.5
    assert "<mark>大额交易报告</mark>" in hit["snippet"]


def test_the_results_page_links_a_transcript_hit_into_the_course_page_at_its_time(anon, lecture):
    course = lecture("反洗钱实务", [(62.5, SPOKEN)])
    page = anon.get("/search?q=大额交易").get_data(as_text=True)
    assert f"/courses/{course.id}?lesson={course.lessons[0].id}&amp;t=62" in page
    assert "1:02" in page and "<mark>大额交易</mark>" in page


def test_a_word_of_the_query_matches_the_words_inside_it_in_another_order(anon, lecture):
    course = lecture("客户尽调", [(3.0, "首先要识别客户身份。")])
    assert [r["id"] for r in found(anon, "身份识别")["results"]] == [course.id]


def test_traditional_characters_find_simplified_text(anon, lecture):
    course = lecture("反洗钱实务", [(3.0, SPOKEN)])
    assert [r["id"] for r in found(anon, "大額交易報告")["results"]] == [course.id]


def test_a_title_match_ranks_above_a_transcript_match(anon, lecture):
    spoken = lecture("客户沟通技巧", [(5.0, "这一讲也会提到资产配置的基本思路。")])
    titled = lecture("资产配置入门", [(5.0, "今天我们从家庭财务说起。")])
    body = found(anon, "资产配置")
    assert [r["id"] for r in body["results"]] == [titled.id, spoken.id]
    assert [r["match"] for r in body["results"]] == ["title", "transcript"]


def test_description_and_key_phrases_are_searched(anon, lecture):
    described = lecture("课程甲", description="讲解信托产品的风险揭示。")
    phrased = lecture("课程乙", [(1.0, "开场。")], keywords=["家族办公室"])
    assert [(r["id"], r["match"]) for r in found(anon, "信托产品")["results"]] == [
        (described.id, "description")
    ]
    assert [(r["id"], r["match"]) for r in found(anon, "家族办公室")["results"]] == [
        (phrased.id, "keywords")
    ]


def test_html_in_the_query_and_in_indexed_text_comes_back_escaped_with_only_marks(anon, lecture):
    lecture(
        "<b>理财</b>课",
        [(1.0, '理财<script>alert("x")</script> & <img src=x onerror=alert(1)>')],
        description="<i>理财</i>",
    )
    for query in ["理财", "<script>理财</script>", '"><img src=x onerror=alert(1)>理财']:
        body = found(anon, query)
        assert body["total"] == 1
        for result in body["results"]:
            tags = re.findall(r"</?[a-zA-Z][^>]*>", result["snippet"])
            assert tags and all(ONLY_MARKS.fullmatch(t) for t in tags), result["snippet"]
    page = anon.get("/search", query_string={"q": "<script>理财</script>"}).get_data(as_text=True)
    assert "<script>理财" not in page and "&lt;script&gt;理财&lt;/script&gt;" in page
    assert "<script>alert" not in page and "&lt;b&gt;<mark>理财</mark>&lt;/b&gt;课" in page


def test_highlight_escapes_every_piece_around_the_marks():
    marked = highlight("a<b>理财&</b>", query_terms("理财"))
    assert str(marked) == "a&lt;b&gt;<mark>理财</mark>&amp;&lt;/b&gt;"


@pytest.mark.parametrize("query", ["", "   ", "？！。，、", "!!!", "<>&\"'", "\x00\x01", "-- OR *"])
def test_empty_or_punctuation_only_queries_find_nothing(anon, lecture, query):
    lecture("反洗钱实务", [(1.0, SPOKEN)])
    assert found(anon, query) == {"results": [], "total": 0}
    assert anon.get("/search", query_string={"q": query}).status_code == 200


def test_fts_syntax_in_the_query_is_taken_as_words(anon, lecture):
    course = lecture("反洗钱实务", [(1.0, SPOKEN)])
    body = found(anon, '大额 OR NOT "交易" NEAR(报告) *')
    assert body["total"] in (0, 1) and all(r["id"] == course.id for r in body["results"])


def test_a_10000_character_query_is_cut_to_its_first_200(anon, api, lecture, learner):
    course = lecture("反洗钱实务", [(1.0, SPOKEN)])
    assert [r["id"] for r in found(anon, "大额交易" + "报" * 9996)["results"]] in ([], [course.id])
    assert found(anon, "。" * 10_000) == {"results": [], "total": 0}
    api.get("/api/v1/search?q=" + "报告" * 5000)
    (entry,) = api.get("/api/v1/me/search-history")[1]["history"]
    assert entry["query"] == "报告" * 100
    assert anon.get("/search", query_string={"q": "x" * 10_000}).status_code == 200


def test_filters_by_category_credit_type_and_price(anon, lecture, make):
    free = lecture("理财规划一", [(1.0, "理财规划")], credits={"afp-cfp": 100})
    paid = lecture("理财规划二", [(1.0, "理财规划")], price_fen=9900, credits={"ctp": 100})
    claimable = lecture("理财规划三", [(1.0, "理财规划")], price_fen=9900, credits={})
    catalog.set_member_flags(claimable, claimable=True, recommended=False)
    other = Category(slug="tax", name="税务", position=2)
    db.session.add(other)
    paid.category = other
    db.session.commit()
    search.index_course(paid.id)

    def ids(**params):
        return {r["id"] for r in found(anon, "理财规划", **params)["results"]}

    assert ids() == {free.id, paid.id, claimable.id}
    assert ids(category="tax") == {paid.id}
    assert ids(category="general") == {free.id, claimable.id}
    assert ids(credit_type="ctp") == {paid.id}
    assert ids(credit_type="afp-cfp") == {free.id}
    assert ids(price="free") == {free.id}
    assert ids(price="member") == {claimable.id}
    assert ids(category="nope") == set()


def test_filters_alone_list_every_course_that_passes_them(anon, lecture, make):
    free = lecture("理财规划一", [(1.0, "理财规划")], credits={"afp-cfp": 100})
    ctp = lecture("个税汇算", [(1.0, "个税")], price_fen=9900, credits={"ctp": 100})

    def ids(**params):
        body = found(anon, "", **params)
        return {r["id"] for r in body["results"]}, body["total"]

    assert ids(credit_type="ctp") == ({ctp.id}, 1)
    assert ids(price="free") == ({free.id}, 1)
    assert ids() == (set(), 0)  # neither words nor filters: nothing to list
    page = anon.get("/search", query_string={"credit_type": "ctp"}).get_data(as_text=True)
    assert "符合筛选条件的课程共 1 门" in page and "个税汇算" in page


def test_a_course_is_found_by_its_credit_types_and_its_instructor_s_certification(
    anon, lecture, make
):
    course = lecture("个税汇算", [(1.0, "个税")], credits={"ctp": 100})
    course.instructor = InstructorProfile(name="王老师", certification="注册税务师")
    db.session.commit()
    search.index_course(course.id)
    for query in ("CTP", "ctp", "注册税务师"):
        assert [r["id"] for r in found(anon, query)["results"]] == [course.id], query


def test_results_come_a_page_at_a_time(anon, lecture):
    for n in range(12):
        lecture(f"理财规划 {n}")
    first, second = found(anon, "理财规划"), found(anon, "理财规划", page=2)
    assert first["total"] == second["total"] == 12
    assert len(first["results"]) == 10 and len(second["results"]) == 2
    assert found(anon, "理财规划", page="x")["results"] == first["results"]


def test_an_unpublished_course_is_not_found(anon, lecture):
    course = lecture("反洗钱实务", [(1.0, SPOKEN)])
    catalog.set_published(course, False)
    assert found(anon, "大额交易报告")["total"] == 0
    catalog.set_published(course, True)
    assert found(anon, "大额交易报告")["total"] == 1


def test_a_changed_title_is_found_after_the_change(anon, lecture):
    course = lecture("旧标题")
    values = {
        "title": "家族信托实务",
        "subtitle": "",
        "description": "",
        "category_id": course.category_id,
        "price_fen": 0,
        "glossary": "",
        "transcript_script": "simplified",
    }
    catalog.update_course(course, values)
    assert [r["id"] for r in found(anon, "家族信托")["results"]] == [course.id]
    assert found(anon, "旧标题")["total"] == 0


def test_reindex_rebuilds_what_was_lost(anon, lecture, app):
    course = lecture("反洗钱实务", [(1.0, SPOKEN)])
    search.get_backend().clear()
    db.session.commit()
    assert found(anon, "大额交易报告")["total"] == 0
    db.session.commit()  # end the test's read, as the end of a request would
    result = app.test_cli_runner().invoke(args=["academy", "reindex"])
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in found(anon, "大额交易报告")["results"]] == [course.id]


# -- what a visitor may see ----------------------------------------------------------------------


def test_a_visitor_of_a_paid_outline_course_sees_no_transcript_sentence(anon, api, lecture):
    course = lecture("合规课", [(62.5, SPOKEN)], price_fen=9900)
    for client_get in (anon.get, api.client.get):
        (hit,) = client_get("/api/v1/search?q=大额交易报告").get_json()["results"]
        assert hit["id"] == course.id and hit["match"] == "transcript"
        assert "lesson_id" not in hit and "at" not in hit
        assert "提交时限" not in hit["snippet"] and "大额交易" not in hit["snippet"]
        page = client_get("/search?q=大额交易报告").get_data(as_text=True)
        assert "提交时限" not in page and "合规课" in page


@pytest.mark.parametrize(
    ("price_fen", "visitor_insights", "sees"),
    [(0, None, True), (9900, "full", True), (9900, None, False), (0, "outline", False)],
)
def test_the_transcript_sentence_follows_the_visibility_rule(
    anon, lecture, price_fen, visitor_insights, sees
):
    course = lecture("合规课", [(62.5, SPOKEN)], price_fen=price_fen)
    course.visitor_insights = visitor_insights
    db.session.commit()
    (hit,) = found(anon, "大额交易报告")["results"]
    assert ("提交时限" in hit["snippet"]) is sees and ("at" in hit) is sees


def test_one_who_may_watch_sees_the_sentence_of_a_paid_course(app, lecture, make):
    make.user("admin1", role="admin")
    course = lecture("合规课", [(62.5, SPOKEN)], price_fen=9900)
    (hit,) = ApiClient(app, "admin1").get("/api/v1/search?q=大额交易报告")[1]["results"]
    assert hit["id"] == course.id and "提交时限" in hit["snippet"] and hit["at"] == 62.5
