"""Fixtures for reviews: a free course the learner is enrolled in, and helpers."""

from __future__ import annotations

import pytest

from academy.community.models import Review, ReviewReport
from academy.extensions import db
from tests.factories import ApiClient


@pytest.fixture
def course(make, learner):
    course = make.course(title="客户沟通技巧")
    make.enrol(learner, course)
    return course


@pytest.fixture
def other(app, make, course):
    """A second learner, enrolled too, with an API login."""
    user = make.user("learner2", nickname="小王")
    make.enrol(user, course)
    return ApiClient(app, "learner2")


def reviews_url(course) -> str:
    return f"/api/v1/courses/{course.id}/reviews"


def delete(api: ApiClient, url: str):
    response = api.client.delete(url, headers={"X-CSRFToken": api.csrf})
    return response.status_code, response.get_json()


def report_rows(review_id: int) -> int:
    return db.session.query(ReviewReport).filter_by(review_id=review_id).count()


def stored(review_id: int) -> Review | None:
    db.session.expire_all()
    return db.session.get(Review, review_id)
