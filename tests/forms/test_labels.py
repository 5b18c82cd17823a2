"""Every field of every form has a label a screen reader announces: a <label for> its id, a
<label> around it, or an aria-label where the visible label is elsewhere."""

from __future__ import annotations

import pytest

from tests.web import FormControls

#: (role, page) for each page with a form; {names} come from the `site` fixture
FORM_PAGES = [
    (None, "/login"),
    (None, "/register"),
    (None, "/search?q=基金"),
    (None, "/courses/{free.id}"),
    ("learner", "/courses/{free.id}"),
    ("learner", "/me/profile"),
    ("learner", "/account/password"),
    ("learner", "/me/certificates"),
    ("learner", "/me/messages"),
    ("learner", "/cart"),
    ("learner", "/me/orders/{order.id}"),
    ("learner", "/vip"),
    ("learner", "/search?q=基金"),
    ("instructor", "/studio/courses/new"),
    ("instructor", "/studio/courses/{course.id}"),
    ("instructor", "/studio/lessons/{lesson.id}"),
    ("instructor", "/studio/articles/new"),
    ("instructor", "/studio/articles/{article.id}"),
    ("instructor", "/studio/questions"),
    ("admin", "/admin/"),
    ("admin", "/admin/credit-types"),
    ("admin", "/admin/credit-types/{credit_type.id}"),
    ("admin", "/admin/courses/{course.id}/credits"),
    ("admin", "/admin/learners/{learner.id}"),
    ("admin", "/admin/learners/{learner.id}/credits"),
    ("admin", "/admin/credits/export"),
    ("admin", "/admin/orders"),
    ("admin", "/admin/orders/{order.id}"),
    ("admin", "/admin/plans/new"),
    ("admin", "/admin/plans/{plan.id}"),
    ("admin", "/admin/member-courses"),
    ("admin", "/admin/comments"),
    ("admin", "/admin/questions"),
]


@pytest.mark.parametrize(("role", "page"), FORM_PAGES)
def test_every_field_has_a_label(site, client_as, role, page):
    url = page.format(**vars(site))
    response = client_as(role).get(url)
    assert response.status_code == 200, url
    controls = FormControls(response.get_data(as_text=True))
    assert controls.fields, url  # the header's search box at least
    assert controls.unlabelled() == []


def test_the_checker_notices_a_field_without_a_label():
    html = '<label for="a">A</label><input id="a"><label>B <input name="b"></label><input name="c">'
    assert FormControls(html).unlabelled() == ["<input name='c'>"]
