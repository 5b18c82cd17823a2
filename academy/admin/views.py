"""Admin pages: player settings and the viewing log of each learner and lesson."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.admin.forms import PlayerSettingsForm
from academy.auth import services as accounts
from academy.auth import sessions
from academy.auth.decorators import admin_required
from academy.auth.models import ROLE_NAMES, Role, User
from academy.catalog.models import Lesson
from academy.errors import Refusal
from academy.extensions import db
from academy.learning import rules
from academy.learning import services as learning

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.route("/", methods=["GET", "POST"])
@admin_required
def settings():
    current = learning.get_player_settings()
    form = PlayerSettingsForm(
        data={
            "max_rate": current.max_rate_centi / 100,
            "popups_per_50min": current.popups_per_50min,
            "min_popups_per_lesson": current.min_popups_per_lesson,
            "heartbeat_seconds": current.heartbeat_seconds,
            "tolerance_seconds": current.tolerance_ms / 1000,
            "knowledge_checks": current.knowledge_checks,
            "wrong_answer_rewind_seconds": current.wrong_answer_rewind_seconds,
        }
    )
    if form.validate_on_submit():
        try:
            learning.update_player_settings(
                {
                    "max_rate_centi": rules.rate_to_centi(float(form.max_rate.data)),
                    "popups_per_50min": form.popups_per_50min.data,
                    "min_popups_per_lesson": form.min_popups_per_lesson.data,
                    "heartbeat_seconds": form.heartbeat_seconds.data,
                    "tolerance_ms": int(form.tolerance_seconds.data * 1000),
                    "knowledge_checks": bool(form.knowledge_checks.data),
                    "wrong_answer_rewind_seconds": form.wrong_answer_rewind_seconds.data,
                }
            )
        except Refusal as refusal:
            flash(refusal.message, "error")
        else:
            flash(_("设置已保存，对之后开始的学习会话生效。"), "success")
            return redirect(url_for("admin.settings"))
    status = 422 if request.method == "POST" else 200  # refused: said beside the fields
    return render_template("admin/settings.html", form=form), status


@bp.get("/learners")
@admin_required
def learners():
    """The accounts of one role (?role=, learners by default): learners apart from staff."""
    role = request.args.get("role", Role.LEARNER)
    if role not in set(Role):
        role = Role.LEARNER
    return render_template(
        "admin/learners.html",
        users=accounts.list_users(Role(role)),
        role=Role(role),
        counts=accounts.count_by_role(),
        role_names=ROLE_NAMES,
    )


@bp.get("/learners/<int:user_id>")
@admin_required
def learner(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    progress = learning.progress_by_lesson(user.id, with_lessons=True)
    return render_template(
        "admin/learner.html",
        user=user,
        progress=progress,
        open_sessions=sessions.open_sessions(user.id),
    )


@bp.post("/learners/<int:user_id>/disabled")
@admin_required
def set_account_disabled(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:  # an admin cannot lock themselves out
        abort(403)
    disabled = request.form.get("disabled") == "1"
    try:
        accounts.set_disabled(user, disabled)
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash(_("账号已停用，其所有登录均已退出。") if disabled else _("账号已恢复。"), "success")
    return redirect(url_for("admin.learner", user_id=user.id))


@bp.get("/learners/<int:user_id>/lessons/<int:lesson_id>")
@admin_required
def viewing_log(user_id: int, lesson_id: int):
    user = db.session.get(User, user_id) or abort(404)
    lesson = db.session.get(Lesson, lesson_id) or abort(404)
    return render_template(
        "admin/viewing_log.html",
        user=user,
        lesson=lesson,
        **learning.viewing_log(user.id, lesson.id),
    )


from academy.admin import commerce as _commerce  # noqa: E402,F401  (plans and orders on bp)
from academy.admin import credits as _credits  # noqa: E402,F401  (credit rules pages on bp)
from academy.admin import xapi as _xapi  # noqa: E402,F401  (xAPI export on bp)
