"""A lesson's insight: the instructor's working copy, its corrections, and what learners see.

Every read and write of `lesson_insights` is here. The pipeline stores what Whisper heard and
what was derived; the instructor corrects lines (each keeps what Whisper had heard there) and
publishes. A transcript the low-confidence rule holds (confidence.py) is published only when
the instructor confirms it, and so are derivations made before the transcript's last
correction. While a job of the lesson is queued or running, nothing is edited or published.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
from collections import defaultdict

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy import clock
from academy.catalog.models import Lesson
from academy.errors import Refusal
from academy.extensions import db
from academy.insights import bounds, confidence
from academy.insights.models import ACTIVE, LessonInsight, ProcessingJob
from academy.insights.types import Chapter, Question, Segment, segment_dict, segment_from_dict
from academy.templating import format_duration, join_list

#: languages Whisper may detect, by name (others are shown by their code)
LANGUAGE_NAMES = {
    "zh": _l("中文"),
    "yue": _l("粤语"),
    "en": _l("英语"),
    "es": _l("西班牙语"),
    "fr": _l("法语"),
    "de": _l("德语"),
    "ja": _l("日语"),
    "ko": _l("韩语"),
    "ru": _l("俄语"),
}


# -- reading -----------------------------------------------------------------------------------


def get_insight(lesson_id: int) -> LessonInsight | None:
    return db.session.scalar(select(LessonInsight).where(LessonInsight.lesson_id == lesson_id))


def _ensure_insight(lesson_id: int) -> LessonInsight:
    insight = get_insight(lesson_id)
    if insight is None:
        insight = LessonInsight(lesson_id=lesson_id)
        db.session.add(insight)
        db.session.flush()
    return insight


def segments_of(insight: LessonInsight) -> list[Segment]:
    return [segment_from_dict(row) for row in insight.segments or []]


def published_view(lesson_id: int) -> dict | None:
    """What learners may see of a lesson's insights: the published snapshot, or nothing."""
    insight = get_insight(lesson_id)
    return insight.published if insight and insight.published_at else None


def published_views(lesson_ids: list[int]) -> dict[int, dict]:
    """The published snapshots of these lessons, by lesson id, in one query (a course page)."""
    if not lesson_ids:
        return {}
    rows = db.session.execute(
        select(LessonInsight.lesson_id, LessonInsight.published).where(
            LessonInsight.lesson_id.in_(lesson_ids), LessonInsight.published_at.is_not(None)
        )
    )
    return {lesson_id: published for lesson_id, published in rows}


def published_questions(lesson_id: int) -> list[dict]:
    """The published review questions of a lesson (for knowledge-check popups)."""
    view = published_view(lesson_id)
    return list(view["questions"]) if view else []


def mind_map_svg(tree: dict) -> str:
    """The mind map drawn as a standalone SVG (served at its own URL, offered as a download).

    A tree drawn lately is not drawn again: the drawing is kept, by the tree's JSON, in memory.
    """
    return _drawn(json.dumps(tree, ensure_ascii=False, sort_keys=True))


# A few: a map at every bound is some 110 KB of JSON and 0.4 MB of SVG, and the course page
# draws its maps in the browser (the SVG is the download and the page without scripts).
@functools.lru_cache(maxsize=32)
def _drawn(tree_json: str) -> str:
    from academy.insights.text.mindmap import render_svg

    return render_svg(json.loads(tree_json))


def mind_map_nodes(tree: dict) -> dict:
    """The mind map as the nodes of the course page's interactive map (markmap-view)."""
    from academy.insights.text.mindmap import markmap_tree

    return markmap_tree(tree)


def shuffled_question(question: dict, rng: random.Random) -> tuple[list[str], int]:
    """The choices in a new order, and where the right one went."""
    order = list(range(len(question["choices"])))
    rng.shuffle(order)
    return [question["choices"][i] for i in order], order.index(question["answer"])


def thresholds() -> confidence.Thresholds:
    """The low-confidence rule's bars as this app is configured."""
    return confidence.Thresholds.from_config(current_app.config)


