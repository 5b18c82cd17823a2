"""A learner deletes their account (注销): their personal information is gone, the account no
longer opens, and what the platform must keep stays, without it: the hours and a certificate
that still verifies, orders, the watch log, their reviews as 已注销用户."""

from datetime import date

import pytest

from academy.api.openapi import document
from academy.auth.models import LoginSession, User
from academy.commerce import cart, memberships, orders
from academy.commerce.models import Order, OrderStatus, Plan
from academy.community import services as community
from academy.credits import certificates, declarations
from academy.credits.models import CompletionCertificate, CreditEntry, DeclaredCertificate
from academy.extensions import db
from academy.learning.models import WatchSession
from academy.search.models import SearchHistory
from tests.factories import PASSWORD, ApiClient, HonestPlayer
from tests.web import login, post_form

PERSONAL = {
    "nickname": "小王",
    "real_name": "王小明",
    "email": "wang@example.com",
    "phone": "13800138000",
    "employer": "某银行北京分行",
    "birthday": date(1990, 5, 1),
}


@pytest.fixture
def learner_with_a_history(app, make, movable_clock):
    """A learner who completed a course (hours, a certificate), reviewed it, declared a
    certificate, and has an order awaiting payment."""
    user = make.user("wang", **PERSONAL)
    credit_type = make.credit_type()
    course = make.course(lessons=[20_000], credits={credit_type.code: 150})
    declarations.declare_certificates(
        user.id, [declarations.Declaration(credit_type.id, "AFP-2020-0001", date(2020, 1, 1))]
    )
    api = ApiClient(app, "wang")
    api.enroll(course.id)
    assert HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()["course_complete"]
    issued = certificates.issue_certificate(user.id, course.id)
    community.post_review(user, course, "讲得清楚，案例实用。", 5)
    paid = make.course(price_fen=9900)
    cart.add_to_cart(user.id, paid.id)
    orders.checkout_cart(user.id)
    return user, course, issued


def erase(app, password: str = PASSWORD, understood: bool = True):
    client = app.test_client()
    login(client, "wang")
    client.get("/search?q=反洗钱")  # a query kept in the search history
    fields = {"password": password} | ({"understood": "y"} if understood else {})
    return client, post_form(client, "/me/account/delete", fields, page="/me/account/delete")


def test_the_personal_information_goes_and_the_account_no_longer_opens(app, learner_with_a_history):
    user, course, issued = learner_with_a_history
    client, response = erase(app)

    assert response.status_code == 302
    db.session.expire_all()
    erased = db.session.get(User, user.id)
    assert erased.erased_at is not None and erased.username.startswith("erased-")
    assert [getattr(erased, name) for name in PERSONAL] == ["", "", "", "", "", None]
    assert db.session.query(DeclaredCertificate).count() == 0
    assert {(s.ip, s.user_agent) for s in db.session.query(LoginSession)} == {("", "")}
    assert {(s.ip, s.user_agent) for s in db.session.query(WatchSession)} == {("", "")}
    assert all(s.revoked_at is not None for s in db.session.query(LoginSession))
    assert db.session.query(SearchHistory).count() == 0
    assert client.get("/me/profile").status_code == 302  # this browser is logged out too
    again = app.test_client()
    response = post_form(again, "/login", {"username": "wang", "password": PASSWORD}, page="/login")
    assert "用户名或密码不正确" in response.get_data(as_text=True)


def test_what_must_be_kept_stays_without_the_person(app, learner_with_a_history):
    user, course, issued = learner_with_a_history
    issued.holder_name = "王小明"  # printed at its first download
    db.session.commit()
    erase(app)

    db.session.expire_all()
    assert [(e.kind, e.centihours) for e in db.session.query(CreditEntry)] == [("award", 150)]
    kept = db.session.query(CompletionCertificate).one()
    assert (kept.revoked_at, kept.holder_name) == (None, "")
    verify = app.test_client().get(f"/verify/{certificates.format_code(issued.code)}")
    page = verify.get_data(as_text=True)
    assert verify.status_code == 200 and "已注销用户" in page and "王" not in page
    (order,) = db.session.query(Order).all()
    assert order.status == OrderStatus.CANCELLED  # awaited payment: cancelled first
    reviews = app.test_client().get(f"/courses/{course.id}").get_data(as_text=True)
    assert "讲得清楚，案例实用。" in reviews and "已注销用户" in reviews and "小王" not in reviews


def test_a_member_deletes_their_account_too(app, make, learner_with_a_history):
    user = learner_with_a_history[0]
    plan = Plan(name="年度 VIP", price_fen=36_500, days=365, quota_centihours=2500)
    db.session.add(plan)
    db.session.commit()
    memberships.add_period(user.id, plan, None)  # declarations are locked while a member
    db.session.commit()
    erase(app)
    db.session.expire_all()
    assert db.session.get(User, user.id).erased_at is not None
    assert db.session.query(DeclaredCertificate).count() == 0


