"""Reading the catalog: published courses, categories, lessons."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import PurePosixPath

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from academy import clock
from academy.catalog.models import Category, Course, Lesson
from academy.errors import Refusal
from academy.extensions import db
from academy.plaintext import has_hidden_characters


def list_categories() -> list[Category]:
    """All categories in display order."""
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.id)))


def list_published_courses(category: Category | None = None) -> list[Course]:
    """Published courses, newest first, with their lessons loaded."""
    query = (
        select(Course)
        .where(Course.published_on.is_not(None))
        .options(selectinload(Course.lessons), selectinload(Course.category))
        .order_by(Course.published_on.desc(), Course.id)
    )
    if category is not None:
        query = query.where(Course.category_id == category.id)
    return list(db.session.scalars(query))


#: course cards on one page of the catalog (a page of 24 renders in a few ms; all of 1,000 did not)
CATALOG_PAGE_SIZE = 24


def published_courses_page(
    category: Category | None, page: int, per_page: int = CATALOG_PAGE_SIZE
) -> tuple[list[Course], int]:
    """One page of published courses, newest first (of a category, if given), and how many
    there are in all."""
    where = [Course.published_on.is_not(None)]
    if category is not None:
        where.append(Course.category_id == category.id)
    total = db.session.scalar(select(func.count()).select_from(Course).where(*where)) or 0
    query = (
        select(Course)
        .where(*where)
        .options(selectinload(Course.lessons), selectinload(Course.category))
        .order_by(Course.published_on.desc(), Course.id)
        .limit(per_page)
        .offset((max(1, page) - 1) * per_page)
    )
    return list(db.session.scalars(query)), total


def get_category(slug: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.slug == slug))


def get_course(course_id: int) -> Course | None:
    """A course, published or not (access.open_course says who may see a draft)."""
    return db.session.get(Course, course_id)


def get_lesson(lesson_id: int) -> Lesson | None:
    """A lesson, its course published or not."""
    return db.session.get(Lesson, lesson_id)


def get_published_course(course_id: int) -> Course | None:
    """A course if it exists and is published; drafts are not shown to learners."""
    course = db.session.get(Course, course_id)
    return course if course is not None and course.is_published else None


def get_published_lesson(lesson_id: int) -> Lesson | None:
    """A lesson of a published course."""
    lesson = db.session.get(Lesson, lesson_id)
    return lesson if lesson is not None and lesson.course.is_published else None


def lesson_ids_of(course_id: int) -> Select:
    """The ids of a course's lessons as a query, for other domains to count or filter by
    inside one statement of theirs."""
    return select(Lesson.id).where(Lesson.course_id == course_id)


def courses_by_id(course_ids) -> dict[int, Course]:
    """These courses (drafts too), keyed by id, in one query whatever their number."""
    ids = set(course_ids)
    if not ids:
        return {}
    return {c.id: c for c in db.session.scalars(select(Course).where(Course.id.in_(ids)))}


def format_price(price_fen: int) -> str:
    """Fen as a yuan amount with two decimals, e.g. 9900 -> '99.00'."""
    return f"{price_fen // 100}.{price_fen % 100:02d}"


# -- writes (the studio calls these) -------------------------------------------------------------

#: media types by file extension; .mov holds H.264 that browsers play when served as mp4
MEDIA_TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/mp4",
    ".webm": "video/webm",
    ".mkv": "video/webm",
    ".m4a": "audio/mp4",
    ".mp3": "audio/mpeg",
    ".aac": "audio/aac",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
}
#: what a visitor who may not watch sees of the AI material (catalog/access.py); None: by price
VISITOR_INSIGHTS = (None, "full", "outline")
COURSE_FIELDS = (
    "title",
    "subtitle",
    "description",
    "category_id",
    "price_fen",
    "glossary",
    "transcript_script",
    "visitor_insights",
)


def list_courses_of(instructor_id: int | None) -> list[Course]:
    """An instructor's courses, drafts included; None lists every course (admins)."""
    query = select(Course).options(selectinload(Course.lessons)).order_by(Course.id.desc())
    if instructor_id is not None:
        query = query.where(Course.instructor_id == instructor_id)
    return list(db.session.scalars(query))


def _check_course_values(values: dict) -> dict:
    """The values, checked; what visitors see of the AI material defaults to the price rule."""
    values = {"visitor_insights": None, **values}
    if not (values.get("title") or "").strip():
        raise Refusal("missing_title", _("请填写课程名称。"), 422)
    for name in ("title", "subtitle"):
        if has_hidden_characters(values.get(name) or ""):
            raise Refusal("invalid_text", _("课程名称和副标题不能含有控制字符或不可见字符。"), 422)
    if db.session.get(Category, values.get("category_id") or 0) is None:
        raise Refusal("invalid_category", _("请选择课程分类。"), 422)
    if not isinstance(values.get("price_fen"), int) or values["price_fen"] < 0:
        raise Refusal("invalid_price", _("价格须为不小于 0 的金额。"), 422)
    if values.get("transcript_script") not in ("simplified", "traditional"):
        raise Refusal("invalid_script", _("转写文字须为简体或繁体。"), 422)
    if values.get("visitor_insights") not in VISITOR_INSIGHTS:
        raise Refusal("invalid_visibility", _("请选择访客可见的 AI 内容。"), 422)
    return values


