"""Registration, login and logout, on pages and through the API."""

import pytest

from academy.auth.services import create_user, find_user
from academy.errors import Refusal
from tests.web import csrf_of, login, post_form


def test_register_logs_the_new_user_in(anon):
    page = anon.get("/register").get_data(as_text=True)
    response = anon.post(
        "/register",
        data={
            "username": "新学员",
            "nickname": "小王",
            "password": "long-enough-1",
            "confirm": "long-enough-1",
            "csrf_token": csrf_of(page),
        },
        follow_redirects=True,
    )
    assert "注册成功" in response.get_data(as_text=True)
    assert "小王" in response.get_data(as_text=True)


def test_a_nickname_of_spaces_is_no_nickname(anon):
    page = anon.get("/register").get_data(as_text=True)
    fields = {"username": "新学员", "nickname": "  ", "password": "long-enough-1"}
    anon.post("/register", data={**fields, "confirm": "long-enough-1", "csrf_token": csrf_of(page)})
    user = find_user("新学员")
    assert user.nickname == "" and user.display_name == "新学员"  # shown by the user name


def test_register_refuses_a_taken_name_with_a_chinese_message(anon, learner):
    page = anon.get("/register").get_data(as_text=True)
    response = anon.post(
        "/register",
        data={
            "username": "LEARNER1",
            "password": "long-enough-1",
            "confirm": "long-enough-1",
            "csrf_token": csrf_of(page),
        },
    )
    assert "已被使用" in response.get_data(as_text=True)


def test_wrong_password_on_the_login_page_says_so(anon, learner):
    response = login(anon, "learner1", "wrong-password")
    assert "用户名或密码不正确" in response.get_data(as_text=True)


def test_login_redirects_only_to_local_pages(anon, learner):
    page = anon.get("/login").get_data(as_text=True)
    response = anon.post(
        "/login?next=https://evil.example/",
        data={
            "username": "learner1",
            "password": "correct-horse-1",
            "csrf_token": csrf_of(page),
        },
    )
    assert response.headers["Location"] == "/"


def test_logout_needs_a_post_with_csrf(app, learner):
    client = app.test_client()
    login(client, "learner1")
    assert client.get("/logout").status_code == 405
    post_form(client, "/logout")
    assert client.get("/me/credits").status_code == 302


def test_a_form_post_without_csrf_is_refused(anon, learner):
    response = anon.post("/login", data={"username": "learner1", "password": "correct-horse-1"})
    assert response.status_code == 400
    assert "安全校验失败" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("username", "password", "code"),
    [
        ("ab", "long-enough-1", "invalid_username"),
        ("ok_name", "short", "weak_password"),
        ("bad name!", "long-enough-1", "invalid_username"),
    ],
)
def test_create_user_refuses_bad_input(app, username, password, code):
    with pytest.raises(Refusal) as refused:
        create_user(username, password)
    assert refused.value.code == code


def test_disabled_accounts_cannot_log_in(app, make):
    from academy import clock
    from academy.extensions import db

    user = make.user("gone")
    user.disabled_at = clock.now()
    db.session.commit()
    response = app.test_client().post(
        "/api/v1/auth/login", json={"username": "gone", "password": "correct-horse-1"}
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "account_disabled"


@pytest.mark.parametrize("target", ["//[", "/\\evil.example", "https://evil.example/", "//evil"])
def test_a_malformed_or_offsite_next_goes_home(anon, learner, target):
    page = anon.get("/login").get_data(as_text=True)
    response = anon.post(
        "/login",
        query_string={"next": target},
        data={"username": "learner1", "password": "correct-horse-1", "csrf_token": csrf_of(page)},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("nickname", ["\u200b\u200b", "王\u202e明", "小\x1b[31m张"])
def test_a_nickname_with_hidden_characters_is_refused_beside_it(anon, nickname):
    page = anon.get("/register").get_data(as_text=True)
    fields = {"username": "新学员", "nickname": nickname, "password": "long-enough-1"}
    response = anon.post(
        "/register", data={**fields, "confirm": "long-enough-1", "csrf_token": csrf_of(page)}
    )
    assert response.status_code == 422 and "控制字符或不可见字符" in response.get_data(as_text=True)
    assert find_user("新学员") is None
