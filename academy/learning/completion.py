"""Completion: a lesson once its whole duration is verified and every popup confirmed, a
course once every lesson is, and the course's award, each exactly once.

Once-only is the database's: completed_at is set by a conditional update, CourseCompletion is
unique per learner and course, and the ledger's partial unique index refuses a second award.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from academy import clock
from academy.catalog import services as catalog
from academy.credits import services as credits
from academy.extensions import db
from academy.learning import popups, rules
from academy.learning.audit import EventLog
from academy.learning.models import CourseCompletion, Enrolment, LessonProgress, WatchSession


@dataclass
class Completion:
    """What a beat or a confirmation completed."""

    lesson_complete: bool
    course_complete: bool
    #: the ledger entries awarded now (only by the request that completed the course)
    awarded: list = field(default_factory=list)


def finish(
    session: WatchSession,
    progress: LessonProgress,
    duration_ms: int,
    course_id: int,
    verified_ms: int,
    now: datetime,
    events: EventLog,
    *,
    popups_pending: bool | None = None,
) -> Completion:
    """Complete the lesson, then the course and its award, when the rules say so; once only.

    `popups_pending` is whether the learner has an unconfirmed popup on the lesson, when the
    caller read it already (None: counted here, and only if the duration is verified).
    """
    user_id, lesson_id = session.user_id, session.lesson_id
    unconfirmed = 0
    if verified_ms >= duration_ms:  # below it nothing completes, whatever the popups
        if popups_pending is None:
            unconfirmed = popups.unconfirmed_count(user_id, lesson_id)
        else:
            unconfirmed = int(popups_pending)
    lesson_complete = rules.is_lesson_complete(verified_ms, duration_ms, unconfirmed)
    if lesson_complete and progress.completed_at is None:
        first = db.session.execute(
            update(LessonProgress)
            .where(LessonProgress.id == progress.id, LessonProgress.completed_at.is_(None))
            .values(completed_at=now)
        )
        if first.rowcount == 1:
            events.record(
                session.id, user_id, lesson_id, "lesson_complete", verified_ms=verified_ms
            )
            if not is_course_complete(user_id, course_id):
                return Completion(True, False)
            return Completion(True, True, _complete_course(user_id, course_id, now))
    # A lesson never completed leaves its course incomplete: no need to ask the database.
    done = lesson_complete or progress.completed_at is not None
    return Completion(lesson_complete, done and is_course_complete(user_id, course_id))


def is_course_complete(user_id: int, course_id: int) -> bool:
    """Whether every lesson of the course is complete for this learner (one query)."""
    lessons = catalog.lesson_ids_of(course_id).subquery()
    total = select(func.count()).select_from(lessons).scalar_subquery()
    done = (
        select(func.count(LessonProgress.id))
        .where(
            LessonProgress.user_id == user_id,
            LessonProgress.lesson_id.in_(select(lessons.c.id)),
            LessonProgress.completed_at.is_not(None),
        )
        .scalar_subquery()
    )
    total, done = db.session.execute(select(total, done)).one()
    return total > 0 and done == total


def complete_where_finished(course_id: int) -> list[int]:
    """After the course lost a lesson: complete it, and award its hours, for each enrolled
    learner who has completed every lesson left (no beat of theirs would do it now). Commits;
    returns their ids."""
    lessons = catalog.lesson_ids_of(course_id)
    total = db.session.scalar(select(func.count()).select_from(lessons.subquery()))
    if not total:
        return []
    enrolled = select(Enrolment.user_id).where(
        Enrolment.course_id == course_id, Enrolment.revoked_at.is_(None)
    )
    completed = select(CourseCompletion.user_id).where(CourseCompletion.course_id == course_id)
    finished = db.session.scalars(
        select(LessonProgress.user_id)
        .where(
            LessonProgress.lesson_id.in_(lessons),
            LessonProgress.completed_at.is_not(None),
            LessonProgress.user_id.in_(enrolled),
            LessonProgress.user_id.not_in(completed),
        )
        .group_by(LessonProgress.user_id)
        .having(func.count(LessonProgress.id) == total)
    ).all()
    now = clock.now()
    for user_id in finished:
        _complete_course(user_id, course_id, now)
    db.session.commit()
    return list(finished)


def _complete_course(user_id: int, course_id: int, now: datetime) -> list:
    """Record the course's completion and award its hours; [] if it was completed before, or
    if the learner's access has ended (refunded): a completion needs an enrolment in force."""
    enrolled = select(Enrolment.id).where(
        Enrolment.user_id == user_id,
        Enrolment.course_id == course_id,
        Enrolment.revoked_at.is_(None),
    )
    if db.session.scalar(enrolled) is None:
        return []
    try:
        with db.session.begin_nested():
            db.session.add(CourseCompletion(user_id=user_id, course_id=course_id, completed_at=now))
    except IntegrityError:  # completed already: the award was made then
        return []
    return credits.award_course_credits(user_id, course_id)


def course_completion(user_id: int, course_id: int) -> CourseCompletion | None:
    """The learner's completion of a course, if they completed it."""
    return db.session.scalar(
        select(CourseCompletion).where(
            CourseCompletion.user_id == user_id, CourseCompletion.course_id == course_id
        )
    )


def completions_by_course(user_id: int, course_ids: list[int]) -> dict[int, CourseCompletion]:
    """The learner's completions of these courses keyed by course id, in one query; a course
    not completed has no key."""
    if not course_ids:
        return {}
    return {
        c.course_id: c
        for c in db.session.scalars(
            select(CourseCompletion).where(
                CourseCompletion.user_id == user_id, CourseCompletion.course_id.in_(course_ids)
            )
        )
    }
