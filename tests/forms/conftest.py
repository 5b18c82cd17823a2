"""A site with something in every form: courses, a lesson's insight, an article, a plan, a
credit type, a pending order, a reported review and a consultation; a client per role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from academy.articles import services as articles
from academy.commerce import cart, orders
from academy.community import services as community
from academy.consult import services as consult
from academy.extensions import db
from tests.web import login


@pytest.fixture
def site(make, learner, instructor, draft, plan):
    course, lesson = draft
    make.insight(lesson)
    free = make.course(title="客户沟通技巧")
    free.instructor_id = instructor.instructor_profile.id
    db.session.commit()
    make.enrol(learner, free)
    paid = make.course(price_fen=9900, title="财富管理实务")
    cart.add_to_cart(learner.id, paid.id)
    order = orders.checkout_cart(learner.id)
    admin = make.user("boss", role="admin")
    review = community.post_review(learner, free, "讲得清楚。", 5)
    community.report_review(admin.id, review.id)
    consult.ask_question(learner, free, "这门课有课件下载吗？")
    article = articles.create_article(instructor, {"title": "资管新规解读", "body": "正文"})
    return SimpleNamespace(
        course=course,
        lesson=lesson,
        free=free,
        order=order,
        plan=plan,
        article=article,
        credit_type=make.credit_type(),
        learner=learner,
    )


@pytest.fixture
def client_as(app):
    """A client logged in as the user of a role (None: anonymous)."""
    usernames = {"learner": "learner1", "instructor": "teacher1", "admin": "boss"}

    def client(role: str | None):
        browser = app.test_client()
        if role:
            login(browser, usernames[role])
        return browser

    return client
