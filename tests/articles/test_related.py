"""相关课程: published courses sharing words with an article, the course title counting most."""

from __future__ import annotations

from academy.articles import services as articles
from academy.articles.related import Candidate, rank_related, words_of
from academy.extensions import db
from academy.insights import services as insights
from academy.insights.models import LessonInsight


def test_a_course_sharing_nothing_is_not_related():
    assert rank_related(words_of("资产配置"), [Candidate(1, "客户沟通技巧")]) == []


def test_a_title_word_counts_more_than_a_key_phrase():
    words = words_of("反洗钱与资产配置")
    by_keyword = Candidate(1, "课程甲", ("反洗钱",))
    by_title = Candidate(2, "资产配置入门")
    assert rank_related(words, [by_keyword, by_title]) == [2, 1]


def test_more_shared_words_rank_higher_and_ties_go_to_the_newer_course():
    words = words_of("家族信托 税务筹划")
    both = Candidate(1, "家族信托与税务筹划")
    one = Candidate(2, "家族信托")
    other_one = Candidate(3, "税务筹划")
    assert rank_related(words, [one, both, other_one]) == [1, 3, 2]


def test_single_characters_do_not_relate():
    assert words_of("的 税 信托") == {"信托"}


def test_the_limit_is_kept():
    words = words_of("信托")
    assert rank_related(words, [Candidate(i, "信托") for i in range(1, 9)], limit=3) == [8, 7, 6]


def test_related_courses_are_published_and_matched_by_title_tags_or_key_phrases(make, write):
    titled = make.course(title="资产配置实务")
    phrased = make.course(title="课程乙")
    make.course(title="资产配置草稿", published=False)
    make.course(title="客户沟通")
    lesson = phrased.lessons[0]
    db.session.add(
        LessonInsight(
            lesson_id=lesson.id,
            segments=[{"start": 0.0, "end": 1.0, "text": "开场。"}],
            keywords=["家族信托"],
            summary="",
            chapters=[],
            questions=[],
            mind_map=None,
        )
    )
    db.session.commit()
    insights.publish(lesson)
    article = write("今年的资产配置", body="谈谈家族信托。")
    assert [c.id for c in articles.related_courses(article)] == [titled.id, phrased.id]
