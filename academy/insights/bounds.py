"""How much an instructor may put into a course, a lesson and its insights: the studio's bounds.

Every limit sits well above what a real lecture needs (a four-hour lecture, its pipeline output
and an instructor's corrections of it) and well below what would make a page, a job or the
course page slow for everyone: each view of a course page renders every lesson's insights, so
what one instructor saves is paid for on every anonymous visit (ASVS 5.0 2.2.1, 2.3.2).
Plain functions that raise Refusal; the studio's forms and the insights services both call them.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from academy.errors import Refusal
from academy.insights.types import Chapter, Question, Segment

# -- the transcript ----------------------------------------------------------------------------
#: a four-hour lecture at 4.5 characters a second (text.sentences.CHARS_PER_SECOND) is 65,000
#: characters of speech, plus about 25 characters of times on each of its ~3,000 lines: 140,000
#: as the studio shows it. 300,000 leaves room for a fast speaker (7 a second) in short lines.
MAX_TRANSCRIPT_CHARS = 300_000
#: four hours in lines no longer than 1.2 s on average; Whisper's lines run 2-8 s
MAX_TRANSCRIPT_LINES = 12_000

# -- what is derived from it -------------------------------------------------------------------
#: the pipeline finds about 20 key phrases; an instructor may add as many again and more
MAX_KEYWORDS = 50
#: the pipeline's phrases are at most 10 characters; an English term such as
#: "Politically Exposed Person (PEP)" is 32
MAX_KEYWORD_CHARS = 40
#: the pipeline writes 5 sentences of at most 90 characters (450); room for a hand-written
#: abstract of a long lecture, about four paragraphs
MAX_SUMMARY_CHARS = 2_000
#: a chapter every four minutes of a four-hour lecture; the pipeline makes 3 to 8
MAX_CHAPTERS = 60
#: the pipeline's titles are at most 16 characters; the mind map and chapter list show one line
MAX_CHAPTER_TITLE_CHARS = 40
#: the pipeline writes 2-4 sentences of at most 90 characters
MAX_CHAPTER_SUMMARY_CHARS = 600
#: mind-map points under one chapter: the pipeline makes 2 to 4, and each is a box drawn on every
#: view of the course page
MAX_CHAPTER_POINTS = 8
#: a mind-map box wraps at 16 em: 60 characters are four lines
MAX_POINT_CHARS = 60
#: a review question every eight minutes of a four-hour lecture; the pipeline makes 5, and the
#: knowledge-check popups draw from them
MAX_QUESTIONS = 30
#: the pipeline's prompts are at most 70 characters plus the blank
MAX_QUESTION_CHARS = 300
#: A to F; the pipeline offers 4
MAX_CHOICES = 6
MAX_CHOICE_CHARS = 120
MAX_EXPLANATION_CHARS = 600

# -- the course and its lessons ----------------------------------------------------------------
#: the columns' own lengths (catalog.models: String(120), String(200))
MAX_COURSE_TITLE_CHARS = 120
MAX_COURSE_SUBTITLE_CHARS = 200
MAX_LESSON_TITLE_CHARS = 120
#: a course description is a few paragraphs on the course page
MAX_COURSE_DESCRIPTION_CHARS = 5_000
#: glossary terms become Whisper's hot words (its prompt keeps only ~220 tokens, so about 100
#: Chinese characters count there) and entries of jieba's dictionary for the derivations;
#: 200 terms is a whole subject's vocabulary
MAX_GLOSSARY_TERMS = 200
#: the longest term names in Chinese finance (全国中小企业股份转让系统) are about 15 characters
MAX_GLOSSARY_TERM_CHARS = 30
#: the glossary as typed: 200 terms of 30 characters with their separators
MAX_GLOSSARY_CHARS = MAX_GLOSSARY_TERMS * (MAX_GLOSSARY_TERM_CHARS + 1)
#: a whole degree programme's lessons; every view of the course page renders all of them
MAX_LESSONS_PER_COURSE = 100

# -- uploaded media ----------------------------------------------------------------------------
#: A file must hold at least this many bytes per second of the duration it claims. Browsers play
#: no speech codec below Opus's 6 kb/s (750 B/s; speech measured 850 B/s in Ogg, 1,080 in WebM);
#: MP3 starts at 8 kb/s (1,000 B/s), and AAC and Vorbis use more. Two thirds of Opus's floor
#: leaves room for the cheaper frames of a lecture's pauses. Ten minutes of pure silence measured
#: 64 B/s in AAC, 93 in Vorbis and 377 in Opus/Ogg; 10 hours of silence in 10 MB is 280 B/s.
MIN_MEDIA_BYTES_PER_SECOND = 500


def _at_most(count: float, limit: float, code: str, message: str) -> None:
    if count > limit:
        raise Refusal(code, message, 422)


def check_transcript_text(text: str) -> None:
    """The transcript as typed in the studio, before it is parsed line by line."""
    _at_most(
        len(text),
        MAX_TRANSCRIPT_CHARS,
        "transcript_too_long",
        _(
            "转写稿过长：最多 %(limit)d 个字符，现有 %(n)d 个。",
            limit=MAX_TRANSCRIPT_CHARS,
            n=len(text),
        ),
    )
    lines = text.count("\n") + 1
    _at_most(
        lines,
        MAX_TRANSCRIPT_LINES,
        "too_many_transcript_lines",
        _("转写稿最多 %(limit)d 行，现有 %(n)d 行。", limit=MAX_TRANSCRIPT_LINES, n=lines),
    )


def check_segments(segments: Sequence[Segment]) -> None:
    """A transcript about to be saved."""
    _at_most(
        len(segments),
        MAX_TRANSCRIPT_LINES,
        "too_many_transcript_lines",
        _("转写稿最多 %(limit)d 行，现有 %(n)d 行。", limit=MAX_TRANSCRIPT_LINES, n=len(segments)),
    )
    chars = sum(len(segment.text) for segment in segments)
    _at_most(
        chars,
        MAX_TRANSCRIPT_CHARS,
        "transcript_too_long",
        _(
            "转写稿过长：最多 %(limit)d 个字符，现有 %(n)d 个。",
            limit=MAX_TRANSCRIPT_CHARS,
            n=chars,
        ),
    )


def check_derivations(
    keywords: Sequence[str],
    summary: str,
    chapters: Sequence[Chapter],
    questions: Sequence[Question],
) -> None:
    """Key phrases, summary, chapters and questions about to be saved."""
    _at_most(
        len(keywords),
        MAX_KEYWORDS,
        "too_many_keywords",
        _("关键词最多 %(limit)d 个，现有 %(n)d 个。", limit=MAX_KEYWORDS, n=len(keywords)),
    )
    for keyword in keywords:
        _at_most(
            len(keyword),
            MAX_KEYWORD_CHARS,
            "keyword_too_long",
            _(
                "关键词“%(keyword)s…”过长：每个最多 %(limit)d 个字。",
                keyword=keyword[:10],
                limit=MAX_KEYWORD_CHARS,
            ),
        )
    _at_most(
        len(summary),
        MAX_SUMMARY_CHARS,
        "summary_too_long",
        _("全文摘要最多 %(limit)d 个字，现有 %(n)d 个。", limit=MAX_SUMMARY_CHARS, n=len(summary)),
    )
    _at_most(
        len(chapters),
        MAX_CHAPTERS,
        "too_many_chapters",
        _("章节最多 %(limit)d 个，现有 %(n)d 个。", limit=MAX_CHAPTERS, n=len(chapters)),
    )
    for number, chapter in enumerate(chapters, start=1):
        _check_chapter(number, chapter)
    _at_most(
        len(questions),
        MAX_QUESTIONS,
        "too_many_questions",
        _("要点回顾最多 %(limit)d 题，现有 %(n)d 题。", limit=MAX_QUESTIONS, n=len(questions)),
    )
    for number, question in enumerate(questions, start=1):
        _check_question(number, question)


def _check_chapter(number: int, chapter: Chapter) -> None:
    _at_most(
        len(chapter.title),
        MAX_CHAPTER_TITLE_CHARS,
        "chapter_title_too_long",
        _("第 %(n)d 个章节的标题最多 %(limit)d 个字。", n=number, limit=MAX_CHAPTER_TITLE_CHARS),
    )
    _at_most(
        len(chapter.summary),
        MAX_CHAPTER_SUMMARY_CHARS,
        "chapter_summary_too_long",
        _("第 %(n)d 个章节的摘要最多 %(limit)d 个字。", n=number, limit=MAX_CHAPTER_SUMMARY_CHARS),
    )
    _at_most(
        len(chapter.points),
        MAX_CHAPTER_POINTS,
        "too_many_points",
        _("第 %(n)d 个章节的要点最多 %(limit)d 个。", n=number, limit=MAX_CHAPTER_POINTS),
    )
    for point in chapter.points:
        _at_most(
            len(point),
            MAX_POINT_CHARS,
            "point_too_long",
            _("第 %(n)d 个章节的每个要点最多 %(limit)d 个字。", n=number, limit=MAX_POINT_CHARS),
        )


def _check_question(number: int, question: Question) -> None:
    _at_most(
        len(question.prompt),
        MAX_QUESTION_CHARS,
        "question_too_long",
        _("第 %(n)d 题的题目最多 %(limit)d 个字。", n=number, limit=MAX_QUESTION_CHARS),
    )
    _at_most(
        len(question.choices),
        MAX_CHOICES,
        "too_many_choices",
        _("第 %(n)d 题最多 %(limit)d 个选项。", n=number, limit=MAX_CHOICES),
    )
    for choice in question.choices:
        _at_most(
            len(choice),
            MAX_CHOICE_CHARS,
            "choice_too_long",
            _("第 %(n)d 题的每个选项最多 %(limit)d 个字。", n=number, limit=MAX_CHOICE_CHARS),
        )
    _at_most(
        len(question.explanation),
        MAX_EXPLANATION_CHARS,
        "explanation_too_long",
        _("第 %(n)d 题的解析最多 %(limit)d 个字。", n=number, limit=MAX_EXPLANATION_CHARS),
    )


def check_glossary(text: str) -> None:
    """A course's glossary as typed, and the terms read from it."""
    from academy.insights.derive import glossary_terms

    _at_most(
        len(text),
        MAX_GLOSSARY_CHARS,
        "glossary_too_long",
        _("术语表最多 %(limit)d 个字符。", limit=MAX_GLOSSARY_CHARS),
    )
    terms = glossary_terms(text)
    _at_most(
        len(terms),
        MAX_GLOSSARY_TERMS,
        "too_many_glossary_terms",
        _("术语表最多 %(limit)d 个术语，现有 %(n)d 个。", limit=MAX_GLOSSARY_TERMS, n=len(terms)),
    )
    for term in terms:
        _at_most(
            len(term),
            MAX_GLOSSARY_TERM_CHARS,
            "glossary_term_too_long",
            _(
                "术语“%(term)s…”过长：每个最多 %(limit)d 个字。",
                term=term[:10],
                limit=MAX_GLOSSARY_TERM_CHARS,
            ),
        )


def check_lesson_count(count: int) -> None:
    """A course that already has `count` lessons, about to get one more."""
    _at_most(
        count + 1,
        MAX_LESSONS_PER_COURSE,
        "too_many_lessons",
        _("一门课程最多 %(limit)d 个课时。", limit=MAX_LESSONS_PER_COURSE),
    )


def check_media(name: str, size: int, duration: float, max_seconds: float) -> None:
    """A probed upload: no longer than the setting allows, and bytes enough for its length."""
    _at_most(
        duration,
        max_seconds,
        "media_too_long",
        _(
            "“%(name)s”长 %(hours).1f 小时，超过了 %(limit)g 小时的上限，已拒收。",
            name=name,
            hours=duration / 3600,
            limit=max_seconds / 3600,
        ),
    )
    if size < duration * MIN_MEDIA_BYTES_PER_SECOND:
        raise Refusal(
            "implausible_duration",
            _(
                "“%(name)s”声称长 %(minutes)d 分钟，但每秒不足 %(rate)d 字节，"
                "不像真实的讲座录音，已拒收。",
                name=name,
                minutes=round(duration / 60),
                rate=MIN_MEDIA_BYTES_PER_SECOND,
            ),
            422,
        )
