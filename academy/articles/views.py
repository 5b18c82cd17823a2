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
    """The article to edit: 404 if there is none, 403 if it is another instructor's."""
    article = articles.get_article(article_id) or abort(404)
    if not articles.may_edit(current_user, article):
        abort(403)
    return article


def _values(form: ArticleForm) -> dict:
    return {
        "title": form.title.data,
        "author_name": form.author_name.data,
        "tags": form.tags.data or "",
        "body": form.body.data,
    }


def _cover(form: ArticleForm) -> bytes | None:
    """The uploaded cover's bytes, None when no file was chosen."""
    upload = form.cover.data
    return upload.read() if upload and getattr(upload, "filename", "") else None


@bp.get("/studio/articles")
@staff_only
def studio_articles():
    return render_template(
        "articles/studio_list.html", articles=articles.list_editable(current_user)
    )


@bp.route("/studio/articles/new", methods=["GET", "POST"])
@staff_only
def new_article():
    form = ArticleForm()
    if request.method == "GET":
        form.author_name.data = current_user.display_name
    if form.validate_on_submit():
        try:
            article = articles.create_article(current_user, _values(form), _cover(form))
        except Refusal as refusal:  # the cover: nothing saved, the text stays in the form
            form.cover.errors = [refusal.message]
        else:
            flash(_("文章已保存为草稿。"), "success")
            return redirect(url_for("articles.edit_article", article_id=article.id))
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
        try:
            articles.update_article(article, _values(form), _cover(form))
        except Refusal as refusal:  # the cover: nothing saved, the edits stay in the form
            form.cover.errors = [refusal.message]
        else:
            flash(_("文章已保存。"), "success")
            return redirect(url_for("articles.edit_article", article_id=article.id))
    return _form_page(form, article, 422 if request.method == "POST" else 200)


def _form_page(form: ArticleForm, article: Article | None, status: int):
    return render_template("articles/form.html", form=form, article=article), status


@bp.post("/studio/articles/<int:article_id>/delete")
@staff_only
def delete_article(article_id: int):
    article = _article(article_id)
    title = article.title
    try:
        articles.delete_article(article)
    except Refusal as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("articles.edit_article", article_id=article_id))
    flash(_("文章「%(title)s」已删除。", title=title), "success")
    return redirect(url_for("articles.studio_articles"))


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
