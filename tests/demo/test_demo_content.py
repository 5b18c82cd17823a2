"""The demo's promises: every commerce and credit rule can be tried in a few minutes.

The demo is loaded as `academy init --demo` loads it, with the committed 41 s clip standing in
for every lecture (tests/demo/support.py). How long each real lecture will be is measured from
its synthesized narration alone (`spoken_seconds`, the same timing the video is cut to).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import func, select

from academy.auth.services import find_user
from academy.catalog.models import Course, Lesson
from academy.commerce import memberships, plans
from academy.credits import services as credits
from academy.credits.models import CreditEntry, DeclaredCertificate
from academy.demo import loader, media
from academy.extensions import db
from tests.demo.support import load_demo_with_the_clip
from tests.factories import ApiClient, HonestPlayer

#: the demo learner's password, as the README and `init --demo` print it
LEARNER_PASSWORD = "demo-learner-2026"
#: hundredths of an hour in the ten-hour member-claimable courses
TEN_HOURS = 1000


@pytest.fixture
def demo(app, monkeypatch):
    """The demo content, loaded as `init --demo` loads it (the clip standing in for lectures)."""
    return load_demo_with_the_clip(monkeypatch)


@cache
def _spoken(slug: str) -> float:
    return media.spoken_seconds(slug)


def _under_a_minute(course: Course) -> bool:
    """Every lesson of the course, as the real video will be, is shorter than a minute."""
    return all(_spoken(Path(lesson.media_path).stem) < 60 for lesson in course.lessons)


def _afp_centihours(course: Course) -> int:
    return sum(
        offer.centihours
        for offer in credits.course_credits(course.id)
        if offer.credit_type.code == "afp-cfp"
    )


def _courses(**flags) -> list[Course]:
    return list(db.session.scalars(select(Course).filter_by(**flags).order_by(Course.id)))


def _ten_hour_claimable() -> list[Course]:
    return [
        course
        for course in _courses(member_claimable=True, member_recommended=False)
        if _afp_centihours(course) == TEN_HOURS and _under_a_minute(course)
    ]


def test_a_paid_course_has_a_lesson_of_under_a_minute_and_gives_hours(demo):
    paid = [
        course
        for course in _courses(member_claimable=False)
        if not course.is_free and _under_a_minute(course) and _afp_centihours(course) > 0
    ]
    assert paid, "no paid course with a short lesson to buy in the sandbox"


def test_three_ten_hour_claimable_courses_exceed_the_plan_quota_by_five_hours(demo):
    (plan,) = plans.list_plans(on_sale_only=True)
    claimable = _ten_hour_claimable()
    assert len(claimable) == 3
    assert len(claimable) * TEN_HOURS - plan.quota_centihours == 500


def test_a_member_recommended_course_is_claimable_short_and_gives_hours(demo):
    recommended = [
        course
        for course in _courses(member_claimable=True, member_recommended=True)
        if _under_a_minute(course) and _afp_centihours(course) > 0
    ]
    assert len(recommended) >= 1


def test_the_vip_plan_is_on_sale_with_25_member_hours(demo):
    (plan,) = plans.list_plans(on_sale_only=True)
    assert plan.name == "年度 VIP"
    assert plan.quota_centihours == 2500
    assert plan.price_fen > 0


def test_the_demo_learner_holds_an_afp_cfp_certificate(demo):
    learner = find_user("learner")
    declared = db.session.scalars(
        select(DeclaredCertificate).where(DeclaredCertificate.user_id == learner.id)
    ).all()
    assert [d.credit_type.code for d in declared] == ["afp-cfp"]


def test_demo_learner_sees_the_third_claim_capped_at_five_hours_on_my_credits(
    demo, app, movable_clock
):
    learner = find_user("learner")
    (plan,) = plans.list_plans(on_sale_only=True)
    memberships.add_period(learner.id, plan, None)  # as when the plan's order is paid
    db.session.commit()
    (recommended,) = _courses(
        member_claimable=True, member_recommended=True, slug="anti-telecom-fraud"
    )
    api = ApiClient(app, "learner", LEARNER_PASSWORD)
    for course in [*_ten_hour_claimable(), recommended]:
        status, body = api.post(f"/api/v1/courses/{course.id}/claim")
        assert status == 201, body
        HonestPlayer(api, movable_clock, course.lessons[0].id).play_to_end()

    awarded = db.session.scalars(
        select(CreditEntry.centihours)
        .where(CreditEntry.user_id == learner.id)
        .order_by(CreditEntry.id)
    ).all()
    assert awarded == [1000, 1000, 500, 500]
    page = api.client.get("/me/credits").get_data(as_text=True)
    assert "（5 学时超出会员额度）" in page
    assert "本会员期剩余额度只有 5 学时，课程的 10 学时中有 5 学时超出额度未计入。" in page
    assert "会员推荐课程：全额计入，不占用会员额度。" in page


def test_loading_the_demo_twice_changes_nothing(demo):
    def counts() -> list[int]:
        return [
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Course, Lesson, DeclaredCertificate)
        ] + [len(plans.list_plans())]

    before = counts()
    list(loader.load_demo())
    assert counts() == before