def create_course(instructor_id: int, values: dict) -> Course:
    """A new draft course owned by an instructor."""
    values = _check_course_values(values)
    course = Course(
        slug=f"c-{secrets.token_hex(6)}",
        instructor_id=instructor_id,
        **{name: values[name] for name in COURSE_FIELDS},
    )
    db.session.add(course)
    db.session.commit()
    return course


def update_course(course: Course, values: dict) -> Course:
    values = _check_course_values(values)
    for name in COURSE_FIELDS:
        setattr(course, name, values[name])
    db.session.commit()
    _reindex(course)
    return course


def set_published(
    course: Course, published: bool, *, confirm_missing_video: bool = False
) -> Course:
    """Publish a course (dated today, Beijing time) or take it back to draft. A course with
    lessons still without video is published only when confirmed: until those are uploaded no
    learner can complete it, so no one earns its hours."""
    if published and not any(lesson.media_path for lesson in course.lessons):
        raise Refusal("no_lessons", _("课程至少要有一节已上传视频的课时才能发布。"), 409)
    from academy.templating import join_list  # late: templating reads the catalog

    waiting = [lesson.title for lesson in course.lessons if not lesson.media_path]
    if published and waiting and not confirm_missing_video and course.published_on is None:
        raise Refusal(
            "lessons_without_video",
            _(
                "还有 %(n)d 节课时没有视频（%(titles)s）：上传前学员无法学完课程、获得学时。"
                "如仍要发布，请勾选确认后再发布。",
                n=len(waiting),
                titles=join_list(waiting),
            ),
            409,
        )
    if published:
        course.published_on = course.published_on or (clock.now() + timedelta(hours=8)).date()
    else:
        course.published_on = None
    db.session.commit()
    _reindex(course)
    return course


def _reindex(course: Course) -> None:
    """Keep search in step with what the course shows."""
    from academy.search.services import index_course  # late: search reads the catalog

    index_course(course.id)


def _lesson_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise Refusal("missing_title", _("请填写课时名称。"), 422)
    if has_hidden_characters(title):
        raise Refusal("invalid_text", _("课时名称不能含有控制字符或不可见字符。"), 422)
    return title


def add_lesson(course: Course, title: str) -> Lesson:
    """Append a lesson (without media yet) to a course."""
    title = _lesson_title(title)
    position = max((lesson.position for lesson in course.lessons), default=0) + 1
    lesson = Lesson(position=position, title=title[:120], duration_ms=0, media_path="")
    course.lessons.append(lesson)  # through the relationship, so the loaded course sees it
    db.session.commit()
    return lesson


def rename_lesson(lesson: Lesson, title: str) -> Lesson:
    title = _lesson_title(title)
    lesson.title = title[:120]
    db.session.commit()
    _reindex(lesson.course)
    return lesson


def move_lesson(lesson: Lesson, step: int) -> Course:
    """Swap a lesson with its neighbour before (step -1) or after (step 1); at an end, nothing
    moves. Positions are unique within a course, so the swap passes through a free one."""
    course = lesson.course
    lessons = list(course.lessons)
    index = lessons.index(lesson)
    if not 0 <= index + step < len(lessons):
        return course
    other = lessons[index + step]
    mine, theirs = lesson.position, other.position
    try:
        lesson.position = -1 - max(abs(mine), abs(theirs))  # free: positions are positive
        db.session.flush()
        other.position = mine
        db.session.flush()
        lesson.position = theirs
        db.session.commit()
    except IntegrityError:  # another move of this course won the race
        db.session.rollback()
        raise Refusal("conflict", _("课时顺序刚刚被修改过，请刷新后再试。"), 409) from None
    db.session.refresh(course, ["lessons"])
    return course


def remove_lesson(lesson: Lesson) -> Course:
    """Take a lesson out of its course (the studio checks first that nothing depends on it)."""
    course = lesson.course
    course.lessons.remove(lesson)  # through the relationship, so the loaded course sees it
    db.session.delete(lesson)
    db.session.commit()
    _reindex(course)
    return course


def attach_media(
    lesson: Lesson, relative_path: str, *, duration_ms: int, has_video: bool
) -> Lesson:
    """Make a stored, probed file the lesson's media."""
    lesson.media_path = relative_path
    lesson.media_type = MEDIA_TYPES.get(PurePosixPath(relative_path).suffix.lower(), "video/mp4")
    lesson.duration_ms = duration_ms
    lesson.has_video = has_video
    lesson.updated_at = clock.now()
    db.session.commit()
    return lesson


def set_member_flags(course: Course, *, claimable: bool, recommended: bool) -> Course:
    """Whether members may claim the course free, and whether it is member-recommended (hours
    earned through a membership then do not use the member quota). The admin sets these;
    recommended alone is refused, as only a claimed course earns hours through a membership."""
    if recommended and not claimable:
        raise Refusal(
            "recommended_needs_claimable",
            _("“会员推荐”只对会员可免费领取的课程起作用：请同时勾选“可免费领取”。"),
            422,
        )
    course.member_claimable = claimable
    course.member_recommended = recommended
    db.session.commit()
    return course
