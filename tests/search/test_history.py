"""Recent searches (历史搜索): kept per user, deduplicated, capped, and forgotten on request."""

from __future__ import annotations

import pytest

from academy.search.history import MAX_HISTORY
from tests.factories import ApiClient
from tests.web import csrf_of, login


def queries(api) -> list[str]:
    status, body = api.get("/api/v1/me/search-history")
    assert status == 200
    return [entry["query"] for entry in body["history"]]


def delete(api, url: str) -> int:
    return api.client.delete(url, headers={"X-CSRFToken": api.csrf}).status_code


def test_a_logged_in_users_searches_are_kept_newest_first(api, movable_clock):
    for query in ["反洗钱", "  信托   产品 ", "资产配置"]:
        api.get(f"/api/v1/search?q={query}")
        movable_clock.advance(1)
    assert queries(api) == ["资产配置", "信托 产品", "反洗钱"]
    entry = api.get("/api/v1/me/search-history")[1]["history"][0]
    assert set(entry) == {"id", "query", "searched_at"} and entry["searched_at"].endswith("Z")


def test_a_repeated_search_moves_to_the_top_once(api, movable_clock):
    for query in ["反洗钱", "信托", "反洗钱"]:
        api.get(f"/api/v1/search?q={query}")
        movable_clock.advance(1)
    assert queries(api) == ["反洗钱", "信托"]


def test_only_the_last_20_distinct_searches_are_kept(api, movable_clock):
    for n in range(MAX_HISTORY + 5):
        api.get(f"/api/v1/search?q=课程{n}")
        movable_clock.advance(1)
    assert queries(api) == [f"课程{n}" for n in range(MAX_HISTORY + 4, 4, -1)]


@pytest.mark.parametrize("query", ["", "   ", "？！。", "<>"])
def test_nothing_searchable_is_not_remembered(api, query):
    api.client.get("/api/v1/search", query_string={"q": query})
    assert queries(api) == []


def test_anonymous_searches_are_not_remembered_and_history_needs_a_login(anon, api):
    anon.get("/api/v1/search?q=反洗钱")
    assert anon.get("/api/v1/me/search-history").status_code == 401
    assert anon.delete("/api/v1/me/search-history").status_code in (400, 401)
    assert queries(api) == []


def test_one_entry_is_deleted(api, movable_clock):
    for query in ["反洗钱", "信托"]:
        api.get(f"/api/v1/search?q={query}")
        movable_clock.advance(1)
    history = api.get("/api/v1/me/search-history")[1]["history"]
    assert delete(api, f"/api/v1/me/search-history/{history[0]['id']}") == 204
    assert queries(api) == ["反洗钱"]
    assert delete(api, f"/api/v1/me/search-history/{history[0]['id']}") == 404


def test_all_entries_are_cleared(api):
    for query in ["反洗钱", "信托"]:
        api.get(f"/api/v1/search?q={query}")
    assert delete(api, "/api/v1/me/search-history") == 204
    assert queries(api) == []


def test_another_users_entry_is_not_found_and_stays(app, api, make):
    make.user("learner2")
    other = ApiClient(app, "learner2")
    other.get("/api/v1/search?q=信托")
    (entry,) = other.get("/api/v1/me/search-history")[1]["history"]
    assert delete(api, f"/api/v1/me/search-history/{entry['id']}") == 404
    assert delete(api, "/api/v1/me/search-history") == 204
    assert queries(other) == ["信托"]


def test_a_delete_without_the_csrf_token_is_refused(api):
    api.get("/api/v1/search?q=信托")
    assert api.client.delete("/api/v1/me/search-history").status_code == 400
    assert queries(api) == ["信托"]


def test_the_results_page_lists_the_history_and_its_forms_forget_it(app, learner, movable_clock):
    client = app.test_client()
    login(client, "learner1")
    client.get("/search?q=反洗钱")
    movable_clock.advance(1)
    page = client.get("/search?q=信托").get_data(as_text=True)
    assert "历史搜索" in page and page.index("信托") < page.index("反洗钱")
    assert '<datalist id="recent-searches">' in page
    api = ApiClient(app, "learner1")
    first = api.get("/api/v1/me/search-history")[1]["history"][-1]
    token = csrf_of(page)
    response = client.post(
        f"/search/history/{first['id']}/delete", data={"csrf_token": token, "q": "信托"}
    )
    assert response.status_code == 302 and "/search?q=" in response.location
    assert queries(api) == ["信托"]
    client.post("/search/history/clear", data={"csrf_token": token})
    assert queries(api) == []
    assert "历史搜索" not in client.get("/search").get_data(as_text=True)


def test_the_header_box_is_on_every_page(anon):
    page = anon.get("/").get_data(as_text=True)
    assert 'action="/search"' in page and 'name="q"' in page


def test_a_search_opened_from_another_site_is_not_remembered(api):
    api.client.get("/search?q=如何逃税", headers={"Sec-Fetch-Site": "cross-site"})
    api.client.get("/search?q=反洗钱", headers={"Sec-Fetch-Site": "same-origin"})
    api.client.get("/search?q=个税")  # an app or an older browser says nothing: kept
    assert queries(api) == ["个税", "反洗钱"]
