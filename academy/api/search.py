"""/api/v1/search and /api/v1/me/search-history: finding courses, and the user's recent queries."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user, login_required

from academy.api import bp
from academy.search import services as search
from academy.search.views import run_search


def result_json(result: search.Result | search.ArticleResult) -> dict:
    """One course or article found; `snippet` is HTML: escaped text with the matches in <mark>."""
    if result.kind == "article":
        return {
            "kind": "article",
            "id": result.article.id,
            "title": result.article.title,
            "snippet": str(result.snippet),
            "match": result.match,
        }
    body = {
        "kind": "course",
        "id": result.course.id,
        "title": result.course.title,
        "snippet": str(result.snippet),
        "match": result.match,
    }
    if result.lesson is not None:
        body["lesson_id"] = result.lesson.id
        body["at"] = result.at
    return body


@bp.get("/search")
def search_courses():
    found = run_search(request.args)
    return jsonify({"results": [result_json(r) for r in found.results], "total": found.total})


@bp.get("/me/search-history")
@login_required
def my_search_history():
    entries = search.list_history(current_user.id)
    return jsonify(
        {
            "history": [
                {"id": e.id, "query": e.query, "searched_at": e.searched_at.isoformat() + "Z"}
                for e in entries
            ]
        }
    )


@bp.delete("/me/search-history")
@login_required
def clear_search_history():
    search.clear_history(current_user.id)
    return "", 204


@bp.delete("/me/search-history/<int:entry_id>")
@login_required
def delete_search_history_entry(entry_id: int):
    search.delete_history_entry(current_user.id, entry_id)
    return "", 204
