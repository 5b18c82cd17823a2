"""Admin pages for the credit rules: credit types and their requirements, each course's hours
and eligibility, learners' ledgers with corrections, and the CSV export of hours."""

from __future__ import annotations

from datetime import date

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from academy.admin.views import bp
from academy.auth.decorators import admin_required
from academy.auth.models import User
from academy.catalog.models import Course
from academy.credits import configure, export, progress
from academy.credits import services as credits
from academy.credits.models import CreditType
from academy.errors import Refusal, form_errors
from academy.extensions import db

#: the longest export range: a certification body asks for a cycle or a few, never more
EXPORT_MAX_DAYS = 10 * 366


#: the field of the credit-type form each of configure's refusals is about
TYPE_FIELDS = {
    "invalid_code": "code",
    "duplicate_code": "code",
    "invalid_name": "name",
    "invalid_cycle": "cycle_years",
}


#: the field of the correction form each of the ledger's refusals is about
CORRECTION_FIELDS = {
    "note_required": "note",
    "note_too_long": "note",
    "invalid_field": "hours",
    "negative_total": "hours",
}


def _type_values(form) -> configure.CreditTypeValues:
    def hours(name: str) -> int:
        try:
            return configure.parse_hours(form.get(name, "")) or 0
        except Refusal as refusal:
            raise refusal.about(name) from None

    try:
        cycle_years = int(form.get("cycle_years", ""))
    except ValueError:
        raise Refusal("invalid_cycle", _("周期须在 1 到 10 年之间。"), 422) from None
    return configure.CreditTypeValues(
        code=form.get("code", "").strip(),
        name=form.get("name", "").strip(),
        cycle_years=cycle_years,
        required_centihours=hours("required_hours"),
        yearly_min_centihours=hours("yearly_min_hours"),
        required_course_centihours=hours("required_course_hours"),
    )


@bp.route("/credit-types", methods=["GET", "POST"])
@admin_required
def credit_types():
    """The credit types; the form at the bottom adds one."""
    errors = {}
    if request.method == "POST":
        try:
            configure.save_credit_type(_type_values(request.form))
        except Refusal as refusal:
            errors = form_errors(refusal.about(refusal.field or TYPE_FIELDS.get(refusal.code)))
        else:
            flash(_("学时类型已添加。"), "success")
            return redirect(url_for("admin.credit_types"))
    return render_template(
        "admin/credit_types.html", types=credits.list_credit_types(), editing=None, errors=errors
    )


@bp.route("/credit-types/<int:type_id>", methods=["GET", "POST"])
@admin_required
def edit_credit_type(type_id: int):
    credit_type = db.session.get(CreditType, type_id) or abort(404)
    errors = {}
    if request.method == "POST":
        try:
            configure.save_credit_type(_type_values(request.form), credit_type)
        except Refusal as refusal:
            db.session.rollback()
            errors = form_errors(refusal.about(refusal.field or TYPE_FIELDS.get(refusal.code)))
        else:
            flash(_("学时类型已保存，对之后完成的课程生效。"), "success")
            return redirect(url_for("admin.credit_types"))
    return render_template(
        "admin/credit_types.html",
        types=credits.list_credit_types(),
        editing=credit_type,
        errors=errors,
    )


@bp.post("/credit-types/<int:type_id>/delete")
@admin_required
def delete_credit_type(type_id: int):
    credit_type = db.session.get(CreditType, type_id) or abort(404)
    name = credit_type.name
    try:
        configure.delete_credit_type(credit_type)
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash(_("学时类型「%(name)s」已删除。", name=name), "success")
    return redirect(url_for("admin.credit_types"))


@bp.get("/course-credits")
@admin_required
def list_course_credits():
    courses = db.session.scalars(select(Course).order_by(Course.id)).all()
    return render_template(
        "admin/course_credits.html",
        courses=courses,
        offers={c.id: {o.credit_type_id: o for o in credits.course_credits(c.id)} for c in courses},
        types=credits.list_credit_types(),
    )


