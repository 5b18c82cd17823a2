"""Login, registration and logout take any form body: 413 beyond the bounds, else never a 5xx.

ASVS 5.0 15.2.2 (a 14 MiB, 600,000-field body is refused before it is parsed), 2.4.1 (no
cheap request may cost the server seconds), 16.5.3 (malformed input fails gracefully, as a
page). The bodies: tests/fuzz.py (NaN, numbers past every range, brackets, NUL, bad UTF-8).
"""

import pytest
from hypothesis import HealthCheck, example, given, settings

from tests.fuzz import (
    FIELDS_PAST_THE_LIMIT,
    MANY_FIELDS_BODY,
    OVERSIZE_BODY,
    assert_answered_with_a_page,
    form_bodies,
    post_body,
)
from tests.web import csrf_of

FIELDS = ["username", "password", "remember", "nickname", "confirm", "next"]


@pytest.mark.parametrize("url", ["/login", "/register", "/logout"])
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    # one app for all examples is the point: what one body leaves behind, the next one meets
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=form_bodies(FIELDS))
@example(body=OVERSIZE_BODY)
@example(body=MANY_FIELDS_BODY)
@example(body=FIELDS_PAST_THE_LIMIT)
def test_asvs_15_2_2_any_form_body_gets_a_page_and_one_beyond_the_bounds_a_413(
    app, learner, url, body
):
    client = app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    assert_answered_with_a_page(app, body, post_body(client, url, body, token))
