"""/api/v1/auth: log in and out, and who am I."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from academy.api import bp, field, json_body
from academy.auth import services as accounts
from academy.extensions import csrf


@bp.post("/auth/login")
@csrf.exempt  # the token is what this call hands out; a client has none before it
def login():
    data = json_body()
    user = accounts.authenticate(field(data, "username", str), field(data, "password", str))
    login_user(user)
    return jsonify({"user": user.to_json(), "csrf_token": generate_csrf()})


@bp.post("/auth/logout")
@login_required
def logout():
    logout_user()
    return jsonify({"ok": True})


@bp.get("/auth/me")
@login_required
def me():
    return jsonify({"user": current_user.to_json(), "csrf_token": generate_csrf()})
