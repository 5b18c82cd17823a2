"""Every write and rule of reviews: posting, deleting, reporting, moderating, and the reads."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from academy import clock
from academy.community.models import (
    MAX_REVIEW_CHARS,
    TRANSITIONS,
    Review,
    ReviewReport,
    ReviewStatus,
)
from academy.errors import Refusal
from academy.extensions import db
from academy.learning import services as learning

#: reviews on one page of the course page and the API
REVIEWS_PER_PAGE = 10
#: reported reviews on one page of /admin/comments
MODERATION_PER_PAGE = 50


@dataclass(frozen=True)
class Rating:
    """A course's rating: the mean of its raters' stars and how many reviews show.

    A learner may comment as often as they like, but their stars count once: those of their
    latest visible review that has stars (a rating given again replaces the earlier one), so
    five 5-star comments from one learner weigh as much as one.
    """

    #: rounded to one decimal; None while no visible review has stars
    average: float | None
    #: visible reviews (with or without stars)
    count: int
    #: learners whose stars count (each one's latest visible rated review)
    rated: int


@dataclass(frozen=True)
class ReviewPage:
    reviews: list[Review]
    page: int
    pages: int
    rating: Rating
    #: the longest review, for the form's counter
    max_chars: int = MAX_REVIEW_CHARS


def clean_text(raw: str) -> str:
    """The review as it will be stored: line breaks as \\n, trimmed, within the bounds.

    Characters are counted, not bytes: 150 emoji are 150 characters. A form posts a line break
    as \\r\\n, which the page's counter sees as one character, so it is counted as one here too.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise Refusal("empty_text", _("评价内容不能为空。"), 422)
    if len(text) > MAX_REVIEW_CHARS:
        raise Refusal(
            "too_long",
            _(
                "评价最多 %(max)d 个字，当前 %(n)d 个字。",
                max=MAX_REVIEW_CHARS,
                n=len(text),
            ),
            422,
        )
    # control characters (NUL among them, which PostgreSQL cannot store) are no one's typing
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise Refusal("invalid_text", _("评价内容含有无法显示的控制字符。"), 422)
    return text


def check_rating(value: int | str | None) -> int | None:
    """1-5 stars, or None for no rating; anything else is refused."""
    if value is None or value == "":
        return None
    try:
        stars = int(value)
    except (TypeError, ValueError):
        stars = 0
    if isinstance(value, bool) or not 1 <= stars <= 5 or str(stars) != str(value).strip():
        raise Refusal("invalid_rating", _("评分须为 1 到 5 星。"), 422)
    return stars


def post_review(user, course, text: str, rating: int | str | None = None) -> Review:
    """An enrolled learner comments on a course (and may rate it)."""
    if learning.find_enrolment(user.id, course.id) is None:
        raise Refusal("not_enrolled", _("报名或购买课程后才能发表评价。"), 403)
    review = Review(
        course_id=course.id, user_id=user.id, text=clean_text(text), rating=check_rating(rating)
    )
    db.session.add(review)
    db.session.commit()
    return review


def _visible_to(viewer_id: int | None):
    """Visible reviews, and the viewer's own even when hidden."""
    shown = Review.status == ReviewStatus.VISIBLE
    return shown if viewer_id is None else or_(shown, Review.user_id == viewer_id)


def reviews_by(user_id: int) -> list[Review]:
    """Every review the user wrote, hidden ones too, oldest first (their personal data)."""
    return list(
        db.session.scalars(select(Review).where(Review.user_id == user_id).order_by(Review.id))
    )


def find_review(review_id: int, viewer_id: int | None) -> Review:
    """A review this viewer may see, else 404."""
    review = db.session.scalar(select(Review).where(Review.id == review_id, _visible_to(viewer_id)))
    if review is None:
        raise Refusal("not_found", _("评价不存在。"), 404)
    return review


def delete_review(user_id: int, review_id: int) -> int:
    """The author deletes their review (someone else's is 404); returns its course id."""
    review = db.session.scalar(
        select(Review).where(Review.id == review_id, Review.user_id == user_id)
    )
    if review is None:
        raise Refusal("not_found", _("评价不存在。"), 404)
    course_id = review.course_id
    db.session.execute(delete(ReviewReport).where(ReviewReport.review_id == review.id))
    db.session.delete(review)
    db.session.commit()
    return course_id


def report_review(user_id: int, review_id: int) -> tuple[Review, bool]:
    """Report a review to the admins; returns it and whether the report is new (once each)."""
    review = find_review(review_id, user_id)
    if review.user_id == user_id:  # one deletes one's own review; a report is about others'
        raise Refusal("own_review", _("不能举报自己的评价；如需撤回，请删除它。"), 409)
    db.session.add(ReviewReport(review_id=review.id, user_id=user_id))
    try:
        db.session.commit()
    except IntegrityError:  # reported before, or by a racing request of the same user
        db.session.rollback()
        return review, False
    return review, True


