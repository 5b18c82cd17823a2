"""The learner's credit hours page, the certificates page and PUT /api/v1/me/certificates."""

from __future__ import annotations

import json
import re

import pytest

from academy.credits import declarations
from tests.credits.conftest import complete, declare, enrol, membership
from tests.web import login, post_form


@pytest.fixture
def browser(app, learner):
    client = app.test_client()
    login(client, "learner1")
    return client


def put_certificates(api, body):
    response = api.client.put(
        "/api/v1/me/certificates", json=body, headers={"X-CSRFToken": api.csrf}
    )
    return response.status_code, response.get_json()


def test_credits_page_shows_cycles_why_and_chart_data(
    api, browser, movable_clock, make, learner, afp
):
    declare(learner, afp, obtained_on=movable_clock.current.date().replace(month=3, day=1))
    period = membership(learner, quota_centihours=100)
    course = make.course(credits={"afp-cfp": 250}, price_fen=9900, title="资产配置入门")
    enrol(learner, course, "membership", period)
    complete(api, movable_clock, course)
    page = browser.get("/me/credits").get_data(as_text=True)
    assert "周期 2026-03-01 至 2028-02-29" in page
    assert "第 1 年" in page and "第 2 年" in page
    assert "超出额度" in page  # why: the quota capped it
    assert "会员领取" in page
    data = json.loads(
        re.search(
            r'<script type="application/json" id="credit-chart-data">(.*?)</script>', page
        ).group(1)
    )
    assert data == {"days": ["2026-11-23"], "series": [{"name": afp.name, "data": [1.0]}]}
    assert "vendor/echarts/echarts.min.js" in page and "js/credits_chart.js" in page
    assert "<script>" not in page  # the CSP runs no inline script
    assert f"/me/courses/{course.id}/certificate.pdf" in page


def test_certificates_page_saves_a_declaration(browser, learner, afp):
    response = post_form(
        browser,
        "/me/certificates",
        {"number-afp-cfp": "CFP-123", "obtained_on-afp-cfp": "2025-03-01"},
        page="/me/certificates",
    )
    assert response.status_code == 302
    [saved] = declarations.list_declarations(learner.id)
    assert (saved.number, saved.obtained_on.isoformat()) == ("CFP-123", "2025-03-01")
    assert 'value="CFP-123"' in browser.get("/me/certificates").get_data(as_text=True)


def test_certificates_page_refuses_a_future_date(browser, learner, afp):
    response = post_form(
        browser,
        "/me/certificates",
        {"number-afp-cfp": "CFP-123", "obtained_on-afp-cfp": "2099-01-01"},
        page="/me/certificates",
    )
    assert response.status_code == 200
    assert "取得日期" in response.get_data(as_text=True)
    assert declarations.list_declarations(learner.id) == []


def test_a_date_without_a_number_is_refused_not_dropped(browser, learner, afp):
    response = post_form(
        browser, "/me/certificates", {"obtained_on-afp-cfp": "2024-01-01"}, page="/me/certificates"
    )
    html = response.get_data(as_text=True)
    assert "请填写证书编号。" in html and "证书信息已保存" not in html
    assert 'value="2024-01-01"' in html  # what was typed stays
    assert declarations.list_declarations(learner.id) == []


def test_a_number_another_account_declared_is_refused(api, browser, make, learner, afp):
    other = make.user("other")
    declare(other, afp, number="AFP-DEMO-0001")
    response = post_form(
        browser,
        "/me/certificates",
        {"number-afp-cfp": "afp-demo 0001", "obtained_on-afp-cfp": "2025-03-01"},
        page="/me/certificates",
    )
    assert "已由其他账号登记" in response.get_data(as_text=True)
    assert declarations.list_declarations(learner.id) == []
    item = {"type": "afp-cfp", "number": "AFP-DEMO-0001", "obtained_on": "2025-03-01"}
    status, reply = put_certificates(api, {"certificates": [item]})
    assert (status, reply["error"]["code"]) == (409, "number_taken")
    for disguised in ("ＡＦＰ-ＤＥＭＯ-０００１", "AFP–DEMO–0001", "AFP_DEMO_0001"):
        item["number"] = disguised  # full-width, en-dashes, underscores: the same number
        assert put_certificates(api, {"certificates": [item]})[1]["error"]["code"] == "number_taken"
    for invisible in ("AFP-DEMO-0001\u200b", "AFP\u00adDEMO-0001", "AFP\x00-1", "\u202eAFP-1"):
        item["number"] = invisible  # zero-width, soft hyphen, NUL, a bidi override
        status, reply = put_certificates(api, {"certificates": [item]})
        assert (status, reply["error"]["code"]) == (422, "invalid_number")
    declare(learner, afp, number="AFP-OWN-1")  # one's own number again is fine
    item["number"] = "AFP-OWN-1"
    assert put_certificates(api, {"certificates": [item]})[0] == 200


def test_put_certificates_replaces_the_declared_set(api, learner, afp, make):
    make.credit_type("ctp", "CTP")
    body = {
        "certificates": [
            {"type": "afp-cfp", "number": "CFP-1", "obtained_on": "2025-03-01"},
            {"type": "ctp", "number": "CTP-9", "obtained_on": "2024-07-15"},
        ]
    }
    status, reply = put_certificates(api, body)
    assert status == 200
    assert [c["type"] for c in reply["certificates"]] == ["afp-cfp", "ctp"]
    status, reply = put_certificates(api, {"certificates": body["certificates"][1:]})
    assert [c["type"] for c in reply["certificates"]] == ["ctp"]
    assert api.get("/api/v1/me/certificates")[1] == reply


@pytest.mark.parametrize(
    ("item", "code"),
    [
        ({"type": "cpa", "number": "1", "obtained_on": "2025-03-01"}, "unknown_credit_type"),
        ({"type": "afp-cfp", "number": "1", "obtained_on": "2025-02-30"}, "invalid_date"),
        ({"type": "afp-cfp", "number": "1", "obtained_on": "01/03/2025"}, "invalid_date"),
        ({"type": "afp-cfp", "number": "1", "obtained_on": "2099-01-01"}, "invalid_date"),
        ({"type": "afp-cfp", "number": "1", "obtained_on": 20250301}, "invalid_date"),
        ({"type": "afp-cfp", "number": "", "obtained_on": "2025-03-01"}, "invalid_number"),
        ({"type": "afp-cfp", "number": "x" * 61, "obtained_on": "2025-03-01"}, "invalid_number"),
    ],
)
def test_put_certificates_refuses_bad_items_with_a_code(api, afp, item, code):
    status, reply = put_certificates(api, {"certificates": [item]})
    assert status == 422
    assert reply["error"]["code"] == code


def test_put_certificates_refuses_the_same_type_twice(api, afp):
    item = {"type": "afp-cfp", "number": "1", "obtained_on": "2025-03-01"}
    status, reply = put_certificates(api, {"certificates": [item, item]})
    assert (status, reply["error"]["code"]) == (422, "duplicate_credit_type")


def test_put_certificates_needs_a_list(api, afp):
    status, reply = put_certificates(api, {"certificates": "afp-cfp"})
    assert (status, reply["error"]["code"]) == (422, "invalid_field")


def test_put_certificates_needs_login(anon):
    response = anon.put("/api/v1/me/certificates", json={"certificates": []})
    assert response.status_code in (400, 401)
