"""Builders for test data and a small API client that speaks the protocol like a player."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from flask import g
from flask.testing import FlaskClient

from academy.auth.services import create_user
from academy.catalog.models import Category, Course, Lesson
from academy.credits.models import CourseCredit, CreditType
from academy.extensions import db
from academy.learning.services import enrol_free

PASSWORD = "correct-horse-1"
#: the committed 41 s demo lecture: real Chinese speech, small enough for tests
CLIP = (
    Path(__file__).resolve().parents[1] / "academy" / "demo" / "media" / "client-communication.mp4"
)
QUESTION = {
    "kind": "choice",
    "prompt": "识别客户身份的第一步是什么？",
    "choices": ["尽职调查", "产品推介", "售后回访", "资产配置"],
    "answer": 0,
    "explanation": "讲座中说：尽职调查是识别客户身份的第一步。",
}


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


class Factory:
    """Creates rows with sensible defaults; every argument can be overridden."""

    def __init__(self, app) -> None:
        self.app = app
        self._count = 0

    def _next(self) -> int:
        self._count += 1
        return self._count

    def user(self, username: str | None = None, role: str = "learner", **profile):
        return create_user(username or f"user{self._next()}", PASSWORD, role, **profile)

    def credit_type(self, code: str = "afp-cfp", name: str = "继续教育再认证") -> CreditType:
        existing = db.session.query(CreditType).filter_by(code=code).one_or_none()
        if existing:
            return existing
        credit_type = CreditType(code=code, name=name, cycle_years=2, required_centihours=3000)
        db.session.add(credit_type)
        db.session.commit()
        return credit_type

    def course(
        self,
        *,
        lessons: Sequence[int | tuple[str, int, str]] = (60_000,),
        price_fen: int = 0,
        credits: dict[str, int] | None = None,
        published: bool = True,
        title: str | None = None,
        slug: str | None = None,
        category: tuple[str, str] = ("general", "综合"),
        instructor_id: int | None = None,
    ) -> Course:
        """A course with its lessons and credit hours. A lesson is its duration (ms), or
        (title, duration ms, media path); `category` is (slug, name), made when missing."""
        n = self._next()
        category_slug, category_name = category
        found = db.session.query(Category).filter_by(slug=category_slug).one_or_none()
        course = Course(
            slug=slug or f"course-{n}",
            title=title or f"课程 {n}",
            category=found or Category(slug=category_slug, name=category_name, position=1),
            price_fen=price_fen,
            published_on=date(2026, 11, 1) if published else None,
            instructor_id=instructor_id,
        )
        db.session.add(course)
        db.session.flush()
        for position, lesson in enumerate(lessons, start=1):
            if isinstance(lesson, int):
                lesson = (f"第 {position} 讲", lesson, f"lessons/{course.id}-{position}.mp4")
            lesson_title, duration_ms, media_path = lesson
            db.session.add(
                Lesson(
                    course_id=course.id,
                    position=position,
                    title=lesson_title,
                    duration_ms=duration_ms,
                    media_path=media_path,
                )
            )
        for code, centihours in (credits if credits is not None else {"afp-cfp": 150}).items():
            credit_type = self.credit_type(code, name=code.upper())
            db.session.add(
                CourseCredit(
                    course_id=course.id, credit_type_id=credit_type.id, centihours=centihours
                )
            )
        db.session.commit()
        return course

    def enrol(self, user, course) -> None:
        enrol_free(user, course)

    def insight(self, lesson, *, questions: list[dict] | None = None, publish: bool = True):
        """A transcript and review questions for a lesson, published unless told otherwise."""
        from academy.insights import services as insights
        from academy.insights.models import LessonInsight

        insight = LessonInsight(
            lesson_id=lesson.id,
            segments=[{"start": 0.0, "end": 5.0, "text": "尽职调查是识别客户身份的第一步。"}],
            keywords=["尽职调查"],
            summary="尽职调查是识别客户身份的第一步。",
            chapters=[{"start": 0.0, "title": "尽职调查", "summary": "识别客户。", "points": []}],
            # a copy: a test that edits its lesson's question must not edit the next test's
            questions=questions if questions is not None else [copy.deepcopy(QUESTION)],
            mind_map={"title": lesson.title, "children": []},
        )
        db.session.add(insight)
        db.session.commit()
        if publish:
            insights.publish(lesson)
        return insight


class ApiClient:
    """Talks to /api/v1 as a logged-in user: JSON in, (status, JSON) out."""

    def __init__(self, app, username: str, password: str = PASSWORD) -> None:
        self.client = app.test_client()
        status, body = self.post(
            "/api/v1/auth/login", {"username": username, "password": password}, csrf=False
        )
        assert status == 200, body
        self.csrf = body["csrf_token"]

    def post(self, url: str, body: dict | None = None, *, csrf: bool = True):
        headers = {"X-CSRFToken": self.csrf} if csrf and getattr(self, "csrf", None) else {}
        response = self.client.post(url, json=body if body is not None else {}, headers=headers)
        return response.status_code, response.get_json()

    def get(self, url: str):
        response = self.client.get(url)
        return response.status_code, response.get_json()

    # The protocol, one call each
    def enroll(self, course_id: int):
        return self.post(f"/api/v1/courses/{course_id}/enroll")

    def start(self, lesson_id: int):
        return self.post(f"/api/v1/lessons/{lesson_id}/watch")

    def beat(
        self, session: str, seq: int, position: float, rate: float = 1.0, hidden: bool = False
    ):
        return self.post(
            f"/api/v1/watch/{session}/beat",
            {"seq": seq, "position": position, "rate": rate, "hidden": hidden},
        )

    def confirm(self, session: str, popup_id: str, answer: int | None = None):
        body = {} if answer is None else {"answer": answer}
        return self.post(f"/api/v1/watch/{session}/popups/{popup_id}", body)


class HonestPlayer:
    """Plays a lesson like the browser does: beats every `every` seconds of real time."""

    def __init__(self, api: ApiClient, clock, lesson_id: int, every: float = 5.0) -> None:
        self.api, self.clock, self.every = api, clock, every
        status, body = api.start(lesson_id)
        assert status == 201, body
        self.session = body["session"]
        self.duration = body["duration"]
        self.position = body["verified"]
        self.seq = 0
        self.popups_seen: list[dict] = []
        self.last: dict = body

    def step(self) -> dict:
        """Let `every` seconds of real time pass while playing, then report."""
        self.clock.advance(self.every)
        self.position = min(self.duration, self.position + self.every)
        self.seq += 1
        status, body = self.api.beat(self.session, self.seq, self.position)
        assert status == 200, body
        self.last = body
        if body["popup"]:
            self.popups_seen.append(body["popup"])
            self.position = body["verified"]  # the player pauses and rewinds to the popup
            status, body = self.api.confirm(self.session, body["popup"]["id"])
            assert status == 200 and body["confirmed"], body
            self.last = body
        return self.last

    def play_to_end(self, limit: int = 10_000) -> dict:
        for _ in range(limit):
            if self.step()["lesson_complete"]:
                return self.last
        raise AssertionError("the lesson never completed")


def upload(api: ApiClient, lesson_id: int, name: str, data: bytes, chunk: int = 100_000):
    """Upload `data` in chunks; returns the last (status, body)."""
    status, body = api.post(
        f"/api/v1/lessons/{lesson_id}/uploads", {"filename": name, "size": len(data)}
    )
    if status != 201:
        return status, body
    token = body["upload"]
    offset = 0
    while offset < len(data):
        status, body = put_chunk(api, token, offset, data[offset : offset + chunk])
        if status != 200:
            return status, body
        offset = body["received"]
    return status, body


def put_chunk(api: ApiClient, token: str, offset: int, data: bytes):
    response = api.client.put(
        f"/api/v1/uploads/{token}?offset={offset}",
        data=data,
        headers={"X-CSRFToken": api.csrf, "Content-Type": "application/octet-stream"},
    )
    return response.status_code, response.get_json()
