"""The instructor's studio: courses, lessons, uploads, and editing what the pipeline made."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from academy.api.studio import job_json
from academy.auth.decorators import role_required
from academy.auth.services import ensure_instructor_profile
from academy.catalog import services as catalog
from academy.catalog.models import Course, Lesson
from academy.errors import Refusal
from academy.extensions import db
from academy.insights import bounds
from academy.insights import services as insights
from academy.learning import services as learning
from academy.studio import editing, review
from academy.studio import services as studio
from academy.studio.forms import CourseForm, LessonForm
from academy.templating import join_list

bp = Blueprint("studio", __name__, url_prefix="/studio", template_folder="templates")
staff_only = role_required("instructor", "admin")


def _course(course_id: int) -> Course:
    course = db.session.get(Course, course_id) or abort(404)
    if not studio.may_edit(current_user, course):
        abort(403)
    return course


def _lesson(lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id) or abort(404)
    _course(lesson.course_id)
    return lesson


def _course_form(course: Course | None = None, *, submitted: bool = True) -> CourseForm:
    """The course form, filled from the request when submitted, else from the course."""
    form = CourseForm(obj=course) if submitted else CourseForm(formdata=None, obj=course)
    if course is not None and (request.method == "GET" or not submitted):
        form.price.data = Decimal(course.price_fen) / 100
    form.category_id.choices = [SelectChoice(c.id, c.name) for c in catalog.list_categories()]
    return form


def _course_values(form: CourseForm) -> dict:
    return {
        "title": form.title.data.strip(),
        "subtitle": (form.subtitle.data or "").strip(),
        "description": (form.description.data or "").strip(),
        "category_id": form.category_id.data,
        "price_fen": int(form.price.data * 100),
        "glossary": form.glossary.data or "",
        "transcript_script": form.transcript_script.data,
        "visitor_insights": form.visitor_insights.data or None,
    }


@bp.get("/")
@staff_only
def home():
    mine = None if current_user.role == "admin" else ensure_instructor_profile(current_user).id
    return render_template("studio/home.html", courses=catalog.list_courses_of(mine))


@bp.route("/courses/new", methods=["GET", "POST"])
@staff_only
def new_course():
    form = _course_form()
    if form.validate_on_submit():
        profile = ensure_instructor_profile(current_user)
        try:
            course = catalog.create_course(profile.id, _course_values(form))
        except Refusal as refusal:
            flash(refusal.message, "error")
        else:
            flash(_("课程已创建，现在添加课时并上传讲座。"), "success")
            return redirect(url_for("studio.edit_course", course_id=course.id))
    status = 422 if request.method == "POST" else 200  # refused: said beside the fields
    return render_template("studio/course_form.html", form=form, course=None), status


@bp.route("/courses/<int:course_id>", methods=["GET", "POST"])
@staff_only
def edit_course(course_id: int):
    course = _course(course_id)
    form = _course_form(course)
    if form.validate_on_submit():
        try:
            catalog.update_course(course, _course_values(form))
        except Refusal as refusal:
            flash(refusal.message, "error")
        else:
            flash(_("课程信息已保存。"), "success")
            return redirect(url_for("studio.edit_course", course_id=course.id))
    return _course_page(course, form, status=422 if request.method == "POST" else 200)


def _course_page(
    course: Course,
    form: CourseForm,
    *,
    status: int = 200,
    lesson_error: str = "",
    lesson_form: LessonForm | None = None,
):
    jobs = insights.latest_jobs([lesson.id for lesson in course.lessons])
    page = render_template(
        "studio/course_form.html",
        form=form,
        course=course,
        lesson_form=lesson_form or LessonForm(formdata=None),
        jobs=jobs,
        lesson_error=lesson_error,
    )
    return page, status


@bp.post("/courses/<int:course_id>/lessons")
@staff_only
def add_lesson(course_id: int):
    course = _course(course_id)
    form = LessonForm()
    try:
        if not form.validate():
            raise Refusal(
                "invalid_title", next(iter(form.title.errors), _("请填写课时名称。")), 422
            )
        lesson = studio.add_lesson(course, form.title.data)
    except Refusal as refusal:
        return _course_page(
            course,
            _course_form(course, submitted=False),
            status=refusal.status,
            lesson_error=refusal.message,
            lesson_form=form,  # what was typed stays in the box
        )
    return redirect(url_for("studio.edit_lesson", lesson_id=lesson.id))


@bp.post("/courses/<int:course_id>/publish")
@staff_only
def publish_course(course_id: int):
    course = _course(course_id)
    publish = request.form.get("publish") == "1"
    try:
        confirmed = request.form.get("confirm_missing_video") == "1"
        catalog.set_published(course, publish, confirm_missing_video=confirmed)
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash(_("课程已发布。") if publish else _("课程已撤回为草稿。"), "success")
    return redirect(url_for("studio.edit_course", course_id=course.id))


@bp.get("/lessons/<int:lesson_id>")
@staff_only
def edit_lesson(lesson_id: int):
    return _lesson_page(_lesson(lesson_id))


def _lesson_page(
    lesson: Lesson,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    transcript_text: str | None = None,
    derivation_fields: dict | None = None,
    typed_title: str | None = None,
    seen_versions: dict[str, str] | None = None,
):
    """The lesson's page; after a refused save, with why beside the form that was sent, what
    was typed in it, and the version it was typed on (so that sending it again is refused
    too until the page is reloaded)."""
    insight = insights.get_insight(lesson.id)
    versions = {
        part: insights.version_of(insight, part) if insight else ""
        for part in ("transcript", "derivations")
    } | (seen_versions or {})
    if transcript_text is None:
        transcript_text = editing.format_transcript(insight.segments) if insight else ""
    if derivation_fields is None and insight is not None:
        derivation_fields = editing.derivation_fields(insight)
    segments = insights.segments_of(insight) if insight else []
    job = insights.latest_job(lesson.id)
    # after a regeneration the latest job is a short 'derive' one: the transcription's own
    # time and real-time factor are still the ones worth showing
    transcription = (
        insights.latest_job(lesson.id, kind="full") if job and job.kind == "derive" else job
    )
    found = insights.review_of(insight) if insight else None
    page = render_template(
        "studio/lesson.html",
        lesson=lesson,
        course=lesson.course,
        insight=insight,
        job=job_json(job),
        transcription=job_json(transcription),
        processing=job is not None and job.status in insights.ACTIVE,
        learners_started=learning.learners_started(lesson.id),
        review=found,
        hold_reasons=insights.hold_reasons(found) if found else [],
        language_name=insights.language_name,
        lines=review.review_lines(segments, found.missed if found else []),
        machine_text=review.machine_text(segments),
        transcript_text=transcript_text,
        errors=errors or {},
        fields=derivation_fields,
        versions=versions,
        typed_title=lesson.title if typed_title is None else typed_title,
        max_chapter_title=bounds.MAX_CHAPTER_TITLE_CHARS,
        max_lesson_title=bounds.MAX_LESSON_TITLE_CHARS,
        format_clock=editing.format_clock,
        mind_map_svg=insights.mind_map_svg(insight.mind_map)
        if insight and insight.mind_map
        else "",
    )
    return page, status


def _back(lesson: Lesson, anchor: str = ""):
    return redirect(url_for("studio.edit_lesson", lesson_id=lesson.id) + anchor)


@bp.post("/lessons/<int:lesson_id>/transcript")
@staff_only
def save_transcript(lesson_id: int):
    lesson = _lesson(lesson_id)
    typed = request.form.get("transcript", "")
    try:
        insights.save_transcript(
            lesson,
            editing.parse_transcript(typed),
            seen_version=request.form.get("transcript_version"),
        )
    except Refusal as refusal:
        # The saved transcript stays as it was; the typed one comes back to be corrected, unless
        # it is too long to send back.
        return _lesson_page(
            lesson,
            status=refusal.status,
            errors={"transcript": refusal.message},
            transcript_text=typed if len(typed) <= bounds.MAX_TRANSCRIPT_CHARS else None,
            seen_versions={"transcript": request.form.get("transcript_version", "")},
        )
    flash(_("转写稿已保存。关键词、摘要、章节等仍来自旧稿，可点击“按新稿重新生成”。"), "success")
    return _back(lesson, "#transcript")


@bp.post("/lessons/<int:lesson_id>/derivations")
@staff_only
def save_derivations(lesson_id: int):
    lesson = _lesson(lesson_id)
    try:
        insights.save_derivations(
            lesson,
            keywords=editing.parse_keywords(request.form.get("keywords", "")),
            summary=request.form.get("summary", ""),
            chapters=editing.parse_chapters(request.form),
            questions=editing.parse_questions(request.form),
            seen_version=request.form.get("derivations_version"),
        )
    except Refusal as refusal:
        # Nothing of the saved version changes; the page says why beside the form, which keeps
        # what was typed.
        return _lesson_page(
            lesson,
            status=refusal.status,
            errors={"derivations": refusal.message},
            derivation_fields=editing.derivation_fields_as_sent(request.form),
            seen_versions={"derivations": request.form.get("derivations_version", "")},
        )
    flash(_("修改已保存（尚未发布）。"), "success")
    return _back(lesson, "#derivations")


def _act(lesson_id: int, action, success):
    """Run one studio action on a lesson; a refusal is shown, not raised. `success` is the
    message, or a function of the action's result that says what it did."""
    lesson = _lesson(lesson_id)
    try:
        result = action(lesson)
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        message = success(result) if callable(success) else success
        if message:
            flash(message, "success")
    return _back(lesson)


