"""/api/v1/auth: log in and out, who am I, change the password."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from academy.api import bp, field, json_body
from academy.auth import services as accounts
from academy.auth import sessions
from academy.extensions import csrf


@bp.post("/auth/login")
@csrf.exempt  # the token is what this call hands out; a client has none before it
def login():
    data = json_body()
    user = accounts.authenticate(
        field(data, "username", str), field(data, "password", str), request.remote_addr or ""
    )
    sessions.log_in(user, remember=bool(field(data, "remember", bool, required=False)))
    return jsonify({"user": user.to_json(), "csrf_token": generate_csrf()})


@bp.post("/auth/logout")
@login_required
def logout():
    sessions.log_out()
    return jsonify({"ok": True})


@bp.get("/auth/me")
@login_required
def me():
    return jsonify({"user": current_user.to_json(), "csrf_token": generate_csrf()})


@bp.post("/auth/password")
@login_required
def change_password():
    """Every login of the account ends; this client continues in a new one (new CSRF token)."""
    data = json_body()
    user = current_user._get_current_object()
    accounts.change_password(
        user,
        field(data, "current_password", str),
        field(data, "new_password", str),
        request.remote_addr or "",
    )
    sessions.log_in(user)
    return jsonify({"ok": True, "csrf_token": generate_csrf()})