def review(
    segments: list[Segment], heard_speech: list[tuple[float, float]] | None = None
) -> confidence.Review:
    """How far the transcript can be trusted, and whether it is held for correction."""
    return confidence.review_transcript(segments, thresholds(), heard_speech=heard_speech or ())


def review_of(insight: LessonInsight) -> confidence.Review:
    """The review of a lesson's working copy, speech Whisper dropped included."""
    return review(segments_of(insight), heard_speech_of(insight))


def heard_speech_of(insight: LessonInsight) -> list[tuple[float, float]]:
    """Where speech was heard when the lecture was transcribed (empty: not recorded)."""
    return [(float(start), float(end)) for start, end in insight.speech or []]


def language_name(code: str | None) -> str:
    if code is None:
        return _("未知")
    return str(LANGUAGE_NAMES.get(code, code))


def hold_reasons(found: confidence.Review) -> list[str]:
    """Why a transcript is held, in words for the instructor."""
    words = {
        confidence.HOLD_NOTHING_HEARD: lambda: _("没有识别到讲话"),
        confidence.HOLD_OTHER_LANGUAGE: lambda: _(
            "识别出的语言是%(language)s，不是课程的语言（中文）",
            language=language_name(found.language),
        ),
        confidence.HOLD_LOW_CONFIDENCE: lambda: _(
            "%(share)d%% 的语音时长是低置信度的转写（上限 %(limit)d%%）",
            share=round(found.low_share * 100),
            limit=round(thresholds().max_low_confidence_share * 100),
        ),
    }
    return [words[reason]() for reason in found.held_because]


# -- written by the pipeline -------------------------------------------------------------------


def store_machine_transcript(
    lesson_id: int, segments: list[Segment], heard_speech: list[tuple[float, float]] | None = None
) -> None:
    """What Whisper heard becomes the working copy (a new transcription replaces corrections),
    with where speech was heard (None: not known)."""
    insight = _ensure_insight(lesson_id)
    insight.segments = [segment_dict(s) for s in segments]
    insight.speech = (
        [[start, end] for start, end in heard_speech] if heard_speech is not None else None
    )
    insight.transcript_edited_at = None
    insight.derivations_stale = True
    db.session.commit()


def store_derivations(lesson_id: int, derived: dict) -> None:
    """What the derivations made of the current transcript."""
    insight = _ensure_insight(lesson_id)
    for name, value in derived.items():
        setattr(insight, name, value)
    insight.derived_at = clock.now()
    insight.derivations_stale = False
    db.session.commit()


# -- editing by the instructor -----------------------------------------------------------------


def processing(lesson_id: int) -> bool:
    """A job of the lesson is queued or running: it will write over the working copy."""
    active = select(ProcessingJob.id).where(
        ProcessingJob.lesson_id == lesson_id, ProcessingJob.status.in_(ACTIVE)
    )
    return db.session.scalar(active.limit(1)) is not None


def _editable(lesson: Lesson, *, heard_nothing_ok: bool = False) -> LessonInsight:
    """The lesson's insight with a transcript; with heard_nothing_ok, also one whose
    transcription heard nothing (its lines may be written by hand: a voice Whisper cannot
    follow, as the demo's synthetic ones sometimes).

    Refused while a job is queued or running: its result would replace an edit made now, and
    publishing now would publish what it is about to replace."""
    if processing(lesson.id):
        raise Refusal(
            "job_running",
            _("该课时正在处理中，处理完成后再修改或发布。"),
            409,
        )
    insight = get_insight(lesson.id)
    if insight is None or not (insight.segments or heard_nothing_ok):
        raise Refusal("no_transcript", _("还没有转写稿。"), 409)
    return insight


#: a review question is multiple choice, or a blank to fill (offered as choices too)
QUESTION_KINDS = ("choice", "blank")
#: Whisper's last segment may end a little past the file's own duration
END_SLACK_S = 1.0