def _published_message(insight) -> str:
    """What learners now see, as the snapshot holds it: nothing promised that is not there."""
    shown = [
        name
        for name, present in (
            (_("AI 摘要"), insight.summary),
            (_("章节"), insight.chapters),
            (_("要点回顾"), insight.questions),
        )
        if present
    ]
    if not shown:
        return _("已发布，但摘要、章节和要点回顾都是空的：学员只能看到转写稿。")
    return _("已发布：学员现在可以在课程页看到%(what)s。", what=join_list(shown))


@bp.post("/lessons/<int:lesson_id>/title")
@staff_only
def rename_lesson(lesson_id: int):
    lesson = _lesson(lesson_id)
    typed = request.form.get("title", "")
    try:
        studio.rename_lesson(lesson, typed)
    except Refusal as refusal:
        db.session.rollback()
        return _lesson_page(
            lesson,
            status=refusal.status,
            errors={"lesson-title": refusal.message},
            typed_title=typed,
        )
    flash(_("课时名称已保存。"), "success")
    return _back(lesson)


@bp.post("/lessons/<int:lesson_id>/move")
@staff_only
def move_lesson(lesson_id: int):
    lesson = _lesson(lesson_id)
    try:
        course = catalog.move_lesson(lesson, -1 if request.form.get("to") == "up" else 1)
    except Refusal as refusal:
        flash(refusal.message, "error")
        course = lesson.course
    return redirect(url_for("studio.edit_course", course_id=course.id, _anchor="lessons"))


