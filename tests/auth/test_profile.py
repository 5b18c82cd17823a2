"""The profile page and API, and the reminders that ask to complete or check the profile."""

from datetime import date, datetime, timedelta

import pytest

from academy.auth.profile import check_profile
from academy.errors import Refusal
from tests.factories import PASSWORD
from tests.web import csrf_of, login

COMPLETE = {
    "nickname": "小王",
    "real_name": "王小明",
    "birthday": "1988-05-20",
    "employer": "招商银行",
    "email": "wang@example.com",
    "phone": "138 0013 8000",
}


@pytest.fixture
def page(app, learner):
    client = app.test_client()
    login(client, "learner1")
    return client


def save_form(client, data: dict):
    token = csrf_of(client.get("/me/profile").get_data(as_text=True))
    return client.post("/me/profile", data={**data, "csrf_token": token})


def reminders(api) -> list[dict]:
    status, body = api.get("/api/v1/me/reminders")
    if status == 401:  # the clock moved past the login's lifetime: log in again
        login = {"username": "learner1", "password": PASSWORD}
        api.csrf = api.post("/api/v1/auth/login", login, csrf=False)[1]["csrf_token"]
        status, body = api.get("/api/v1/me/reminders")
    assert status == 200
    return body["reminders"]


def put_profile(api, body: dict):
    response = api.client.put("/api/v1/me/profile", json=body, headers={"X-CSRFToken": api.csrf})
    return response.status_code, response.get_json()


def test_the_reminder_names_exactly_the_missing_fields(api):
    assert reminders(api) == [
        {
            "kind": "profile_incomplete",
            "missing": ["nickname", "real_name", "birthday", "employer", "email"],
        }
    ]
    put_profile(api, {"nickname": "小王", "email": "wang@example.com"})
    assert reminders(api) == [
        {"kind": "profile_incomplete", "missing": ["real_name", "birthday", "employer"]}
    ]


def test_the_page_reminder_names_the_missing_fields_and_links_the_form(page, learner, db):
    learner.nickname, learner.email = "小王", "wang@example.com"
    db.session.commit()
    html = page.get("/").get_data(as_text=True)
    assert "您的个人资料尚缺：真实姓名、出生日期、工作单位。" in html
    assert 'href="/me/profile"' in html


def test_the_reminder_goes_away_once_the_profile_is_complete(page, api):
    assert save_form(page, COMPLETE).status_code == 302
    assert reminders(api) == []
    assert "profile-reminder" not in page.get("/").get_data(as_text=True)
    status, body = api.get("/api/v1/me/profile")
    assert body["phone"] == "13800138000" and body["birthday"] == "1988-05-20"
    assert body["missing"] == []


def test_a_profile_not_updated_for_the_set_days_asks_to_be_checked(app, api, movable_clock):
    put_profile(api, COMPLETE)
    movable_clock.advance(timedelta(days=180).total_seconds())
    assert reminders(api) == []
    movable_clock.advance(60)
    assert reminders(api) == [{"kind": "profile_stale", "missing": []}]
    app.config["PROFILE_STALE_DAYS"] = 365
    assert reminders(api) == []
    app.config["PROFILE_STALE_DAYS"] = 180
    put_profile(api, {})  # saving, even unchanged, is checking it
    assert reminders(api) == []


def test_a_dismissed_reminder_comes_back_after_the_set_days(app, api, movable_clock):
    status, body = api.post("/api/v1/me/reminders/profile_incomplete/dismiss")
    assert status == 200 and body["kind"] == "profile_incomplete"
    assert reminders(api) == []
    movable_clock.advance(timedelta(days=7).total_seconds() - 1)
    assert reminders(api) == []
    movable_clock.advance(2)
    assert [r["kind"] for r in reminders(api)] == ["profile_incomplete"]
    # dismissing again hides it again (one row per kind, updated)
    assert api.post("/api/v1/me/reminders/profile_incomplete/dismiss")[0] == 200
    assert reminders(api) == []


