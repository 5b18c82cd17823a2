"""/me/account/export: a copy of one's personal information; /me/account/delete: deleting the
account (privacy/services.py says what goes and what stays)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.auth import sessions
from academy.errors import Refusal
from academy.privacy import services as privacy
from academy.privacy.forms import EraseAccountForm

bp = Blueprint("privacy", __name__, template_folder="templates")


@bp.get("/me/account/export")
@login_required
def export_personal_data():
    body = json.dumps(privacy.personal_data(current_user), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-personal-data.json"'
    return response


@bp.route("/me/account/delete", methods=["GET", "POST"])
@login_required
def erase_account():
    form = EraseAccountForm()
    if form.validate_on_submit():
        try:
            privacy.erase_account(
                current_user._get_current_object(), form.password.data, request.remote_addr or ""
            )
        except Refusal as refusal:
            target = form.password if refusal.code == "invalid_credentials" else form.understood
            target.errors.append(refusal.message)
        else:
            sessions.log_out()
            flash(_("账号已注销，您的个人信息已删除。"), "success")
            return redirect(url_for("catalog.home"))
    status = 422 if request.method == "POST" else 200
    return render_template("privacy/erase.html", form=form), status