@bp.post("/lessons/<int:lesson_id>/delete")
@staff_only
def delete_lesson(lesson_id: int):
    lesson = _lesson(lesson_id)
    try:
        course = studio.delete_lesson(lesson)
    except Refusal as refusal:
        flash(refusal.message, "error")
        return _back(lesson)
    flash(_("课时“%(title)s”已删除。", title=lesson.title), "success")
    return redirect(url_for("studio.edit_course", course_id=course.id))


@bp.post("/lessons/<int:lesson_id>/regenerate")
@staff_only
def regenerate(lesson_id: int):
    return _act(
        lesson_id,
        lambda lesson: insights.start_job(lesson, "derive"),
        _("已开始按当前转写稿重新生成。"),
    )


@bp.post("/lessons/<int:lesson_id>/retry")
@staff_only
def retry(lesson_id: int):
    return _act(lesson_id, insights.retry_job, None)


@bp.post("/lessons/<int:lesson_id>/publish")
@staff_only
def publish(lesson_id: int):
    form = request.form
    return _act(
        lesson_id,
        lambda lesson: insights.publish(
            lesson,
            confirm_low_confidence=form.get("confirm_low_confidence") == "1",
            confirm_stale=form.get("confirm_stale") == "1",
        ),
        _published_message,
    )


@bp.get("/lessons/<int:lesson_id>/mindmap.svg")
@staff_only
def mind_map(lesson_id: int):
    lesson = _lesson(lesson_id)
    insight = insights.get_insight(lesson.id)
    if insight is None or not insight.mind_map:
        abort(404)
    return _svg_download(insights.mind_map_svg(insight.mind_map), lesson)


def _svg_download(svg: str, lesson: Lesson) -> Response:
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Content-Disposition"] = f'attachment; filename="mindmap-{lesson.id}.svg"'
    return response
