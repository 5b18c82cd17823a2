"""The course page reads every lesson's published AI material at once, not lesson by lesson."""

import pytest

from tests.queries import page_statements
from tests.web import login


def _course_with_insights(make, lessons: int):
    course = make.course(lessons=[60_000] * lessons)
    for lesson in course.lessons:
        make.insight(lesson)
    return course


@pytest.mark.parametrize("signed_in", [False, True])
def test_more_lessons_with_insights_do_not_mean_more_queries(app, make, learner, signed_in):
    client = app.test_client()
    if signed_in:
        login(client, learner.username)
    few = _course_with_insights(make, 2)
    many = _course_with_insights(make, 6)
    if signed_in:
        make.enrol(learner, few)
        make.enrol(learner, many)
    few_count = len(page_statements(client, f"/courses/{few.id}"))
    assert len(page_statements(client, f"/courses/{many.id}")) == few_count
