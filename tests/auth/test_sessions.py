"""Server-side sessions: logout, password change and disabling end them (OWASP ASVS 5.0 V7)."""

from __future__ import annotations

import pytest

from academy import create_app
from academy.auth import sessions
from academy.extensions import db
from tests.factories import PASSWORD, ApiClient, FreshGlobalsClient
from tests.web import csrf_of, login, post_form

NEW_PASSWORD = "another-quiet-river-7"


def _page_login(client, username="learner1", password=PASSWORD, remember=True):
    page = client.get("/login").get_data(as_text=True)
    data = {"username": username, "password": password, "csrf_token": csrf_of(page)}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def _cookie(client, name: str) -> str | None:
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def _replay(app, **cookies) -> int:
    """A fresh client that carries only these cookie values: the status of /api/v1/auth/me."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief.get("/api/v1/auth/me").status_code


def test_asvs_7_4_1_an_old_session_cookie_is_dead_after_logout(app, learner):
    """ASVS 5.0 V7.4.1: after logout the session cannot be used again."""
    client = app.test_client()
    _page_login(client, remember=False)
    stolen = _cookie(client, "session")
    assert _replay(app, session=stolen) == 200
    post_form(client, "/logout")
    assert _replay(app, session=stolen) == 401


def test_asvs_7_4_1_the_remember_token_alone_is_dead_after_logout(app, learner):
    client = app.test_client()
    _page_login(client)
    remembered = _cookie(client, "remember_token")
    assert remembered
    assert _replay(app, remember_token=remembered) == 200
    post_form(client, "/logout")
    assert _replay(app, remember_token=remembered) == 401


def test_asvs_7_4_1_api_logout_ends_the_session_too(app, learner):
    api = ApiClient(app, "learner1")
    stolen = _cookie(api.client, "session")
    assert api.post("/api/v1/auth/logout")[0] == 200
    assert _replay(app, session=stolen) == 401


def test_asvs_7_2_3_each_login_gets_its_own_remember_token(app, learner):
    """ASVS 5.0 V7.2.3/V7.2.4: a new, random token per login; never the same value twice."""
    tokens = set()
    for _ in range(3):
        client = app.test_client()
        _page_login(client)
        tokens.add(_cookie(client, "remember_token"))
    assert len(tokens) == 3


def test_asvs_7_2_4_login_changes_the_session_and_the_csrf_token(app, learner):
    client = app.test_client()
    before_page = client.get("/login").get_data(as_text=True)
    before_cookie = _cookie(client, "session")
    client.post(
        "/login",
        data={"username": "learner1", "password": PASSWORD, "csrf_token": csrf_of(before_page)},
    )
    after_page = client.get("/").get_data(as_text=True)
    assert csrf_of(after_page) != csrf_of(before_page)
    assert _cookie(client, "session") != before_cookie
    # the pre-login session cookie grants nothing
    assert _replay(app, session=before_cookie) == 401


def test_asvs_3_3_cookies_are_httponly_samesite_and_expire(app, learner):
    """ASVS 5.0 V3.3.2, V3.3.4: HttpOnly and SameSite on the session and remember cookies."""
    client = app.test_client()
    response = _page_login(client)
    headers = response.headers.getlist("Set-Cookie")
    remember = next(h for h in headers if h.startswith("remember_token="))
    session_cookie = next(h for h in headers if h.startswith("session="))
    for header in (remember, session_cookie):
        assert "HttpOnly" in header
        assert "SameSite=Lax" in header
    assert "Expires=" in remember
    assert "Secure" not in remember  # plain HTTP in the embedded default


def test_asvs_3_3_1_cookies_are_secure_when_https_is_configured(tmp_path, monkeypatch):
    """ASVS 5.0 V3.3.1: with ACADEMY_HTTPS=1 both cookies carry Secure, and HSTS is sent."""
    monkeypatch.setenv("ACADEMY_HTTPS", "1")
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path / "instance",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'https.db'}",
            "SECRET_KEY": "test-secret",
            "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
        }
    )
    app.test_client_class = FreshGlobalsClient
    with app.app_context():
        db.create_all()
        from academy.auth.services import create_user

        create_user("secure1", PASSWORD)
        client = app.test_client()
        page = client.get("/login", base_url="https://localhost")
        hsts = page.headers["Strict-Transport-Security"]
        assert int(hsts.split("max-age=")[1].split(";")[0]) >= 365 * 24 * 3600
        response = client.post(
            "/login",
            base_url="https://localhost",
            data={
                "username": "secure1",
                "password": PASSWORD,
                "remember": "y",
                "csrf_token": csrf_of(page.get_data(as_text=True)),
            },
        )
        cookies = response.headers.getlist("Set-Cookie")
        assert all("Secure" in c for c in cookies if c.startswith(("session=", "remember_token=")))
        db.session.remove()
        db.engine.dispose()


def test_asvs_7_3_a_remember_token_expires_on_the_server(app, learner, movable_clock):
    """ASVS 5.0 V7.3: a remembered login ends after its lifetime even if the cookie is kept."""
    client = app.test_client()
    _page_login(client)
    remembered = _cookie(client, "remember_token")
    movable_clock.advance(app.config["REMEMBER_COOKIE_DURATION"].total_seconds() - 60)
    assert _replay(app, remember_token=remembered) == 200
    movable_clock.advance(120)
    assert _replay(app, remember_token=remembered) == 401


def test_a_login_without_remember_me_ends_after_a_day(app, learner, movable_clock):
    client = app.test_client()
    _page_login(client, remember=False)
    stolen = _cookie(client, "session")
    movable_clock.advance(app.config["LOGIN_SESSION_HOURS"] * 3600 + 1)
    assert _replay(app, session=stolen) == 401


def test_asvs_7_4_3_a_password_change_ends_every_other_login(app, learner):
    """ASVS 5.0 V7.4.3 and V6.2.3: the current password is asked; other logins end."""
    other_device = app.test_client()
    _page_login(other_device)
    other_session = _cookie(other_device, "session")
    other_remember = _cookie(other_device, "remember_token")

    api = ApiClient(app, "learner1")
    status, body = api.post(
        "/api/v1/auth/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert status == 200, body
    assert _replay(app, session=other_session) == 401
    assert _replay(app, remember_token=other_remember) == 401
    # the client that changed it continues, with a new CSRF token
    api.csrf = body["csrf_token"]
    assert api.get("/api/v1/auth/me")[0] == 200
    assert ApiClient(app, "learner1", NEW_PASSWORD).get("/api/v1/auth/me")[0] == 200


@pytest.mark.parametrize(
    ("current", "new", "status", "code"),
    [
        ("not-my-password", NEW_PASSWORD, 401, "invalid_credentials"),
        (PASSWORD, "password1", 422, "weak_password"),
        (PASSWORD, PASSWORD, 422, "weak_password"),
    ],
)
def test_asvs_6_2_3_a_bad_password_change_changes_nothing(app, learner, current, new, status, code):
    api = ApiClient(app, "learner1")
    got, body = api.post(
        "/api/v1/auth/password", {"current_password": current, "new_password": new}
    )
    assert (got, body["error"]["code"]) == (status, code)
    assert api.get("/api/v1/auth/me")[0] == 200  # still logged in, nothing ended
    assert ApiClient(app, "learner1", PASSWORD).get("/api/v1/auth/me")[0] == 200


def test_asvs_6_2_2_the_password_page_changes_the_password(app, learner):
    """ASVS 5.0 V6.2.2: users can change their password (page)."""
    client = app.test_client()
    login(client, "learner1")
    page = client.get("/account/password").get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_of(page),
        },
        follow_redirects=True,
    )
    assert "密码已修改" in response.get_data(as_text=True)
    assert client.get("/me/credits").status_code == 200  # still logged in here
    assert login(app.test_client(), "learner1", NEW_PASSWORD).status_code == 302


def test_the_password_page_shows_a_wrong_current_password_beside_the_field(app, learner):
    client = app.test_client()
    login(client, "learner1")
    page = client.get("/account/password").get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong-one",
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_of(page),
        },
    )
    assert response.status_code == 422
    assert "当前密码不正确" in response.get_data(as_text=True)


def test_asvs_7_4_2_disabling_an_account_ends_its_logins_at_once(app, learner, make):
    """ASVS 5.0 V7.4.2 and V7.4.5: an admin disables an account; every login of it ends."""
    victim = app.test_client()
    _page_login(victim)
    stolen = _cookie(victim, "session")
    remembered = _cookie(victim, "remember_token")
    make.user("boss", role="admin")
    admin = app.test_client()
    login(admin, "boss")
    page = admin.get(f"/admin/learners/{learner.id}").get_data(as_text=True)
    assert "当前有效登录：1" in page
    response = admin.post(
        f"/admin/learners/{learner.id}/disabled",
        data={"disabled": "1", "csrf_token": csrf_of(page)},
        follow_redirects=True,
    )
    assert "已停用" in response.get_data(as_text=True)
    assert _replay(app, session=stolen) == 401
    assert _replay(app, remember_token=remembered) == 401
    assert victim.get("/me/credits").status_code == 302
    assert sessions.open_sessions(learner.id) == []


def test_only_admins_may_disable_accounts(app, learner, make):
    make.user("peer")
    client = app.test_client()
    login(client, "peer")
    page = client.get("/").get_data(as_text=True)
    response = client.post(
        f"/admin/learners/{learner.id}/disabled",
        data={"disabled": "1", "csrf_token": csrf_of(page)},
    )
    assert response.status_code == 403
    assert db.session.get(type(learner), learner.id).disabled_at is None
