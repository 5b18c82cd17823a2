"""The results page, the header's search box and the history's forms."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from academy.catalog import services as catalog
from academy.credits import services as credits
from academy.errors import Refusal
from academy.search import services as search

bp = Blueprint("search", __name__, template_folder="templates")


def page_number(raw: str | None) -> int:
    """?page= as a page number; anything else is the first page."""
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 6 else 1


def run_search(args):
    """Search with the request's query and filters, remembering the query for a logged-in user."""
    found = search.search(
        current_user,
        args.get("q"),
        category=args.get("category", ""),
        credit_type=args.get("credit_type", ""),
        price=args.get("price", ""),
        page=page_number(args.get("page")),
    )
    # Only a search the person made here is remembered: a link from another site (which a
    # browser marks Sec-Fetch-Site: cross-site) must not write into their history.
    from_elsewhere = request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site")
    if current_user.is_authenticated and search.query_terms(found.query) and not from_elsewhere:
        search.record_search(current_user.id, found.query)
    return found


@bp.get("/search")
def results():
    found = run_search(request.args)
    filters = {name: request.args.get(name, "") for name in ("category", "credit_type", "price")}
    return render_template(
        "search/results.html",
        found=found,
        filters=filters,
        categories=catalog.list_categories(),
        credit_types=credits.list_credit_types(),
        watchable=found.watchable,
    )


def _back():
    return redirect(url_for("search.results", q=request.form.get("q", "")))


@bp.post("/search/history/<int:entry_id>/delete")
@login_required
def delete_history_entry(entry_id: int):
    try:
        search.delete_history_entry(current_user.id, entry_id)
    except Refusal:
        abort(404)
    return _back()


@bp.post("/search/history/clear")
@login_required
def clear_history():
    search.clear_history(current_user.id)
    return _back()


@bp.app_context_processor
def _recent_searches():
    def recent_searches() -> list:
        """The logged-in user's recent queries, for the header box (read once per request)."""
        if not current_user.is_authenticated:
            return []
        if "recent_searches" not in g:
            g.recent_searches = search.list_history(current_user.id)
        return g.recent_searches

    return {"recent_searches": recent_searches}
