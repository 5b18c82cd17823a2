"""Consultation pages: the course page's form, /me/messages, /studio and /admin/questions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.auth.decorators import admin_required, role_required
from academy.catalog import access
from academy.consult import services as consult
from academy.consult.limits import consult_posts
from academy.consult.models import MAX_MESSAGE_CHARS, Side, ThreadStatus
from academy.errors import Refusal, keep_refused_form

bp = Blueprint("consult", __name__, template_folder="templates")


@bp.app_context_processor
def _consult_globals():
    def unread_messages() -> int:
        """The header's badge: called only for a logged-in user, one query."""
        return consult.unread_count(current_user.id)

    return {"unread_messages": unread_messages, "consult_max_chars": MAX_MESSAGE_CHARS}


def _flash_refusal(refusal: Refusal) -> None:
    if refusal.status == 404:
        abort(404)
    flash(refusal.message, "error")


def _keep_refused_reply(refusal: Refusal, thread_id: int) -> None:
    """A refused reply (a thread closed meanwhile, text refused) comes back beside its thread
    with what was typed."""
    if refusal.status == 404:
        abort(404)
    values = {"text": request.form.get("text", "")}
    keep_refused_form(f"reply-{thread_id}", refusal, values, field=f"reply-text-{thread_id}")


@bp.post("/courses/<int:course_id>/questions")
@login_required
@consult_posts
def ask_question(course_id: int):
    course = access.open_course(current_user, course_id) or abort(404)
    try:
        consult.ask_question(current_user, course, request.form.get("text", ""))
    except Refusal as refusal:
        values = {"text": request.form.get("text", "")}
        keep_refused_form("consult", refusal, values, field="consult-text")
        return redirect(url_for("catalog.course", course_id=course.id, _anchor="consult"))
    flash(_("咨询已提交，讲师回复后会在“我的消息”中通知您。"), "success")
    return redirect(url_for("consult.my_messages"))


@bp.get("/me/messages")
@login_required
def my_messages():
    threads = consult.learner_threads(current_user.id)
    # what was unread is shown as such this once; the page then counts as read
    unread = {thread.id: thread.unread_for(Side.LEARNER) for thread in threads}
    consult.mark_all_read(current_user.id)
    # not `unread`: base.html sets that name (the header's count), which a block would see
    return render_template("consult/messages.html", threads=threads, unread_by_thread=unread)


@bp.post("/me/messages/<int:thread_id>/replies")
@login_required
@consult_posts
def learner_reply(thread_id: int):
    try:
        thread = consult.learner_thread(current_user.id, thread_id)
        consult.reply(thread, current_user, Side.LEARNER, request.form.get("text", ""))
    except Refusal as refusal:
        _keep_refused_reply(refusal, thread_id)
    else:
        flash(_("回复已发送。"), "success")
    return redirect(url_for("consult.my_messages", _anchor=f"thread-{thread_id}"))


@bp.post("/me/messages/<int:thread_id>/close")
@login_required
def learner_close(thread_id: int):
    try:
        consult.close_thread(consult.learner_thread(current_user.id, thread_id), current_user)
    except Refusal as refusal:
        _flash_refusal(refusal)
    else:
        flash(_("咨询已关闭。"), "success")
    return redirect(url_for("consult.my_messages", _anchor=f"thread-{thread_id}"))


def _questions_page(scope: str):
    closed = request.args.get("status") == "closed"
    threads = consult.staff_threads(
        current_user,
        mine_only=scope == "studio",
        status=ThreadStatus.CLOSED if closed else ThreadStatus.OPEN,
    )
    return render_template("consult/questions.html", threads=threads, scope=scope, closed=closed)


def _staff_act(scope: str, thread_id: int, act) -> object:
    try:
        thread = consult.staff_thread(current_user, thread_id)
        act(thread)
    except Refusal as refusal:
        _flash_refusal(refusal)
    return redirect(url_for(f"consult.{scope}_questions"))


def _staff_reply(scope: str, thread_id: int):
    thread = None
    try:
        thread = consult.staff_thread(current_user, thread_id)
        consult.reply(thread, current_user, Side.STAFF, request.form.get("text", ""))
    except Refusal as refusal:
        _keep_refused_reply(refusal, thread_id)
    else:
        flash(_("回复已发送。"), "success")
    # a thread closed meanwhile is listed among the closed ones, with the reply that was refused
    status = "closed" if thread is not None and thread.closed else None
    return redirect(
        url_for(f"consult.{scope}_questions", status=status, _anchor=f"thread-{thread_id}")
    )


def _staff_close(scope: str, thread_id: int):
    def act(thread):
        consult.close_thread(thread, current_user)
        flash(_("咨询已关闭。"), "success")

    return _staff_act(scope, thread_id, act)


@bp.get("/studio/questions")
@role_required("instructor", "admin")
def studio_questions():
    return _questions_page("studio")


@bp.post("/studio/questions/<int:thread_id>/replies")
@role_required("instructor", "admin")
def studio_reply(thread_id: int):
    return _staff_reply("studio", thread_id)


@bp.post("/studio/questions/<int:thread_id>/close")
@role_required("instructor", "admin")
def studio_close(thread_id: int):
    return _staff_close("studio", thread_id)


@bp.get("/admin/questions")
@admin_required
def admin_questions():
    return _questions_page("admin")


@bp.post("/admin/questions/<int:thread_id>/replies")
@admin_required
def admin_reply(thread_id: int):
    return _staff_reply("admin", thread_id)


@bp.post("/admin/questions/<int:thread_id>/close")
@admin_required
def admin_close(thread_id: int):
    return _staff_close("admin", thread_id)
