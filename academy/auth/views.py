"""Login, registration, logout and password-change pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_required

from academy.auth import profile as profiles
from academy.auth import services as accounts
from academy.auth import sessions
from academy.auth.forms import LoginForm, PasswordChangeForm, ProfileForm, RegisterForm
from academy.credits import declarations
from academy.errors import Refusal

bp = Blueprint("auth", __name__, template_folder="templates")


def init_login(manager: LoginManager) -> None:
    manager.login_view = "auth.login"
    manager.login_message = None
    # The per-login token in the cookies is looked up on the server: a logout anywhere ends it.
    manager.user_loader(sessions.user_for_token)

    @manager.unauthorized_handler
    def unauthorized():
        if request.blueprint == "api":
            body = {"error": {"code": "login_required", "message": _("请先登录。")}}
            return jsonify(body), 401
        flash(_("请先登录。"), "info")
        return redirect(url_for("auth.login", next=request.full_path))


def _safe_next(target: str | None) -> str:
    """Only follow a relative `next`, never off-site (nor a malformed one, e.g. `//[`)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        try:
            if urlsplit(target).netloc == "":
                return target
        except ValueError:
            pass
    return url_for("catalog.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                form.username.data, form.password.data, request.remote_addr or ""
            )
        except Refusal as refusal:
            flash(refusal.message, "error")
            status = refusal.status
        else:
            sessions.log_in(user, remember=bool(form.remember.data))
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.username.data, form.password.data, nickname=form.nickname.data or ""
            )
        except Refusal as refusal:
            field = {"weak_password": form.password, "invalid_text": form.nickname}.get(
                refusal.code, form.username
            )
            field.errors.append(refusal.message)
        else:
            sessions.log_in(user)
            flash(_("注册成功，欢迎来到学院！"), "success")
            return redirect(_safe_next(request.args.get("next")))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/register.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    sessions.log_out()
    flash(_("您已退出登录。"), "success")
    return redirect(url_for("catalog.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                request.remote_addr or "",
            )
        except Refusal as refusal:
            field = form.current_password if refusal.code != "weak_password" else form.new_password
            field.errors.append(refusal.message)
        else:
            # Every login of the account has ended; this browser continues in a new one.
            sessions.log_in(current_user._get_current_object())
            flash(_("密码已修改，其他设备上的登录均已退出。"), "success")
            return redirect(url_for("auth.change_password"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/password.html", form=form), status


@bp.app_context_processor
def profile_reminders() -> dict:
    """Every page: the profile reminders due to the logged-in learner, for base.html."""
    due = profiles.reminders_for(current_user) if current_user.is_authenticated else []
    for reminder in due:
        reminder["labels"] = [str(profiles.LABELS[name]) for name in reminder["missing"]]
    return {"profile_reminders": due}


@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user)
    status = 200
    if form.validate_on_submit():
        try:
            profiles.update_profile(
                current_user, {name: form[name].data for name in profiles.EDITABLE}
            )
        except profiles.ProfileInvalid as invalid:
            for name, (_code, message) in invalid.fields.items():
                form[name].errors.append(message)
            status = 422
        else:
            flash(_("个人资料已保存。"), "success")
            return redirect(url_for("auth.edit_profile"))
    elif request.method == "POST":
        status = 422
    held = declarations.list_declarations(current_user.id)
    return render_template("auth/profile.html", form=form, certificates=held), status


@bp.post("/me/reminders/<kind>/dismiss")
@login_required
def dismiss_reminder(kind: str):
    try:
        profiles.dismiss_reminder(current_user.id, kind)
    except Refusal:
        abort(404)
    return redirect(_safe_next(request.form.get("next")))
