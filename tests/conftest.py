"""Fixtures: app -> db -> users; a movable clock; API clients that log in."""

from __future__ import annotations

import pytest
from flask import g
from flask.testing import FlaskClient

from academy import clock, create_app
from academy.extensions import db as _db
from tests import factories


class FreshGlobalsClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as in production.

    Tests keep one app context open (for the database), and Flask reuses it for requests made
    inside it, so without this the logged-in user and CSRF token cached in `g` by one client's
    request would leak into another client's.
    """

    def open(self, *args, **kwargs):
        for name in list(g):
            g.pop(name)
        return super().open(*args, **kwargs)


@pytest.fixture
def movable_clock():
    """The app's clock, standing still until the test moves it."""
    moving = clock.MovableClock()
    clock.set_source(moving)
    yield moving
    clock.set_source(None)


@pytest.fixture
def app(tmp_path, movable_clock):
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path / "instance",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
            "MEDIA_PATH": tmp_path / "media",
            "SECRET_KEY": "test-secret",
            "TESTING": True,
        }
    )
    app.test_client_class = FreshGlobalsClient
    with app.app_context():
        _db.create_all()
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def make(db, app):
    """Builders for test data (tests/factories.py), bound to this app."""
    return factories.Factory(app)


@pytest.fixture
def learner(make):
    return make.user("learner1", role="learner")


@pytest.fixture
def api(app, learner):
    """An API client logged in as `learner`, sending the CSRF token on writes."""
    return factories.ApiClient(app, "learner1")


@pytest.fixture
def anon(app):
    return app.test_client()
