"""Every write and rule of consultation: asking, replying, closing, reading, and the lists."""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from academy import clock
from academy.auth.models import InstructorProfile
from academy.catalog.models import Course
from academy.consult.models import (
    MAX_MESSAGE_CHARS,
    TRANSITIONS,
    Message,
    Side,
    Thread,
    ThreadStatus,
)
from academy.errors import Refusal
from academy.extensions import db

#: threads on one staff page; the oldest questions waiting longest come first
STAFF_PAGE_SIZE = 100


def clean_text(raw: str) -> str:
    """The message as it will be stored: line breaks as \\n, trimmed, within the bounds."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise Refusal("empty_text", _("咨询内容不能为空。"), 422)
    if len(text) > MAX_MESSAGE_CHARS:
        raise Refusal(
            "too_long",
            _("咨询内容最多 %(max)d 个字，当前 %(n)d 个字。", max=MAX_MESSAGE_CHARS, n=len(text)),
            422,
        )
    # control characters (NUL among them, which PostgreSQL cannot store) are no one's typing
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise Refusal("invalid_text", _("咨询内容含有无法显示的控制字符。"), 422)
    return text


def is_staff_for(user, course) -> bool:
    """Admins answer every course's questions; an instructor, their own courses' only."""
    if user.role == "admin":
        return True
    return course.instructor is not None and course.instructor.user_id == user.id


def ask_question(user, course, text: str) -> Thread:
    """A logged-in learner asks about a course (no purchase needed): a new open thread."""
    body = clean_text(text)
    now = clock.now()
    thread = Thread(course_id=course.id, learner_id=user.id, last_message_at=now)
    thread.messages.append(Message(author_id=user.id, side=Side.LEARNER, text=body))
    db.session.add(thread)
    db.session.flush()
    thread.learner_read_id = thread.messages[0].id  # one's own words are read
    db.session.commit()
    return thread


def _not_found() -> Refusal:
    return Refusal("not_found", _("咨询不存在。"), 404)


def _closed(*, closing: bool = False) -> Refusal:
    """The thread is closed: said as what was tried (a reply, or closing it again)."""
    if closing:
        return Refusal("thread_closed", _("该咨询已经关闭了。"), 409)
    return Refusal("thread_closed", _("该咨询已关闭，不能再回复。"), 409)


def _load(where) -> Thread | None:
    return db.session.scalar(
        select(Thread)
        .where(where)
        .options(selectinload(Thread.messages), selectinload(Thread.course))
        .execution_options(populate_existing=True)
    )


def learner_thread(user_id: int, thread_id: int) -> Thread:
    """The learner's own thread; anyone else's is 404."""
    thread = _load((Thread.id == thread_id) & (Thread.learner_id == user_id))
    if thread is None:
        raise _not_found()
    return thread


def staff_thread(user, thread_id: int) -> Thread:
    """A thread this admin or instructor answers; a thread of another's course is 404."""
    thread = _load(Thread.id == thread_id)
    if thread is None or not is_staff_for(user, thread.course):
        raise _not_found()
    return thread


def reply(thread: Thread, author, side: Side, text: str) -> Message:
    """Add a message to an open thread; the author's side has then read everything."""
    body = clean_text(text)
    message = Message(thread_id=thread.id, author_id=author.id, side=side, text=body)
    db.session.add(message)
    db.session.flush()
    marker = Thread.learner_read_id if side == Side.LEARNER else Thread.staff_read_id
    # conditional: a thread closed by a racing request takes no reply
    moved = db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id, Thread.status == ThreadStatus.OPEN)
        .values({Thread.last_message_at: clock.now(), marker: message.id})
    )
    if moved.rowcount != 1:
        db.session.rollback()
        raise _closed(closing=True)
    db.session.commit()
    return message


def close_thread(thread: Thread, user) -> Thread:
    """The learner or staff closes a thread; a closed one stays closed."""
    current = ThreadStatus(thread.status)
    if ThreadStatus.CLOSED not in TRANSITIONS[current]:
        raise _closed(closing=True)
    moved = db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id, Thread.status == current)
        .values(status=ThreadStatus.CLOSED, closed_at=clock.now(), closed_by_id=user.id)
    )
    if moved.rowcount != 1:
        db.session.rollback()
        raise _closed(closing=True)
    db.session.commit()
    db.session.refresh(thread)
    return thread


def mark_read(thread: Thread, side: Side) -> None:
    """This side has read every message of the thread so far."""
    last = max((m.id for m in thread.messages), default=0)
    marker = Thread.learner_read_id if side == Side.LEARNER else Thread.staff_read_id
    db.session.execute(
        update(Thread).where(Thread.id == thread.id, marker < last).values({marker: last})
    )
    db.session.commit()
    db.session.refresh(thread)


def mark_all_read(learner_id: int) -> None:
    """The learner has read every reply in all their threads (the /me/messages page)."""
    latest = select(func.max(Message.id)).where(Message.thread_id == Thread.id).scalar_subquery()
    db.session.execute(
        update(Thread)
        .where(Thread.learner_id == learner_id, Thread.learner_read_id < latest)
        .values(learner_read_id=latest)
    )
    db.session.commit()


def unread_count(learner_id: int) -> int:
    """Staff replies the learner has not read, across their threads: one query (the header)."""
    return db.session.scalar(
        select(func.count(Message.id))
        .join(Thread, Thread.id == Message.thread_id)
        .where(
            Thread.learner_id == learner_id,
            Message.side == Side.STAFF,
            Message.id > Thread.learner_read_id,
        )
    )


def learner_threads(learner_id: int) -> list[Thread]:
    """The learner's threads, the most recently active first, with their messages."""
    return list(
        db.session.scalars(
            select(Thread)
            .where(Thread.learner_id == learner_id)
            .options(selectinload(Thread.messages), selectinload(Thread.course))
            .order_by(Thread.last_message_at.desc(), Thread.id.desc())
            .execution_options(populate_existing=True)
        )
    )


def staff_threads(user, *, mine_only: bool, status: ThreadStatus = ThreadStatus.OPEN):
    """Threads staff answer: of the user's own courses (studio) or all (admin), oldest first."""
    query = (
        select(Thread)
        .where(Thread.status == status)
        .options(
            selectinload(Thread.messages).selectinload(Message.author),
            selectinload(Thread.course),
            selectinload(Thread.learner),
        )
        .order_by(Thread.last_message_at, Thread.id)
        .limit(STAFF_PAGE_SIZE)
    )
    if mine_only:
        query = (
            query.join(Course, Course.id == Thread.course_id)
            .join(InstructorProfile, InstructorProfile.id == Course.instructor_id)
            .where(InstructorProfile.user_id == user.id)
        )
    return list(db.session.scalars(query))
