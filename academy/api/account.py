"""/api/v1/me/account: a copy of one's personal information, and deleting the account, as the
pages /me/account/export and /me/account/delete offer them (privacy/services.py says what goes
and what stays)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.api import bp, field, json_body
from academy.auth import sessions
from academy.errors import Refusal
from academy.privacy import services as privacy


@bp.get("/me/account/export")
@login_required
def export_my_personal_data():
    return jsonify(privacy.personal_data(current_user))


@bp.post("/me/account/delete")
@login_required
def erase_my_account():
    """Irreversible, so the body must say so ("confirm": true) besides proving who asks."""
    data = json_body()
    password = field(data, "password", str)
    if field(data, "confirm", bool, required=False) is not True:
        raise Refusal(
            "not_confirmed", _("注销后无法恢复：请确认（confirm 为 true）后再提交。"), 422
        )
    privacy.erase_account(current_user._get_current_object(), password, request.remote_addr or "")
    sessions.log_out()
    return jsonify({"ok": True})
