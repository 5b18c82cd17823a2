"""Fixtures for consultations: a published course taught by `instructor`, staff API logins."""

from __future__ import annotations

import pytest

from academy.auth.services import ensure_instructor_profile
from academy.extensions import db
from tests.factories import ApiClient


def taught_by(course, user):
    course.instructor_id = user.instructor_profile.id
    db.session.commit()
    return course


@pytest.fixture
def course(make, instructor):
    return taught_by(make.course(title="客户沟通技巧"), instructor)


@pytest.fixture
def admin_user(make):
    return make.user("admin1", role="admin")


@pytest.fixture
def other_instructor(make):
    user = make.user("teacher2", role="instructor")
    ensure_instructor_profile(user)
    return user


@pytest.fixture
def other(app, make):
    """A second learner with an API login."""
    make.user("learner2")
    return ApiClient(app, "learner2")


def ask_url(course) -> str:
    return f"/api/v1/courses/{course.id}/questions"


def thread_url(thread_id: int, action: str) -> str:
    return f"/api/v1/me/messages/{thread_id}/{action}"


def ask(api: ApiClient, course, text: str = "这门课有课件下载吗？") -> int:
    status, body = api.post(ask_url(course), {"text": text})
    assert status == 201, body
    return body["thread"]["id"]


def unread(api: ApiClient) -> int:
    return api.get("/api/v1/me/messages")[1]["unread"]