def test_a_wrong_password_or_no_confirmation_changes_nothing(app, learner_with_a_history):
    user = learner_with_a_history[0]
    _, response = erase(app, password="not-the-password")
    assert response.status_code == 422 and "当前密码不正确" in response.get_data(as_text=True)
    _, response = erase(app, understood=False)
    assert response.status_code == 422 and "请勾选确认" in response.get_data(as_text=True)
    db.session.expire_all()
    kept = db.session.get(User, user.id)
    assert (kept.erased_at, kept.real_name, kept.username) == (None, "王小明", "wang")


def test_an_instructor_is_sent_to_an_admin(app, instructor):
    client = app.test_client()
    login(client, "teacher1")
    fields = {"password": PASSWORD, "understood": "y"}
    response = post_form(client, "/me/account/delete", fields, page="/me/account/delete")
    assert response.status_code == 422 and "请联系管理员注销" in response.get_data(as_text=True)
    db.session.expire_all()
    assert instructor.erased_at is None


def test_an_admin_sees_it_was_deleted_and_cannot_restore_it(app, make, learner_with_a_history):
    user = learner_with_a_history[0]
    erase(app)
    make.user("admin1", role="admin")
    admin = app.test_client()
    login(admin, "admin1")
    page = f"/admin/learners/{user.id}"
    html = admin.get(page).get_data(as_text=True)
    assert 'id="account-erased"' in html and "恢复账号" not in html
    response = post_form(admin, f"{page}/disabled", {"disabled": "0"}, page=page)
    assert "不能停用或恢复" in admin.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).disabled_at is not None


def test_a_learner_takes_a_copy_of_their_personal_information(app, learner_with_a_history):
    client = app.test_client()
    login(client, "wang")
    client.get("/search?q=尽职调查")
    response = client.get("/me/account/export")

    assert response.headers["Content-Disposition"].startswith("attachment")
    data = response.get_json()
    assert data["account"]["real_name"] == "王小明" and data["account"]["birthday"] == "1990-05-01"
    assert [c["number"] for c in data["declared_certificates"]] == ["AFP-2020-0001"]
    assert [(e["kind"], e["hours"]) for e in data["credit_entries"]] == [("award", 1.5)]
    assert [r["text"] for r in data["reviews"]] == ["讲得清楚，案例实用。"]
    assert [o["status"] for o in data["orders"]] == ["pending"]
    assert data["progress"][0]["completed_at"] is not None and len(data["enrolments"]) == 1
    assert data["logins"] and all("ip" in login for login in data["logins"])
    assert [c["code"] for c in data["certificates"]] == [
        certificates.format_code(learner_with_a_history[2].code)
    ]
    assert [q["query"] for q in data["search_history"]] == ["尽职调查"]
    assert data["memberships"] == []
    assert app.test_client().get("/me/account/export").status_code == 302  # logged in only


def test_the_api_gives_the_same_copy_and_documents_it(app, learner_with_a_history):
    api = ApiClient(app, "wang")
    status, data = api.get("/api/v1/me/account/export")

    assert status == 200
    page = app.test_client()
    login(page, "wang")
    as_downloaded = page.get("/me/account/export").get_json()
    changing = {"exported_at", "logins"}  # the page's login is one more
    assert {key: data[key] for key in data if key not in changing} == {
        key: as_downloaded[key] for key in as_downloaded if key not in changing
    }
    assert len(as_downloaded["logins"]) == len(data["logins"]) + 1
    schema = document()["components"]["schemas"]["PersonalData"]
    assert set(schema["properties"]) == set(data)
    assert set(schema["properties"]["account"]["properties"]) == set(data["account"])


def test_the_api_deletes_only_when_confirmed_and_with_the_password(app, learner_with_a_history):
    user = learner_with_a_history[0]
    api = ApiClient(app, "wang")

    status, body = api.post("/api/v1/me/account/delete", {"password": PASSWORD})
    assert (status, body["error"]["code"]) == (422, "not_confirmed")
    status, body = api.post(
        "/api/v1/me/account/delete", {"password": "not-the-password", "confirm": True}
    )
    assert (status, body["error"]["code"]) == (401, "invalid_credentials")
    db.session.expire_all()
    assert db.session.get(User, user.id).erased_at is None

    status, body = api.post("/api/v1/me/account/delete", {"password": PASSWORD, "confirm": True})
    assert (status, body) == (200, {"ok": True})
    db.session.expire_all()
    assert db.session.get(User, user.id).erased_at is not None
    assert api.get("/api/v1/auth/me")[0] == 401  # this client's login ended with it


def test_the_api_sends_an_instructor_to_an_admin(app, instructor):
    api = ApiClient(app, "teacher1")
    status, body = api.post("/api/v1/me/account/delete", {"password": PASSWORD, "confirm": True})
    assert (status, body["error"]["code"]) == (403, "not_a_learner")
