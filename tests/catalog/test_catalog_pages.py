"""The catalog a page at a time: 1,000 courses must not mean a 1,000-card page."""

from __future__ import annotations

import re

from academy.catalog.services import CATALOG_PAGE_SIZE


def cards(html: str) -> int:
    return len(re.findall(r'<a class="card"', html))


def test_the_home_page_shows_one_page_of_cards_and_links_the_next(anon, make):
    for _ in range(CATALOG_PAGE_SIZE + 3):
        make.course()
    first = anon.get("/").get_data(as_text=True)
    assert cards(first) == CATALOG_PAGE_SIZE
    assert 'href="/?page=2" rel="next"' in first
    second = anon.get("/?page=2").get_data(as_text=True)
    assert cards(second) == 3
    assert 'href="/?page=1" rel="prev"' in second and 'rel="next"' not in second


def test_a_category_pages_within_itself(anon, make):
    for _ in range(CATALOG_PAGE_SIZE + 1):
        make.course()
    page = anon.get("/categories/general?page=2").get_data(as_text=True)
    assert cards(page) == 1
    assert 'href="/categories/general?page=1" rel="prev"' in page


def test_a_page_past_the_end_is_404_and_nonsense_is_the_first_page(anon, make):
    make.course()
    assert anon.get("/?page=2").status_code == 404
    for junk in ("0", "-1", "abc", "9" * 40):
        response = anon.get(f"/?page={junk}")
        assert response.status_code == 200 and cards(response.get_data(as_text=True)) == 1