def test_dismissing_from_the_page_hides_the_banner(page):
    token = csrf_of(page.get("/").get_data(as_text=True))
    response = page.post(
        "/me/reminders/profile_incomplete/dismiss",
        data={"csrf_token": token, "next": "/me/learning"},
    )
    assert response.status_code == 302 and response.location.endswith("/me/learning")
    assert "profile-reminder" not in page.get("/").get_data(as_text=True)


def test_an_unknown_reminder_kind_is_not_found(api, page):
    assert api.post("/api/v1/me/reminders/nagging/dismiss")[0] == 404
    token = csrf_of(page.get("/").get_data(as_text=True))
    assert page.post("/me/reminders/nagging/dismiss", data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("email", "not-an-address", "invalid_email"),
        ("email", "a@b", "invalid_email"),
        ("phone", "12ab", "invalid_phone"),
        ("birthday", "1988/05/20", "invalid_date"),
        ("birthday", "1988-02-30", "invalid_date"),
        ("birthday", "2026-11-24", "date_in_future"),
        ("birthday", "1899-12-31", "date_too_early"),
        ("employer", "银" * 101, "too_long"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_changes_nothing(api, learner, name, value, code):
    put_profile(api, COMPLETE)
    before = api.get("/api/v1/me/profile")[1]
    status, body = put_profile(api, {"nickname": "新昵称", name: value})
    assert status == 422
    assert body["error"]["code"] == "invalid_profile"
    assert list(body["error"]["fields"]) == [name]
    assert body["error"]["fields"][name]["code"] == code
    assert api.get("/api/v1/me/profile")[1] == before


def test_a_birthday_of_today_in_beijing_is_accepted(api, movable_clock):
    movable_clock.current = datetime(2026, 11, 23, 20, 0)  # already the 24th in Beijing
    assert put_profile(api, {"birthday": "2026-11-24"})[0] == 200
    assert put_profile(api, {"birthday": "2026-11-25"})[0] == 422


def test_a_wrong_type_is_an_invalid_field(api):
    status, body = put_profile(api, {"email": 5})
    assert status == 422 and body["error"]["code"] == "invalid_field"


def test_the_form_shows_errors_beside_the_fields_and_saves_nothing(page, learner, db):
    response = save_form(page, {**COMPLETE, "email": "wang@", "birthday": "2999-01-01"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "电子邮箱格式不正确。" in html and "出生日期不能晚于今天。" in html
    db.session.refresh(learner)
    assert learner.nickname == "" and learner.profile_updated_at is None


@pytest.mark.parametrize("typed", ["王\x00明", "王\x1b[31m明", "\u202e王明", "\u200b\u200b"])
def test_control_and_invisible_characters_are_refused_in_the_profile(api, learner, typed):
    status, body = put_profile(api, {"real_name": typed, "employer": "某银行"})
    assert status == 422 and body["error"]["fields"]["real_name"]["code"] == "invalid_text"
    assert api.get("/api/v1/me/profile")[1]["employer"] == ""  # nothing saved


def test_html_in_the_profile_is_shown_as_text(page, api):
    put_profile(api, {**COMPLETE, "nickname": "<script>alert(1)</script>", "real_name": ""})
    html = page.get("/me/profile").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_profile_page_shows_the_user_name_certificates_and_password_link(page, make, api):
    credit_type = make.credit_type()
    held = [{"type": credit_type.code, "number": "CFP-1", "obtained_on": "2020-01-02"}]
    response = api.client.put(
        "/api/v1/me/certificates", json={"certificates": held}, headers={"X-CSRFToken": api.csrf}
    )
    assert response.status_code == 200
    html = page.get("/me/profile").get_data(as_text=True)
    assert 'value="learner1" readonly' in html
    assert "CFP-1" in html and 'href="/me/certificates"' in html
    assert 'href="/account/password"' in html


def test_the_profile_api_needs_a_login(anon):
    assert anon.get("/api/v1/me/profile").status_code == 401
    assert anon.get("/api/v1/me/reminders").status_code == 401
    assert anon.get("/me/profile").status_code == 302


def test_anonymous_pages_carry_no_reminder(anon):
    assert "profile-reminder" not in anon.get("/").get_data(as_text=True)


def test_check_profile_refuses_with_a_refusal():
    with pytest.raises(Refusal):
        check_profile({"email": "x"}, date(2026, 1, 1))
