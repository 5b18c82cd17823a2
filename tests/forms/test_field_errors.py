"""A refused form comes back with each error beside its field: the field is aria-invalid and
its aria-describedby names the error's text (site.js then puts the focus on it)."""

from __future__ import annotations

import pytest

from tests.web import FormControls, field_error, post_form

COURSE = {
    "title": "保险规划",
    "category_id": "{course.category_id}",
    "price": "0",
    "transcript_script": "simplified",
}
SETTINGS = {
    "max_rate": "1.0",
    "popups_per_50min": "3",
    "min_popups_per_lesson": "1",
    "heartbeat_seconds": "5",
    "tolerance_seconds": "2",
    "wrong_answer_rewind_seconds": "30",
}

#: (role, page, what is sent, field, part of the error); {names} come from the `site` fixture
REFUSED = [
    (None, "/login", {"username": "", "password": "x"}, "username", "请输入用户名"),
    (
        None,
        "/register",
        {"username": "newbie", "password": "correct-horse-9", "confirm": "other-horse-9"},
        "confirm",
        "两次输入的密码不一致",
    ),
    ("learner", "/me/profile", {"email": "not-an-address"}, "email", "电子邮箱"),
    (
        "learner",
        "/account/password",
        {"current_password": "wrong-horse-1", "new_password": "", "confirm": ""},
        "new_password",
        "请输入新密码",
    ),
    (
        "learner",
        "/me/certificates",
        {"number-afp-cfp": "CFP-1", "obtained_on-afp-cfp": "yesterday"},
        "obtained_on-afp-cfp",
        "取得日期须为 YYYY-MM-DD",
    ),
    ("instructor", "/studio/courses/new", {**COURSE, "title": ""}, "title", "请填写"),
    (
        "instructor",
        "/studio/articles/new",
        {"title": "", "author_name": "编辑部", "body": "x"},
        "title",
        "请填写",
    ),
    ("admin", "/admin/", {**SETTINGS, "max_rate": "9"}, "max_rate", "须在"),
    (
        "admin",
        "/admin/plans/new",
        {
            "name": "季度 VIP",
            "price": "99",
            "days": "0",
            "discount_percent": "0",
            "quota_hours": "25",
        },
        "days",
        "须在 1 到 3650 天之间",
    ),
    (
        "admin",
        "/admin/credit-types",
        {"code": "Bad Code", "name": "再认证", "cycle_years": "2"},
        "code",
        "代码只能用小写字母",
    ),
    (
        "admin",
        "/admin/credit-types",
        {"code": "ctp", "name": "CTP", "cycle_years": "2", "yearly_min_hours": "lots"},
        "yearly_min_hours",
        "学时须为数字",
    ),
    (
        "admin",
        "/admin/credit-types/{credit_type.id}",
        {"code": "afp-cfp", "name": "", "cycle_years": "2"},
        "name",
        "名称须为 1 到 60 个字符",
    ),
    (
        "admin",
        "/admin/courses/{course.id}/credits",
        {"hours-{credit_type.id}": "1.005"},
        "hours-{credit_type.id}",
        "最多两位小数",
    ),
    (
        "admin",
        "/admin/learners/{learner.id}/credits",
        {"credit_type_id": "{credit_type.id}", "hours": "1", "note": ""},
        "note",
        "请填写调整原因",
    ),
    (
        "admin",
        "/admin/learners/{learner.id}/credits",
        {"credit_type_id": "{credit_type.id}", "hours": "0", "note": "补录"},
        "hours",
        "调整学时不能为 0",
    ),
]


def filled(template: str, site) -> str:
    return template.format(**vars(site))


@pytest.mark.parametrize(("role", "page", "data", "field", "message"), REFUSED)
def test_a_refused_field_shows_its_error_beside_it(
    site, client_as, role, page, data, field, message
):
    url = filled(page, site)
    sent = {filled(name, site): filled(value, site) for name, value in data.items()}
    response = post_form(client_as(role), url, sent, page=url)
    html = response.get_data(as_text=True)
    assert message in field_error(html, filled(field, site))
    invalid = [f["name"] for f in FormControls(html).fields if f.get("aria-invalid") == "true"]
    assert invalid == [filled(field, site)]  # only the refused field is marked


def test_a_lesson_without_a_title_is_refused_beside_the_title(site, client_as):
    url = f"/studio/courses/{site.course.id}"
    response = post_form(client_as("instructor"), f"{url}/lessons", {"title": ""}, page=url)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "lesson-title")


def test_a_backwards_export_range_is_refused_beside_the_end_date(site, client_as):
    response = client_as("admin").get("/admin/credits/export?start=2026-12-31&end=2026-01-01")
    assert response.status_code == 422
    assert "开始日期须不晚于结束日期" in field_error(response.get_data(as_text=True), "end")


def test_what_was_typed_is_still_there_after_a_refusal(site, client_as):
    sent = {"code": "Bad Code", "name": "再认证", "cycle_years": "3", "required_hours": "12.5"}
    html = post_form(
        client_as("admin"), "/admin/credit-types", sent, page="/admin/credit-types"
    ).get_data(as_text=True)
    values = {f["name"]: f.get("value") for f in FormControls(html).fields}
    assert {name: values[name] for name in sent} == sent


def test_a_refusal_about_no_field_is_said_at_the_top(site, client_as):
    admin = client_as("admin")
    sent = {"code": "afp-cfp", "name": "重复", "cycle_years": "2"}
    html = post_form(admin, "/admin/credit-types", sent, page="/admin/credit-types").get_data(
        as_text=True
    )
    assert "已有相同代码的学时类型" in field_error(html, "code")
