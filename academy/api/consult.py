"""/api/v1 consultation (课程咨询): asking, the learner's messages, replying, closing."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.api import bp, field, json_body
from academy.catalog import access
from academy.consult import services as consult
from academy.consult.limits import consult_posts
from academy.consult.models import Side, Thread
from academy.errors import Refusal


def thread_json(thread: Thread) -> dict:
    """A thread as its learner sees it; texts as typed (clients escape them when they show them)."""
    return {
        "id": thread.id,
        "course_id": thread.course_id,
        "course_title": thread.course.title,
        "status": thread.status,
        "unread": thread.unread_for(Side.LEARNER),
        "messages": [
            {
                "id": m.id,
                "from": m.side,
                "text": m.text,
                "created_at": m.created_at.isoformat() + "Z",
            }
            for m in thread.messages
        ],
    }


@bp.post("/courses/<int:course_id>/questions")
@login_required
@consult_posts
def ask_question(course_id: int):
    course = access.open_course(current_user, course_id)
    if course is None:
        raise Refusal("not_found", _("课程不存在。"), 404)
    text = field(json_body(), "text", str)
    thread = consult.ask_question(current_user, course, text)
    return jsonify({"thread": thread_json(consult.learner_thread(current_user.id, thread.id))}), 201


@bp.get("/me/messages")
@login_required
def my_messages():
    threads = [thread_json(t) for t in consult.learner_threads(current_user.id)]
    return jsonify({"threads": threads, "unread": sum(t["unread"] for t in threads)})


@bp.post("/me/messages/<int:thread_id>/replies")
@login_required
@consult_posts
def reply_to_thread(thread_id: int):
    thread = consult.learner_thread(current_user.id, thread_id)
    text = field(json_body(), "text", str)
    consult.reply(thread, current_user, Side.LEARNER, text)
    return jsonify({"thread": thread_json(consult.learner_thread(current_user.id, thread_id))}), 201


@bp.post("/me/messages/<int:thread_id>/close")
@login_required
def close_thread(thread_id: int):
    thread = consult.close_thread(consult.learner_thread(current_user.id, thread_id), current_user)
    return jsonify({"thread": thread_json(thread)})


@bp.post("/me/messages/<int:thread_id>/read")
@login_required
def read_thread(thread_id: int):
    thread = consult.learner_thread(current_user.id, thread_id)
    consult.mark_read(thread, Side.LEARNER)
    return jsonify({"thread": thread_json(thread)})
