"""The learner's credit hours and certificates pages, the certificate PDF, and the public
verification page."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.catalog import services as catalog
from academy.credits import certificates, declarations, pdf, progress
from academy.credits import services as credits
from academy.errors import Refusal, form_errors
from academy.learning import services as learning

bp = Blueprint("credits", __name__, template_folder="templates")

#: the field of a certificate's row each of parse_declarations' refusals is about
DECLARATION_FIELDS = {
    "invalid_number": "number",
    "number_taken": "number",
    "invalid_date": "obtained_on",
}


@bp.get("/me/credits")
@login_required
def my_credits():
    entries = credits.ledger_for(current_user.id)
    enrolments = learning.list_enrolments(current_user.id, with_courses=True)
    enrolled = [e.course_id for e in enrolments]
    # one query each, whatever the number of courses
    completions = learning.completions_by_course(current_user.id, enrolled)
    issued = certificates.certificates_by_course(current_user.id, list(completions))
    completed = [
        (e.course, issued.get(e.course_id)) for e in enrolments if e.course_id in completions
    ]
    return render_template(
        "credits/my_credits.html",
        entries=entries,
        courses=catalog.courses_by_id(e.course_id for e in entries if e.course_id is not None),
        totals=credits.totals_by_type(entries),
        kinds=progress.progress_for(current_user.id, entries),
        chart=progress.chart_series(entries),
        explain=credits.explain,
        entry_day=credits.entry_day,
        completed=completed,
    )


@bp.route("/me/certificates", methods=["GET", "POST"])
@login_required
def my_certificates():
    types = credits.list_credit_types()
    errors = {}
    if request.method == "POST":
        items = [
            {
                "type": t.code,
                "number": request.form.get(f"number-{t.code}", "").strip(),
                "obtained_on": request.form.get(f"obtained_on-{t.code}", "").strip(),
            }
            for t in types
        ]
        # a row with only a date is refused (said beside its number), not dropped as empty
        filled = [i for i in items if i["number"] or i["obtained_on"]]
        try:
            for item in filled:  # one by one, so that a refusal names the field it is about
                try:
                    declarations.parse_declarations([item], current_user.id)
                except Refusal as refusal:
                    field = DECLARATION_FIELDS.get(refusal.code)
                    raise refusal.about(field and f"{field}-{item['type']}") from None
            checked = declarations.parse_declarations(filled, current_user.id)
            declarations.declare_certificates(current_user.id, checked)
        except Refusal as refusal:
            errors = form_errors(refusal)
        else:
            flash(_("证书信息已保存。"), "success")
            return redirect(url_for("credits.my_certificates"))
    declared = {d.credit_type_id: d for d in declarations.list_declarations(current_user.id)}
    return render_template(
        "credits/my_certificates.html", types=types, declared=declared, errors=errors
    )


@bp.get("/me/courses/<int:course_id>/certificate.pdf")
@login_required
def download_certificate(course_id: int):
    try:
        certificate = certificates.certificate_to_download(current_user, course_id)
    except Refusal as refusal:  # no real name yet: the profile is where it is written
        flash(refusal.message, "error")
        return redirect(url_for("auth.edit_profile"))
    if certificate is None:
        abort(404)
    if certificate.revoked_at is not None:
        abort(410)  # revoked by a refund: /verify says so, and no new copy is handed out
    view = certificates.view_of(certificate)
    verify_url = url_for(
        "credits.verify_certificate", code=certificates.format_code(view.code), _external=True
    )
    body = pdf.render_certificate(view, verify_url, current_app.config["CERTIFICATE_FONT"])
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.code}.pdf"'
    )
    return response


@bp.get("/verify/<code>")
def verify_certificate(code: str):
    """Public: anyone holding a certificate's code sees whether it is valid, and no more than
    the masked name, the course, the hours and the date."""
    certificate = certificates.find_by_code(code[:40])
    view = certificates.view_of(certificate) if certificate is not None else None
    return render_template("credits/verify.html", view=view, code=code[:40]), (200 if view else 404)
