"""Login, registration and logout pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, login_required, login_user, logout_user

from academy.auth import services as accounts
from academy.auth.forms import LoginForm, RegisterForm
from academy.auth.models import User
from academy.errors import Refusal
from academy.extensions import db

bp = Blueprint("auth", __name__, template_folder="templates")


def init_login(manager: LoginManager) -> None:
    manager.login_view = "auth.login"
    manager.login_message = None

    @manager.user_loader
    def load_user(user_id: str) -> User | None:
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None

    @manager.unauthorized_handler
    def unauthorized():
        if request.blueprint == "api":
            body = {"error": {"code": "login_required", "message": _("请先登录。")}}
            return jsonify(body), 401
        flash(_("请先登录。"), "info")
        return redirect(url_for("auth.login", next=request.full_path))


def _safe_next(target: str | None) -> str:
    """Only follow a relative `next`, never off-site."""
    if (
        target
        and urlsplit(target).netloc == ""
        and target.startswith("/")
        and not target.startswith("//")
    ):
        return target
    return url_for("catalog.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.username.data, form.password.data)
        except Refusal as refusal:
            flash(refusal.message, "error")
        else:
            login_user(user, remember=True)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.username.data, form.password.data, nickname=form.nickname.data or ""
            )
        except Refusal as refusal:
            flash(refusal.message, "error")
        else:
            login_user(user)
            flash(_("注册成功，欢迎来到学院！"), "success")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/register.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("catalog.home"))
