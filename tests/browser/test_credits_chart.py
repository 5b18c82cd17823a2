"""The learner's credit hours page in a real browser: the vendored ECharts draws the chart
under the site's Content-Security-Policy."""

from datetime import date
from pathlib import Path

import pytest

from academy.auth.services import create_user
from academy.credits import services as credits
from academy.credits.models import CreditType, DeclaredCertificate
from academy.extensions import db
from tests.browser.conftest import log_in, wait_for, watch_csp

pytestmark = pytest.mark.browser

ECHARTS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "echarts" / "echarts.min.js"


@pytest.fixture
def learner_with_hours(live_app):
    with live_app.app_context():
        user = create_user("chart-learner", "chart-pass-1")
        afp = CreditType(
            code="afp-cfp",
            name="继续教育再认证",
            cycle_years=2,
            required_centihours=3000,
            yearly_min_centihours=500,
            required_course_centihours=200,
        )
        ctp = CreditType(code="ctp", name="CTP", cycle_years=1, required_centihours=1000)
        db.session.add_all([afp, ctp])
        db.session.flush()
        db.session.add(
            DeclaredCertificate(
                user_id=user.id, credit_type_id=afp.id, number="CFP-2025-0001",
                obtained_on=date(2025, 3, 1),
            )
        )  # fmt: skip
        db.session.commit()
        for type_id, centihours, day in [
            (afp.id, 450, date(2025, 5, 10)),
            (afp.id, 300, date(2025, 9, 2)),
            (ctp.id, 200, date(2025, 10, 8)),
            (afp.id, 600, date(2026, 4, 20)),
            (ctp.id, 350, date(2026, 6, 30)),
        ]:
            credits.add_correction(user.id, type_id, centihours, "线下培训补录", earned_on=day)
        db.session.remove()


def test_credit_chart_draws_under_the_content_security_policy(
    live_app, learner_with_hours, browser, shots
):
    if not ECHARTS.exists():
        pytest.fail("static/vendor/echarts is missing: run .ci/install (it runs .ci/vendor)")
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    violations = watch_csp(page)
    log_in(page, base, "chart-learner", "chart-pass-1")
    page.goto(f"{base}/me/credits?lang=zh_CN")  # Chinese first, whatever the browser asks
    wait_for(page, "!!document.querySelector('#credit-chart canvas')")
    assert page.evaluate("typeof window.echarts.getInstanceByDom") == "function"
    assert page.evaluate(
        "window.echarts.getInstanceByDom(document.getElementById('credit-chart'))"
        ".getOption().series.map(s => s.data.at(-1)[1])"
    ) == [13.5, 5.5]
    assert "周期 2025-03-01 至 2027-02-28" in page.content()
    shots(page, "credits-page")
    assert violations == []