def _move(admin_id: int, review_id: int, to: ReviewStatus) -> Review:
    review = db.session.get(Review, review_id)
    if review is None:
        raise Refusal("not_found", _("评价不存在。"), 404)
    current = ReviewStatus(review.status)
    if to not in TRANSITIONS[current]:
        raise Refusal("illegal_transition", _("该评价已是这个状态。"), 409)
    # conditional: of two admins acting at once, one moves it and the other is told
    moved = db.session.execute(
        update(Review)
        .where(Review.id == review.id, Review.status == current)
        .values(status=to, moderated_at=clock.now(), moderated_by_id=admin_id)
    )
    if moved.rowcount != 1:
        db.session.rollback()
        raise Refusal("illegal_transition", _("该评价已是这个状态。"), 409)
    db.session.commit()
    db.session.refresh(review)
    return review


def hide_review(admin_id: int, review_id: int) -> Review:
    """An admin hides a review: it vanishes for everyone but its author."""
    return _move(admin_id, review_id, ReviewStatus.HIDDEN)


def restore_review(admin_id: int, review_id: int) -> Review:
    """An admin shows a hidden review again."""
    return _move(admin_id, review_id, ReviewStatus.VISIBLE)


def course_rating(course_id: int) -> Rating:
    """The course's visible reviews: how many, and the mean of each rater's latest stars."""
    visible = (Review.course_id == course_id, Review.status == ReviewStatus.VISIBLE)
    count = db.session.scalar(select(func.count(Review.id)).where(*visible))
    latest_rated = (
        select(func.max(Review.id))
        .where(*visible, Review.rating.is_not(None))
        .group_by(Review.user_id)
    )
    rated, total = db.session.execute(
        select(func.count(Review.id), func.sum(Review.rating)).where(Review.id.in_(latest_rated))
    ).one()
    average = round(int(total) / rated, 1) if rated else None
    return Rating(average=average, count=count, rated=rated)


def page_bounds(page: int | None, total: int, per_page: int) -> tuple[int, int]:
    """(page, pages): the page asked for, kept within 1..pages (a huge one is the last)."""
    pages = max(1, -(-total // per_page))
    return min(max(page or 1, 1), pages), pages


def review_page(viewer, course_id: int, page: int | None = 1) -> ReviewPage:
    """One page of a course's reviews as this viewer sees them, newest first."""
    viewer_id = viewer.id if getattr(viewer, "is_authenticated", False) else None
    where = (Review.course_id == course_id, _visible_to(viewer_id))
    total = db.session.scalar(select(func.count(Review.id)).where(*where))
    page, pages = page_bounds(page, total, REVIEWS_PER_PAGE)
    reviews = db.session.scalars(
        select(Review)
        .where(*where)
        .options(selectinload(Review.user))
        .order_by(Review.created_at.desc(), Review.id.desc())
        .limit(REVIEWS_PER_PAGE)
        .offset((page - 1) * REVIEWS_PER_PAGE)
    ).all()
    return ReviewPage(list(reviews), page, pages, course_rating(course_id))


def reported_reviews(
    page: int | None = 1, *, everything: bool = False
) -> tuple[list[tuple[Review, int]], int, int]:
    """For moderation: reviews with reports or hidden, with their report counts, the latest
    report first; or (everything) every review, newest first, so that an admin finds abuse
    nobody reported. Returns (rows, page, pages)."""
    reports = (
        select(
            ReviewReport.review_id,
            func.count(ReviewReport.id).label("reports"),
            func.max(ReviewReport.created_at).label("last_report"),
        )
        .group_by(ReviewReport.review_id)
        .subquery()
    )
    where = (
        true()
        if everything
        else or_(reports.c.reports.is_not(None), Review.status == ReviewStatus.HIDDEN)
    )
    newest = (
        Review.created_at if everything else func.coalesce(reports.c.last_report, Review.created_at)
    )
    total = db.session.scalar(
        select(func.count(Review.id))
        .outerjoin(reports, reports.c.review_id == Review.id)
        .where(where)
    )
    page, pages = page_bounds(page, total, MODERATION_PER_PAGE)
    rows = db.session.execute(
        select(Review, func.coalesce(reports.c.reports, 0))
        .outerjoin(reports, reports.c.review_id == Review.id)
        .where(where)
        .options(selectinload(Review.user), selectinload(Review.course))
        .order_by(newest.desc(), Review.id.desc())
        .limit(MODERATION_PER_PAGE)
        .offset((page - 1) * MODERATION_PER_PAGE)
    ).all()
    return [(review, count) for review, count in rows], page, pages
