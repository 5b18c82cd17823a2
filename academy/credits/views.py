"""The learner's credit hours page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from academy.catalog.models import Course
from academy.credits import services as credits
from academy.extensions import db

bp = Blueprint("credits", __name__, template_folder="templates")


@bp.get("/me/credits")
@login_required
def my_credits():
    entries = credits.ledger_for(current_user.id)
    courses = {e.course_id: db.session.get(Course, e.course_id) for e in entries}
    return render_template(
        "credits/my_credits.html",
        entries=entries,
        courses=courses,
        totals=credits.totals_by_type(entries),
        credit_types=credits.list_credit_types(),
    )
