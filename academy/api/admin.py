"""/api/v1/admin: what admins read by program; for now a learner's xAPI statements."""

from __future__ import annotations

from flask import Response, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.api import bp
from academy.auth.models import User
from academy.errors import Refusal
from academy.extensions import db
from academy.xapi import export, outbox


@bp.get("/admin/learners/<int:user_id>/statements")
@login_required
def learner_statements(user_id: int):
    """The learner's statements as the LRS receives them, oldest first (docs/xapi.md)."""
    if not current_user.is_admin:
        raise Refusal("admin_required", _("仅管理员可以查看。"), 403)
    user = db.session.get(User, user_id)
    if user is None:
        raise Refusal("not_found", _("学员不存在。"), 404)
    lines = stream_with_context(export.learner_json(outbox.site(), user.id))
    return Response(lines, mimetype="application/json")
