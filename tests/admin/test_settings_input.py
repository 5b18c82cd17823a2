"""The player settings form refuses any value that is no number in its range: 422, in Chinese.

ASVS 5.0 2.2.1 (values checked against their ranges; NaN, sNaN and infinities are no numbers),
16.5.3 (a malformed value is a form error, never a 500). The settings stay as they were.
"""

import re
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings

from academy.learning.services import get_player_settings
from tests.fuzz import assert_answered_with_a_page, form_bodies, post_body
from tests.web import csrf_of, login, post_form

FORM = {
    "max_rate": "1.0",
    "popups_per_50min": "3",
    "min_popups_per_lesson": "1",
    "heartbeat_seconds": "5",
    "tolerance_seconds": "2",
    "wrong_answer_rewind_seconds": "30",
}
NOT_IN_RANGE = ["sNaN", "NaN", "inf", "-Infinity", "1e999999", "9" * 5000, "-1", "abc"]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def admin_client(app, make):
    make.user("boss", role="admin")
    client = app.test_client()
    login(client, "boss")
    return client


def saved() -> tuple:
    current = get_player_settings()
    return current.max_rate_centi, current.tolerance_ms, current.popups_per_50min


@pytest.mark.parametrize("field", ["max_rate", "tolerance_seconds", "popups_per_50min"])
@pytest.mark.parametrize("value", NOT_IN_RANGE)
def test_asvs_2_2_1_a_value_that_is_no_number_in_range_is_a_422_in_chinese(
    admin_client, field, value
):
    before = saved()
    response = post_form(admin_client, "/admin/", {**FORM, field: value}, page="/admin/")
    assert response.status_code == 422
    errors = re.findall(r'class="field-error">([^<]+)<', response.get_data(as_text=True))
    assert errors and all(CHINESE.search(error) for error in errors)
    assert saved() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("max_rate", "1.255", "最多两位小数。"), ("tolerance_seconds", "1.25", "最多一位小数。")],
)
def test_a_value_finer_than_is_kept_is_refused_not_cut(admin_client, field, value, message):
    before = saved()
    response = post_form(admin_client, "/admin/", {**FORM, field: value}, page="/admin/")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert saved() == before


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=form_bodies(list(FORM)))
@example(body=urlencode({**FORM, "max_rate": "sNaN"}).encode())
@example(body=urlencode({**FORM, "tolerance_seconds": "sNaN"}).encode())
def test_asvs_16_5_3_any_settings_form_body_gets_a_page_never_a_500(app, admin_client, body):
    token = csrf_of(admin_client.get("/admin/").get_data(as_text=True))
    assert_answered_with_a_page(app, body, post_body(admin_client, "/admin/", body, token))
