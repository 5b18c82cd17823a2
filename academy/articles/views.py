"""Articles: the list and each article for readers, the cover, and the studio's writing pages."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from academy.articles import services as articles
from academy.articles.forms import ArticleForm
from academy.articles.markdown import render
from academy.articles.models import Article, ArticleStatus
from academy.auth.decorators import role_required
from academy.credits import services as credits
from academy.errors import Refusal
from academy.search.views import page_number

bp = Blueprint("articles", __name__, template_folder="templates")
staff_only = role_required("instructor", "admin")


@bp.get("/articles")
def list_articles():
    tag = (request.args.get("tag") or "").strip()[:40]
    found = articles.list_published(page_number(request.args.get("page")), tag)
    return render_template("articles/list.html", found=found)


@bp.get("/articles/<int:article_id>")
def show_article(article_id: int):
    article = articles.visible_article(current_user, article_id) or abort(404)
    courses = articles.related_courses(article)
    return render_template(
        "articles/article.html",
        article=article,
        body=render(article.body),
        courses=courses,
        course_credits=credits.credits_by_course([c.id for c in courses]),
    )


@bp.get("/media/articles/<int:article_id>/cover")
def article_cover(article_id: int):
    article = articles.visible_article(current_user, article_id) or abort(404)
    if not article.cover_path:
        abort(404)
    media = Path(current_app.config["MEDIA_PATH"])
    return send_from_directory(media, article.cover_path, mimetype=articles.cover_type(article))


# -- studio -----------------------------------------------------------------------------------


def _article(article_id: int) -> Article:
    return articles.get_article(article_id) or abort(404)


def _values(form: ArticleForm) -> dict:
    return {
        "title": form.title.data,
        "author_name": form.author_name.data,
        "tags": form.tags.data or "",
        "body": form.body.data,
    }


def _save_cover(form: ArticleForm, article: Article) -> bool:
    """Store the uploaded cover, if any; a refused file is said beside the field."""
    upload = form.cover.data
    if not upload or not getattr(upload, "filename", ""):
        return True
    try:
        articles.set_cover(article, upload.read())
    except Refusal as refusal:
        form.cover.errors = [refusal.message]
        return False
    return True


@bp.get("/studio/articles")
@staff_only
def studio_articles():
    return render_template("articles/studio_list.html", articles=articles.list_all())


@bp.route("/studio/articles/new", methods=["GET", "POST"])
@staff_only
def new_article():
    form = ArticleForm()
    if request.method == "GET":
        form.author_name.data = current_user.display_name
    if form.validate_on_submit():
        article = articles.create_article(current_user, _values(form))
        if _save_cover(form, article):
            flash(_("文章已保存为草稿。"), "success")
            return redirect(url_for("articles.edit_article", article_id=article.id))
        return _form_page(form, article, 422)
    return _form_page(form, None, 422 if request.method == "POST" else 200)


@bp.route("/studio/articles/<int:article_id>", methods=["GET", "POST"])
@staff_only
def edit_article(article_id: int):
    article = _article(article_id)
    # not obj=article: the form's tags are text, the article's are rows
    form = ArticleForm(
        data={
            "title": article.title,
            "author_name": article.author_name,
            "body": article.body,
            "tags": " ".join(article.tag_names),
        }
    )
    if form.validate_on_submit():
        articles.update_article(article, _values(form))
        if _save_cover(form, article):
            flash(_("文章已保存。"), "success")
            return redirect(url_for("articles.edit_article", article_id=article.id))
    return _form_page(form, article, 422 if request.method == "POST" else 200)


def _form_page(form: ArticleForm, article: Article | None, status: int):
    return render_template("articles/form.html", form=form, article=article), status


@bp.post("/studio/articles/<int:article_id>/publish")
@staff_only
def publish_article(article_id: int):
    article = _article(article_id)
    wanted = ArticleStatus.PUBLISHED if request.form.get("publish") == "1" else ArticleStatus.DRAFT
    try:
        articles.set_status(article, wanted)
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash(_("文章已发布。") if article.is_published else _("文章已撤回为草稿。"), "success")
    return redirect(url_for("articles.edit_article", article_id=article.id))