@bp.route("/courses/<int:course_id>/credits", methods=["GET", "POST"])
@admin_required
def edit_course_credits(course_id: int):
    course = db.session.get(Course, course_id) or abort(404)
    types = credits.list_credit_types()
    errors = {}
    if request.method == "POST":

        def hours(type_id: int) -> int | None:
            try:
                return configure.parse_hours(request.form.get(f"hours-{type_id}", "")) or None
            except Refusal as refusal:
                raise refusal.about(f"hours-{type_id}") from None

        try:
            offers = [
                configure.CourseOffer(
                    t.id, hours(t.id), request.form.get(f"required-{t.id}") == "1"
                )
                for t in types
            ]
            configure.set_course_credits(course.id, offers)
        except Refusal as refusal:
            errors = form_errors(refusal)
        else:
            flash(_("课程学时已保存，对之后完成的学员生效。"), "success")
            return redirect(url_for("admin.list_course_credits"))
    return render_template(
        "admin/course_credit_form.html",
        course=course,
        types=types,
        offers={o.credit_type_id: o for o in credits.course_credits(course.id)},
        errors=errors,
    )


@bp.route("/learners/<int:user_id>/credits", methods=["GET", "POST"])
@admin_required
def learner_credits(user_id: int):
    """A learner's ledger with the reason of each entry; the form adds a correction."""
    user = db.session.get(User, user_id) or abort(404)
    types = credits.list_credit_types()
    errors = {}
    if request.method == "POST":
        try:
            type_id = request.form.get("credit_type_id", type=int)
            if type_id not in {t.id for t in types}:
                raise Refusal("invalid_field", _("请选择学时类型。"), 422).about("credit_type_id")
            text = request.form.get("hours", "").strip()
            sign = -1 if text.startswith("-") else 1
            try:  # one minus sign: "--2" is no number
                amount = configure.parse_hours(text.removeprefix("-")) or 0
            except Refusal as refusal:
                raise refusal.about("hours") from None
            credits.add_correction(user.id, type_id, sign * amount, request.form.get("note", ""))
        except Refusal as refusal:
            errors = form_errors(
                refusal.about(refusal.field or CORRECTION_FIELDS.get(refusal.code))
            )
        else:
            flash(_("已添加调整记录。"), "success")
            return redirect(url_for("admin.learner_credits", user_id=user.id))
    entries = credits.ledger_for(user.id)
    page = render_template(
        "admin/learner_credits.html",
        user=user,
        entries=entries,
        kinds=progress.progress_for(user.id, entries),
        types=types,
        explain=credits.explain,
        errors=errors,
    )
    return page, 422 if request.method == "POST" else 200


def _export_range() -> tuple[date, date, int | None]:
    def day(name: str) -> date:
        try:
            return date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            message = _("请填写有效的起止日期（YYYY-MM-DD）。")
            raise Refusal("invalid_date", message, 422).about(name) from None

    start, end = day("start"), day("end")
    type_id = request.args.get("credit_type_id", type=int)
    if request.args.get("credit_type_id") and type_id is None:
        raise Refusal("invalid_field", _("请选择学时类型。"), 422).about("credit_type_id")
    if not start <= end or (end - start).days > EXPORT_MAX_DAYS:
        message = _("开始日期须不晚于结束日期，且相差不超过 10 年。")
        raise Refusal("invalid_date", message, 422).about("end")
    return start, end, type_id


@bp.get("/credits/export")
@admin_required
def export_credits():
    """The export form; with a range, the CSV itself, streamed as the database yields rows."""
    types = credits.list_credit_types()
    if "start" not in request.args:
        return render_template("admin/credits_export.html", types=types, errors={})
    try:
        start, end, type_id = _export_range()
    except Refusal as refusal:
        errors = form_errors(refusal)
        return render_template("admin/credits_export.html", types=types, errors=errors), 422
    lines = stream_with_context(export.csv_lines(start, end, type_id))
    response = Response(lines, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="credit-hours-{start.isoformat()}-{end.isoformat()}.csv"'
    )
    return response