def _within(lesson: Lesson, seconds: float, *, strictly: bool = False) -> bool:
    """Whether a time fits the lesson's video (a chapter starts before its end; a line ends by
    it). A lesson whose length is not known yet takes any time."""
    if not lesson.duration_ms:
        return True
    length = lesson.duration_ms / 1000
    return seconds < length if strictly else seconds <= length + END_SLACK_S


def _clock(seconds: float) -> str:
    return format_duration(int(seconds * 1000))


def version_of(insight: LessonInsight, part: str) -> str:
    """A fingerprint of one part of the working copy, 'transcript' or 'derivations', as a page
    showed it: a save sent from a page older than the copy (another tab, a colleague, a
    regeneration) is refused instead of writing over what changed since."""
    if part == "transcript":
        content = insight.segments
    else:
        content = [insight.keywords, insight.summary, insight.chapters, insight.questions]
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check_version(insight: LessonInsight, part: str, seen: str | None) -> None:
    """Refuse a save made from an older page (None: the caller did not say; not checked)."""
    if seen is not None and seen != version_of(insight, part):
        raise Refusal(
            "changed_elsewhere",
            _(
                "您打开页面后，这部分内容已被修改（其他窗口、同事或重新生成）。为免覆盖，"
                "本次没有保存：请复制您的修改，刷新页面后再改。"
            ),
            409,
        )


def save_transcript(
    lesson: Lesson, segments: list[Segment], *, seen_version: str | None = None
) -> LessonInsight:
    """Replace the transcript with the instructor's correction (the studio's form, the demo)."""
    insight = _editable(lesson, heard_nothing_ok=True)
    _check_version(insight, "transcript", seen_version)
    if not segments:
        raise Refusal("empty_transcript", _("转写稿不能为空。"), 422)
    bounds.check_segments(segments)
    if any(b.start < a.start for a, b in zip(segments, segments[1:], strict=False)):
        raise Refusal("unordered_transcript", _("转写稿的时间须从早到晚排列。"), 422)
    late = next((s for s in segments if not _within(lesson, s.end)), None)
    if late is not None:
        raise Refusal(
            "beyond_video",
            _(
                "“%(text)s”结束于 %(at)s，超出了视频长度 %(length)s。",
                text=late.text[:20],
                at=_clock(late.end),
                length=_clock(lesson.duration_ms / 1000),
            ),
            422,
        )
    corrected = carry_over(segments_of(insight), segments)
    insight.segments = [segment_dict(s) for s in corrected]
    insight.transcript_edited_at = clock.now()
    insight.derivations_stale = True
    db.session.commit()
    return insight


def carry_over(before: list[Segment], lines: list[Segment]) -> list[Segment]:
    """The instructor's lines, each keeping what Whisper heard in its time.

    A line left exactly as it was (times and text) stays Whisper's, signals and all. Any other
    line is the instructor's: it has no confidence signals (they vouch for it), and `heard`
    holds the text of Whisper's lines whose time it overlaps most, so the machine's original
    stays visible beside the correction. A line of Whisper's that overlaps no line was deleted.
    """
    unchanged = {_key(s): s for s in before}
    kept = [unchanged.get(_key(line)) for line in lines]
    kept_keys = {_key(k) for k in kept if k is not None}
    changed = [index for index, k in enumerate(kept) if k is None]
    heard: dict[int, list[Segment]] = defaultdict(list)
    for old in before:
        if _key(old) in kept_keys:
            continue
        # the earliest of the lines it overlaps most (max of -index)
        overlap, minus_index = max(
            ((_overlap(old, lines[index]), -index) for index in changed), default=(0.0, 0)
        )
        if overlap > 0:
            heard[-minus_index].append(old)
    result = []
    for index, line in enumerate(lines):
        if kept[index] is not None:
            result.append(kept[index])
            continue
        sources = heard.get(index, [])
        machine = " ".join(text for s in sources if (text := _machine_text(s)))
        detected = next((s for s in sources if s.language), None)
        result.append(
            Segment(
                line.start,
                line.end,
                line.text,
                language=detected.language if detected else None,
                language_probability=detected.language_probability if detected else None,
                heard=machine if machine and machine != line.text else None,
            )
        )
    return result


