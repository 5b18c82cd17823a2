"""Pages that list courses, enrolments or search results read them in a fixed number of
queries: six courses cost what two cost (no query per course, lesson or enrolment)."""

import pytest

from academy.extensions import db
from tests.factories import HonestPlayer
from tests.queries import counting_queries

PAGES = [
    ("/api/v1/courses", {}),
    ("/me/learning", {}),
    ("/me/credits", {}),
    ("/api/v1/me/credits", {}),
    ("/api/v1/me/progress", {}),
    ("/search", {"q": "课程"}),  # found by title
    ("/search", {"q": "第一步"}),  # found in a transcript: whether it may be shown is asked
    ("/api/v1/search", {"q": "第一步"}),
]


def add_courses(make, api, movable_clock, count: int) -> None:
    """Free courses with a published transcript, each enrolled in and completed (so each has
    progress, a completion and ledger entries)."""
    for _ in range(count):
        course = make.course(lessons=[10_000, 10_000], credits={"afp-cfp": 150, "ctp": 100})
        make.insight(course.lessons[0])  # publishing indexes the course for search
        assert api.enroll(course.id)[0] == 201
        for lesson in course.lessons:
            HonestPlayer(api, movable_clock, lesson.id).play_to_end()


def statements(client, url: str, params: dict) -> int:
    db.session.remove()  # a fresh session, as every request has under gunicorn
    with counting_queries() as seen:
        response = client.get(url, query_string=params)
    assert response.status_code == 200
    return len(seen)


@pytest.mark.parametrize(("url", "params"), PAGES)
def test_six_courses_cost_the_same_queries_as_two(api, make, movable_clock, url, params):
    add_courses(make, api, movable_clock, 2)
    api.client.get(url, query_string=params)  # the first search creates its index table
    two = statements(api.client, url, params)
    add_courses(make, api, movable_clock, 4)
    assert statements(api.client, url, params) == two


@pytest.mark.parametrize("url", ["/search", "/api/v1/search"])
def test_a_visitor_finding_six_paid_courses_costs_what_two_cost(anon, make, url):
    """A visitor sees an outline of a paid course, not its transcript: read for the page."""

    def add_paid_courses(count: int) -> None:
        for _ in range(count):
            make.insight(make.course(price_fen=9900).lessons[0])

    params = {"q": "第一步"}
    add_paid_courses(2)
    anon.get(url, query_string=params)
    two = statements(anon, url, params)
    add_paid_courses(4)
    assert statements(anon, url, params) == two


def test_the_search_above_finds_every_course_by_its_transcript(api, make, movable_clock):
    # a guard on the test above: the transcript search must reach every course's result
    add_courses(make, api, movable_clock, 3)
    status, body = api.get("/api/v1/search?q=%E7%AC%AC%E4%B8%80%E6%AD%A5")
    assert status == 200 and body["total"] == 3
    assert all(r.get("lesson_id") for r in body["results"])
