"""The database unreachable for a moment: 503 with a clear message and Retry-After, nothing
half written, and the site back by itself once the database is. A real PostgreSQL of the
test's own, really stopped (pg_ctl's fast shutdown: connections cut, open transactions
rolled back) and started again under the same running app."""

from __future__ import annotations

from sqlalchemy import event, func, select

from academy.extensions import db
from academy.learning.models import Enrolment
from tests.factories import ApiClient, Factory
from tests.web import login

MESSAGE = "数据库暂时无法连接"


def healthz(client) -> tuple[int, bool]:
    response = client.get("/healthz")
    return response.status_code, response.get_json()["checks"]["database"]["ok"]


def test_an_outage_answers_503_and_the_site_recovers_without_a_restart(
    postgres_of_our_own, build_app
):
    server = postgres_of_our_own
    app = build_app(SQLALCHEMY_DATABASE_URI=server.create_database("outage"))
    make = Factory(app)
    make.course()  # the home page lists it
    make.user("learner1")
    api = ApiClient(app, "learner1")  # logged in before the outage
    browser = app.test_client()
    login(browser, "learner1")
    anon = app.test_client()
    assert anon.get("/").status_code == 200
    assert api.get("/api/v1/auth/me")[0] == 200
    assert healthz(anon)[1] is True
    db.session.commit()  # the test's own session holds no transaction across the stop

    server.stop()

    page = anon.get("/")
    assert page.status_code == 503
    assert MESSAGE in page.get_data(as_text=True)
    assert page.headers["Retry-After"] == "30"
    # a logged-in page too: drawn without reading its user from the database that failed
    mine = browser.get("/me/learning")
    assert mine.status_code == 503 and MESSAGE in mine.get_data(as_text=True)
    status, body = api.get("/api/v1/auth/me")
    assert status == 503
    assert body["error"]["code"] == "database_unavailable"
    assert MESSAGE in body["error"]["message"] and body["error"]["retry_after"] == 30
    assert healthz(anon) == (503, False)

    server.start()

    assert anon.get("/").status_code == 200  # the same app: its pool replaced the dead ones
    assert api.get("/api/v1/auth/me")[0] == 200  # the login outlived the outage
    assert browser.get("/me/learning").status_code == 200
    assert healthz(anon)[1] is True


def test_a_write_cut_off_midway_leaves_nothing_and_can_be_made_again(
    postgres_of_our_own, build_app
):
    server = postgres_of_our_own
    app = build_app(SQLALCHEMY_DATABASE_URI=server.create_database("midway"))
    make = Factory(app)
    course = make.course()
    make.user("learner1")
    api = ApiClient(app, "learner1")
    db.session.commit()
    stopped = []

    @event.listens_for(db.engine, "after_cursor_execute")
    def stop_after_the_insert(conn, cursor, statement, parameters, context, executemany):
        # the enrolment's row has reached the server, its commit has not
        if statement.startswith("INSERT INTO enrolments") and not stopped:
            stopped.append(statement)
            server.stop()

    status, body = api.enroll(course.id)

    assert stopped, "the request never wrote"
    assert status == 503 and body["error"]["code"] == "database_unavailable"
    event.remove(db.engine, "after_cursor_execute", stop_after_the_insert)
    server.start()
    count = select(func.count(Enrolment.id)).where(Enrolment.course_id == course.id)
    assert db.session.scalar(count) == 0  # rolled back with the connection
    status, body = api.enroll(course.id)  # the learner tries again
    assert status == 201 and body["created"] is True
    assert db.session.scalar(count) == 1
