"""Home, category and course pages, and the protected media files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from academy.catalog import access
from academy.catalog import services as catalog
from academy.commerce import offers
from academy.community import services as community
from academy.credits import services as credits
from academy.documents import services as documents
from academy.insights import services as insights
from academy.insights.captions import webvtt
from academy.learning import services as learning
from academy.search.views import page_number

bp = Blueprint("catalog", __name__, template_folder="templates")


def _course_list(current_category=None):
    """The home page's cards (a category's, if given), a page at a time, each with the hours
    its course gives."""
    page = max(1, page_number(request.args.get("page")))
    courses, total = catalog.published_courses_page(current_category, page)
    pages = max(1, -(-total // catalog.CATALOG_PAGE_SIZE))
    if page > pages:
        abort(404)
    return render_template(
        "catalog/home.html",
        categories=catalog.list_categories(),
        courses=courses,
        course_credits=credits.credits_by_course([c.id for c in courses]),
        current_category=current_category,
        page=page,
        pages=pages,
    )


@bp.get("/")
def home():
    return _course_list()


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG mark."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/categories/<slug>")
def category(slug: str):
    return _course_list(catalog.get_category(slug) or abort(404))


@bp.get("/courses/<int:course_id>")
def course(course_id: int):
    found = access.open_course(current_user, course_id) or abort(404)
    rules = credits.course_credits(found.id)
    counted = {rule.credit_type_id for rule in rules}
    context = {
        "course": found,
        "credit_rules": rules,
        "not_counted": [t for t in credits.list_credit_types() if t.id not in counted],
        "enrolment": None,
        "progress": {},
        "completion": None,
        "next_lesson": None,
        "waiting_for_video": False,
        "offer": offers.offer_for(current_user, found),
        "reviews": community.review_page(
            current_user, found.id, request.args.get("reviews_page", 1, type=int)
        ),
    }
    # Transcripts and mind maps are fetched per lesson (lesson_transcript, lesson_mind_map,
    # lesson_mind_map_nodes): inlined, a long course's page grew by megabytes for every visitor.
    context["insights"], context["insights_complete"] = access.lesson_views(current_user, found)
    context["has_mind_map"] = any(view.get("mind_map") for view in context["insights"].values())
    context["documents"] = documents.course_documents(current_user, found)
    if current_user.is_authenticated:
        context["enrolment"] = learning.find_enrolment(current_user.id, found.id)
        context["progress"] = learning.progress_by_lesson(
            current_user.id, [lesson.id for lesson in found.lessons]
        )
        context["completion"] = learning.course_completion(current_user.id, found.id)
        # the first lesson not yet completed that has a video to watch (else the first one)
        watchable = [lesson for lesson in found.lessons if lesson.media_path]
        left = [
            lesson
            for lesson in watchable
            if not getattr(context["progress"].get(lesson.id), "completed_at", None)
        ]
        context["next_lesson"] = (left or watchable or [None])[0]
        # all watched but a lesson whose video is still to come: the hours wait for it
        context["waiting_for_video"] = bool(
            context["enrolment"] and not left and len(watchable) < len(found.lessons)
        )
    return render_template("catalog/course.html", **context)


def send_media(relative: str, mimetype: str) -> Response:
    """Send a media file with Range support, or hand it to the web server in production."""
    media_root = Path(current_app.config["MEDIA_PATH"]).resolve()
    path = (media_root / relative).resolve()
    if media_root not in path.parents or not path.is_file():
        abort(404)
    prefix = current_app.config["MEDIA_ACCEL_REDIRECT_PREFIX"]
    if prefix:
        response = Response(mimetype=mimetype)
        response.headers["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + relative
        return response
    return send_file(path, mimetype=mimetype, conditional=True, max_age=0)


@bp.get("/media/lessons/<int:lesson_id>")
def lesson_media(lesson_id: int):
    lesson = access.open_lesson(current_user, lesson_id) or abort(404)
    if not access.may_watch(current_user, lesson.course):
        abort(403)
    response = send_media(lesson.media_path, lesson.media_type)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/lessons/<int:lesson_id>/captions.vtt")
def lesson_captions(lesson_id: int):
    """The published transcript as WebVTT subtitles, for those who may play the lesson."""
    lesson = access.open_lesson(current_user, lesson_id) or abort(404)
    if not access.may_watch(current_user, lesson.course):
        abort(403)
    view = insights.published_view(lesson.id)
    if view is None or not view.get("segments"):
        abort(404)
    response = Response(webvtt(view["segments"]), mimetype="text/vtt")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _complete_view(lesson_id: int):
    """A lesson and its published material, for those who may see all of it (else 403/404)."""
    lesson = access.open_lesson(current_user, lesson_id) or abort(404)
    view, complete = access.lesson_view(current_user, lesson)
    if view is None:
        abort(404)
    if not complete:
        abort(403)
    return lesson, view


def _kept(body: str, mimetype: str) -> Response:
    """A response a browser may keep: it asks again with the ETag and is answered 304 until
    the lesson is published anew (signed-in pages are no-store anyway, see headers.py)."""
    response = Response(body, mimetype=mimetype)
    response.set_etag(hashlib.sha256(body.encode()).hexdigest())
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


@bp.get("/lessons/<int:lesson_id>/mindmap.svg")
def lesson_mind_map(lesson_id: int):
    lesson, view = _complete_view(lesson_id)
    if not view["mind_map"]:
        abort(404)
    response = _kept(insights.mind_map_svg(view["mind_map"]), "image/svg+xml")
    if request.args.get("download"):
        response.headers["Content-Disposition"] = f'attachment; filename="mindmap-{lesson.id}.svg"'
    return response


@bp.get("/lessons/<int:lesson_id>/mindmap.json")
def lesson_mind_map_nodes(lesson_id: int):
    """The mind map's nodes for the course page's interactive map (static/js/mindmap.js)."""
    _, view = _complete_view(lesson_id)
    if not view["mind_map"]:
        abort(404)
    nodes = json.dumps(insights.mind_map_nodes(view["mind_map"]), ensure_ascii=False)
    return _kept(nodes, "application/json")


@bp.get("/lessons/<int:lesson_id>/transcript")
def lesson_transcript(lesson_id: int):
    """The full transcript: a page of its own, or (?fragment=1) the list the course page shows."""
    lesson, view = _complete_view(lesson_id)
    fragment = bool(request.args.get("fragment"))
    template = "catalog/_transcript.html" if fragment else "catalog/transcript.html"
    return render_template(template, lesson=lesson, segments=view.get("segments") or [])


@bp.get("/media/covers/<int:course_id>")
def course_cover(course_id: int):
    found = catalog.get_published_course(course_id) or abort(404)
    if not found.cover_path:
        abort(404)
    return send_media(found.cover_path, "image/png")
