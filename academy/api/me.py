"""/api/v1/me: the learner's own progress, credit hours and declared certificates."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.api import bp, field, json_body
from academy.credits import declarations, progress
from academy.credits import services as credits
from academy.errors import Refusal
from academy.learning import services as learning

#: more certificates than credit types exist is not a declaration but a flood
MAX_DECLARATIONS = 20


@bp.get("/me/progress")
@login_required
def my_progress():
    rows = learning.progress_by_lesson(current_user.id, with_lessons=True).values()
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


def _span_json(span) -> dict:
    """A stretch of a cycle; "end" is its last day (inclusive), as people read a period."""
    return {
        "start": span.start.isoformat(),
        "end": span.last_day.isoformat(),
        "earned": credits.centihours_to_hours(span.earned),
        "required": credits.centihours_to_hours(span.required),
        "met": span.met,
    }


def _entry_json(e) -> dict:
    return {
        "course_id": e.course_id,
        "credit_type": e.credit_type.code,
        "credit_type_name": e.credit_type.name,
        "kind": e.kind,
        "hours": credits.centihours_to_hours(e.centihours),
        "awarded_at": e.awarded_at.isoformat() + "Z",
        "earned_on": credits.entry_day(e).isoformat(),
        "source": e.source,
        "rule": e.rule,
        "capped_hours": credits.centihours_to_hours(e.capped_centihours),
        "quota_before": None
        if e.quota_before_centihours is None
        else credits.centihours_to_hours(e.quota_before_centihours),
        "quota_after": None
        if e.quota_after_centihours is None
        else credits.centihours_to_hours(e.quota_after_centihours),
        "why": credits.explain(e),
    }


@bp.get("/me/credits")
@login_required
def my_credits():
    entries = credits.ledger_for(current_user.id)
    cycles = []
    for kind in progress.progress_for(current_user.id, entries):
        for cycle in kind.cycles:
            cycles.append(
                {
                    "credit_type": kind.credit_type.code,
                    **_span_json(cycle.total),
                    "years": [_span_json(year) for year in cycle.years],
                    "required_courses": _span_json(cycle.required_courses),
                    "met": cycle.met,
                }
            )
    return jsonify(
        {
            "entries": [_entry_json(e) for e in entries],
            "totals": {
                code: credits.centihours_to_hours(total)
                for code, total in credits.totals_by_type(entries).items()
            },
            "cycles": cycles,
        }
    )


def _certificates_json(user_id: int) -> dict:
    return {
        "certificates": [
            {
                "type": d.credit_type.code,
                "name": d.credit_type.name,
                "number": d.number,
                "obtained_on": d.obtained_on.isoformat(),
            }
            for d in declarations.list_declarations(user_id)
        ]
    }


@bp.get("/me/certificates")
@login_required
def my_certificates():
    return jsonify(_certificates_json(current_user.id))


@bp.put("/me/certificates")
@login_required
def declare_certificates():
    items = field(json_body(), "certificates", list)
    if len(items) > MAX_DECLARATIONS or not all(isinstance(i, dict) for i in items):
        raise Refusal("invalid_field", _("字段 %(name)s 的类型不正确。", name="certificates"), 422)
    declarations.declare_certificates(
        current_user.id, declarations.parse_declarations(items, current_user.id)
    )
    return jsonify(_certificates_json(current_user.id))
