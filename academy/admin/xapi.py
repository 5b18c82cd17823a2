"""Admin: a learner's learning records as xAPI statements, downloaded as JSON (docs/xapi.md)."""

from __future__ import annotations

from flask import Response, abort, stream_with_context

from academy.admin.views import bp
from academy.auth.decorators import admin_required
from academy.auth.models import User
from academy.extensions import db
from academy.xapi import export, outbox


@bp.get("/learners/<int:user_id>/xapi.json")
@admin_required
def export_statements(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    lines = stream_with_context(export.learner_json(outbox.site(), user.id))
    response = Response(lines, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename(user.id)}"'
    return response
