"""Commerce fixtures: key pairs in place, a paid course, a plan, a member."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from academy.commerce import memberships
from academy.extensions import db


@pytest.fixture(autouse=True)
def _keys(payment_keys):
    """Every commerce test has the key pairs in place."""


@pytest.fixture
def paid_course(make):
    return make.course(price_fen=9900, title="财富管理实务", credits={"afp-cfp": 200})


@pytest.fixture
def member(learner, plan):
    """learner1 with a current membership period (as if a plan order had been paid)."""
    memberships.add_period(learner.id, plan, None)
    db.session.commit()
    return learner


@pytest.fixture
def pay(app, monkeypatch):
    """Pay an order through the sandbox gateway, its notification delivered in-process.

    Everything but the HTTP hop is what happens for real (the signed page-pay request, the
    gateway's trade, its signed notification, the notify view); test_sandbox_gateway.py
    crosses real HTTP.
    """
    from academy.commerce import payments, sandbox

    client = app.test_client()

    def deliver(url: str, fields: dict) -> str:
        return client.post(urlsplit(url).path, data=fields).get_data(as_text=True).strip()

    monkeypatch.setattr(sandbox, "post_notification", deliver)

    def pay_order(order, approve: bool = True):
        settlement = payments.sandbox_settle(order.number, approve=approve, site="http://shop.test")
        db.session.expire_all()
        return settlement

    return pay_order