def _key(segment: Segment) -> tuple[float, float, str]:
    return segment.start, segment.end, segment.text


def _overlap(a: Segment, b: Segment) -> float:
    """Seconds two lines share (a line of no length counts as a hundredth of a second)."""
    return min(max(a.end, a.start + 0.01), max(b.end, b.start + 0.01)) - max(a.start, b.start)


def _machine_text(segment: Segment) -> str | None:
    """What Whisper heard for a line: its text if it is Whisper's, else what it kept."""
    if segment.heard is not None:
        return segment.heard
    return segment.text if segment.from_machine else None


def save_derivations(
    lesson: Lesson,
    *,
    keywords: list[str],
    summary: str,
    chapters: list[Chapter],
    questions: list[Question],
    seen_version: str | None = None,
) -> LessonInsight:
    """Store the instructor's corrections of what the pipeline derived."""
    from academy.insights.text import mindmap
    from academy.insights.types import to_dict

    insight = _editable(lesson)
    _check_version(insight, "derivations", seen_version)
    summary = summary.strip()
    bounds.check_derivations(keywords, summary, chapters, questions)
    for question in questions:
        if len(question.choices) < 2 or not 0 <= question.answer < len(question.choices):
            raise Refusal("invalid_question", _("每道题至少两个选项，并须标出正确答案。"), 422)
        if len(set(question.choices)) < len(question.choices):
            raise Refusal(
                "invalid_question",
                _("题目“%(prompt)s”有相同的选项：每个选项须不同。", prompt=question.prompt[:20]),
                422,
            )
        if question.kind not in QUESTION_KINDS:
            raise Refusal("invalid_question", _("题型只能是选择题或填空题。"), 422)
    late = next((c for c in chapters if not _within(lesson, c.start, strictly=True)), None)
    if late is not None:
        raise Refusal(
            "beyond_video",
            _(
                "章节“%(title)s”从 %(at)s 开始，超出了视频长度 %(length)s。",
                title=late.title[:20],
                at=_clock(late.start),
                length=_clock(lesson.duration_ms / 1000),
            ),
            422,
        )
    insight.keywords = keywords
    insight.summary = summary
    ordered = sorted(chapters, key=lambda c: c.start)
    insight.chapters = [to_dict(c) for c in ordered]
    insight.questions = [to_dict(q) for q in questions]
    insight.mind_map = mindmap.build_mind_map(lesson.title, ordered)
    db.session.commit()
    return insight


def publish(
    lesson: Lesson, *, confirm_low_confidence: bool = False, confirm_stale: bool = False
) -> LessonInsight:
    """Make the current working copy what learners see; a held transcript, or derivations made
    from the transcript before its last correction, only when confirmed."""
    insight = _editable(lesson)
    if insight.derivations_stale and not confirm_stale:
        raise Refusal(
            "derivations_stale",
            _(
                "转写稿改过后还没有重新生成：关键词、摘要、章节和题目仍按旧稿。"
                "请先点击“按新稿重新生成”；如确认按现状发布，请勾选确认后再发布。"
            ),
            409,
        )
    found = review_of(insight)
    if found.held and not confirm_low_confidence:
        raise Refusal(
            "held_for_correction",
            _(
                "转写稿需要先校对：%(reasons)s。请先改正标出的段落并重新生成；"
                "如确认仍要按现稿发布，请勾选确认后再发布。",
                reasons=join_list(hold_reasons(found), "；"),
            ),
            409,
        )
    insight.published = {
        # the lines alone: Whisper's signals and what it heard stay in the studio
        "segments": [
            {key: row[key] for key in ("start", "end", "text")} for row in insight.segments
        ],
        "keywords": insight.keywords,
        "summary": insight.summary,
        "chapters": insight.chapters,
        "questions": insight.questions,
        "mind_map": insight.mind_map,
    }
    insight.published_at = clock.now()
    db.session.commit()
    from academy.search.services import index_course  # late: search reads insights

    index_course(lesson.course_id)
    return insight
