"""Admin pages of the credit rules: access, credit types, course hours, corrections, CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from academy.credits import configure
from academy.credits import services as credits
from academy.credits.models import CourseCredit, CreditType
from academy.extensions import db
from tests.credits.conftest import complete, declare, enrol
from tests.web import login, post_form

PAGES = [
    "/admin/credit-types",
    "/admin/course-credits",
    "/admin/credits/export",
    "/admin/credits/export?start=2026-01-01&end=2026-12-31",
]


@pytest.fixture
def admin_client(app, make):
    make.user("admin1", role="admin")
    client = app.test_client()
    login(client, "admin1")
    return client


def client_as(app, make, role: str):
    make.user(f"{role}-x", role=role)
    client = app.test_client()
    login(client, f"{role}-x")
    return client


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    ("role", "status"), [("learner", 403), ("instructor", 403), ("admin", 200)]
)
def test_only_admins_see_the_credit_admin_pages(app, make, afp, url, role, status):
    assert client_as(app, make, role).get(url).status_code == status


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_log_in(anon, url):
    response = anon.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["learner", "instructor"])
def test_learners_and_instructors_cannot_change_credit_rules(app, make, afp, role):
    client = client_as(app, make, role)
    course = make.course()
    for url in ("/admin/credit-types", f"/admin/courses/{course.id}/credits"):
        assert post_form(client, url, {"code": "x", "name": "X"}).status_code == 403
    assert afp.name == "继续教育再认证"


def test_admin_adds_a_credit_type_with_its_requirements(admin_client):
    response = post_form(
        admin_client,
        "/admin/credit-types",
        {
            "code": "ctp",
            "name": "CTP",
            "cycle_years": "3",
            "required_hours": "45",
            "yearly_min_hours": "10",
            "required_course_hours": "2.5",
        },
    )
    assert response.status_code == 302
    ctp = db.session.query(CreditType).filter_by(code="ctp").one()
    assert (ctp.cycle_years, ctp.required_centihours) == (3, 4500)
    assert (ctp.yearly_min_centihours, ctp.required_course_centihours) == (1000, 250)


@pytest.mark.parametrize(
    "field", [("code", "Bad Code"), ("cycle_years", "0"), ("required_hours", "1.234")]
)
def test_admin_credit_type_form_refuses_bad_values(admin_client, field):
    values = {"code": "ctp", "name": "CTP", "cycle_years": "2", "required_hours": "30"}
    values[field[0]] = field[1]
    response = post_form(admin_client, "/admin/credit-types", values)
    assert response.status_code == 200
    assert db.session.query(CreditType).filter_by(code="ctp").one_or_none() is None


@pytest.mark.parametrize(("yearly_min", "required_course"), [("50", "0"), ("0", "40")])
def test_a_credit_type_whose_parts_exceed_its_cycle_is_refused(
    admin_client, yearly_min, required_course
):
    values = {
        "code": "ctp",
        "name": "CTP",
        "cycle_years": "2",
        "required_hours": "10",
        "yearly_min_hours": yearly_min,
        "required_course_hours": required_course,
    }
    response = post_form(admin_client, "/admin/credit-types", values)
    assert "都不能超过每个周期的要求学时" in response.get_data(as_text=True)
    assert db.session.query(CreditType).filter_by(code="ctp").one_or_none() is None


def test_admin_sets_course_hours_eligibility_and_required(admin_client, make, afp):
    ctp = make.credit_type("ctp", "CTP")
    course = make.course(credits={"afp-cfp": 100, "ctp": 100})
    response = post_form(
        admin_client,
        f"/admin/courses/{course.id}/credits",
        {f"hours-{afp.id}": "1.5", f"required-{afp.id}": "1", f"hours-{ctp.id}": ""},
    )
    assert response.status_code == 302
    [offer] = credits.course_credits(course.id)
    assert (offer.credit_type_id, offer.centihours, offer.required_course) == (afp.id, 150, True)
    page = admin_client.get("/admin/course-credits").get_data(as_text=True)
    assert "不可申报" in page and "必修" in page


def test_course_page_says_which_type_cannot_be_claimed(anon, make, afp):
    make.credit_type("ctp", "CTP")
    course = make.course(credits={"afp-cfp": 100})
    page = anon.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "本课程不可申报 CTP 学时" in page
    make.credit_type("cpa", "CPA")
    page = anon.get(f"/courses/{course.id}").get_data(as_text=True)
    assert page.count('class="eligibility"') == 1 and "本课程不可申报 CTP、CPA 学时" in page


def test_admin_correction_is_a_new_signed_entry(admin_client, make, learner, afp):
    credits.add_correction(learner.id, afp.id, 100, "线下培训补录")
    response = post_form(
        admin_client,
        f"/admin/learners/{learner.id}/credits",
        {"credit_type_id": str(afp.id), "hours": "-0.5", "note": "线下课程重复计入"},
    )
    assert response.status_code == 302
    entry = credits.ledger_for(learner.id)[0]
    assert (entry.kind, entry.source, entry.centihours) == ("correction", "correction", -50)
    assert "线下课程重复计入" in credits.explain(entry)


@pytest.mark.parametrize(
    ("hours", "note", "said"),
    [
        ("-1.5", "扣减", "最多只能扣减"),  # 1 hour held: the total would be -0.5
        ("--2", "扣减", "学时须在 0 到 1000 之间"),  # "-2" after the sign: refused
        ("1e30", "补录", "学时须在 0 到 1000 之间"),  # was a 500 (quantize overflowed)
        ("-1e30", "扣减", "学时须在 0 到 1000 之间"),
        ("1", "长" * 201, "调整原因最多 200 个字"),
    ],
)
def test_a_correction_that_cannot_stand_is_refused_beside_its_field(
    admin_client, learner, afp, hours, note, said
):
    credits.add_correction(learner.id, afp.id, 100, "线下培训补录")
    url = f"/admin/learners/{learner.id}/credits"
    response = post_form(
        admin_client, url, {"credit_type_id": str(afp.id), "hours": hours, "note": note}
    )
    assert response.status_code == 422 and said in response.get_data(as_text=True)
    assert len(credits.ledger_for(learner.id)) == 1


def test_the_learner_page_names_entry_kinds_in_words_with_the_code_on_hover(
    admin_client, learner, afp
):
    url = f"/admin/learners/{learner.id}/credits"
    post_form(admin_client, url, {"credit_type_id": str(afp.id), "hours": "1", "note": "补录"})
    page = admin_client.get(url).get_data(as_text=True)
    assert '<span title="correction">管理员调整</span>' in page
    assert "<td>correction</td>" not in page


def test_csv_export_sums_hours_per_learner_type_and_period(
    api, admin_client, movable_clock, make, learner, afp
):
    learner.real_name = "=HYPERLINK(1)"  # a formula must not run in Excel
    declare(learner, afp, number="CFP-77")
    db.session.commit()
    first = make.course(credits={"afp-cfp": 150})
    second = make.course(credits={"afp-cfp": 200})
    db.session.query(CourseCredit).filter_by(course_id=second.id).one().required_course = True
    db.session.commit()
    for course in (first, second):
        enrol(learner, course)
        complete(api, movable_clock, course)
    other = make.user("learner2", real_name="张三")
    credits.add_correction(other.id, afp.id, 300, "线下培训", earned_on=date(2026, 6, 1))
    credits.add_correction(other.id, afp.id, 999, "期间之外", earned_on=date(2025, 6, 1))

    response = admin_client.get("/admin/credits/export?start=2026-01-01&end=2026-12-31")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["用户名", "姓名", "学时类型代码"]
    assert rows[1:] == [
        ["learner1", "'=HYPERLINK(1)", "afp-cfp", afp.name, "CFP-77", "2026-01-01",
         "2026-12-31", "3.5", "2", "2"],
        ["learner2", "张三", "afp-cfp", afp.name, "", "2026-01-01", "2026-12-31", "3", "0", "1"],
    ]  # fmt: skip


def test_csv_export_refuses_a_backwards_range(admin_client):
    response = admin_client.get("/admin/credits/export?start=2026-12-31&end=2026-01-01")
    assert response.status_code == 422


def test_parse_hours_takes_two_decimals_at_most():
    assert configure.parse_hours("1.5") == 150
    assert configure.parse_hours(" ") is None
    for bad in ("1.005", "NaN", "Infinity", "abc", "-1", "1e9"):
        with pytest.raises(Exception, match="学时"):
            configure.parse_hours(bad)


def test_an_unused_credit_type_is_deleted_with_the_courses_settings_for_it(
    admin_client, anon, make, afp
):
    typo = make.credit_type("cta", "CTA（测试）")
    course = make.course(credits={"afp-cfp": 100, "cta": 100})
    response = post_form(admin_client, f"/admin/credit-types/{typo.id}/delete")
    assert "已删除" in admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.query(CreditType).filter_by(code="cta").one_or_none() is None
    assert [c.credit_type_id for c in credits.course_credits(course.id)] == [afp.id]
    assert "CTA（测试）" not in anon.get(f"/courses/{course.id}").get_data(as_text=True)


def test_a_credit_type_someone_earned_or_declared_is_not_deleted(admin_client, learner, afp):
    credits.add_correction(learner.id, afp.id, 100, "线下培训补录")
    response = post_form(admin_client, f"/admin/credit-types/{afp.id}/delete")
    said = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "不能删除" in said
    assert db.session.get(CreditType, afp.id) is not None
