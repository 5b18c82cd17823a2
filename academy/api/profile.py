"""/api/v1/me/profile and /api/v1/me/reminders: the learner's profile and its reminders."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user, login_required

from academy.api import bp, error_response, field, json_body
from academy.auth import profile as profiles


def _profile_json(user) -> dict:
    return {
        "username": user.username,
        "nickname": user.nickname,
        "real_name": user.real_name,
        "birthday": user.birthday.isoformat() if user.birthday else None,
        "employer": user.employer,
        "email": user.email,
        "phone": user.phone,
        "updated_at": user.profile_updated_at.isoformat() + "Z"
        if user.profile_updated_at
        else None,
        "missing": profiles.missing_fields(user),
    }


@bp.get("/me/profile")
@login_required
def my_profile():
    return jsonify(_profile_json(current_user))


@bp.put("/me/profile")
@login_required
def update_my_profile():
    data = json_body()
    # each editable field is a string (birthday: YYYY-MM-DD); absent: unchanged; "" or null clears
    values = {}
    for name in profiles.EDITABLE:
        if name in data:
            values[name] = field(data, name, str, required=False) or ""
    try:
        profiles.update_profile(current_user, values)
    except profiles.ProfileInvalid as invalid:
        fields = {
            name: {"code": code, "message": message}
            for name, (code, message) in invalid.fields.items()
        }
        return error_response(invalid.code, invalid.message, invalid.status, fields=fields)
    return jsonify(_profile_json(current_user))


@bp.get("/me/reminders")
@login_required
def my_reminders():
    return jsonify({"reminders": profiles.reminders_for(current_user)})


@bp.post("/me/reminders/<kind>/dismiss")
@login_required
def dismiss_my_reminder(kind: str):
    until = profiles.dismiss_reminder(current_user.id, kind)
    return jsonify({"kind": kind, "hidden_until": until.isoformat() + "Z"})
