"""/api/v1/me: the learner's own progress and credit hours."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user, login_required

from academy.api import bp
from academy.credits import services as credits
from academy.learning import services as learning


@bp.get("/me/progress")
@login_required
def my_progress():
    rows = learning.progress_by_lesson(current_user.id).values()
    return jsonify(
        {
            "lessons": [
                {
                    "lesson_id": p.lesson_id,
                    "course_id": p.lesson.course_id,
                    "verified": p.verified_ms / 1000,
                    "duration": p.lesson.duration_ms / 1000,
                    "complete": p.completed_at is not None,
                }
                for p in sorted(rows, key=lambda p: p.lesson_id)
            ]
        }
    )


@bp.get("/me/credits")
@login_required
def my_credits():
    entries = credits.ledger_for(current_user.id)
    return jsonify(
        {
            "entries": [
                {
                    "course_id": e.course_id,
                    "credit_type": e.credit_type.code,
                    "credit_type_name": e.credit_type.name,
                    "kind": e.kind,
                    "hours": credits.centihours_to_hours(e.centihours),
                    "awarded_at": e.awarded_at.isoformat() + "Z",
                }
                for e in entries
            ],
            "totals": {
                code: credits.centihours_to_hours(total)
                for code, total in credits.totals_by_type(entries).items()
            },
        }
    )
