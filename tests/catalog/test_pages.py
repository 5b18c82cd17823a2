"""The home, category and course pages, and who may fetch lecture media."""

import pytest

from tests.web import login, post_form


@pytest.fixture
def course(make):
    course = make.course(
        lessons=[40_000, 80_000], price_fen=0, credits={"afp-cfp": 150}, title="客户沟通的三个要点"
    )
    make.credit_type("ctp", "CTP")
    return course


def test_home_lists_categories_and_courses(anon, course):
    html = anon.get("/").get_data(as_text=True)
    assert "综合" in html and "客户沟通的三个要点" in html and "免费" in html


def test_draft_courses_are_hidden(anon, make):
    draft = make.course(published=False, title="草稿课程")
    assert "草稿课程" not in anon.get("/").get_data(as_text=True)
    assert anon.get(f"/courses/{draft.id}").status_code == 404


def test_course_page_shows_what_a_buyer_needs(anon, course):
    html = anon.get(f"/courses/{course.id}").get_data(as_text=True)
    assert 'class="breadcrumb"' in html and "首页" in html and "综合" in html
    assert "完成本课程可获得 1.5 学时（AFP-CFP）" in html
    assert "本课程不可申报 CTP 学时" in html
    assert "发布日期：2026-11-01" in html
    assert "免费报名" in html
    for tab in ("AI 摘要", "讲师介绍", "要点回顾", "评价"):
        assert tab in html


def test_paid_course_page_offers_the_cart(anon, make):
    paid = make.course(price_fen=9900)
    html = anon.get(f"/courses/{paid.id}").get_data(as_text=True)
    assert "¥99.00" in html and "加入购物车" in html and "免费报名" not in html


def test_enrolling_from_the_page_opens_the_first_lesson(app, course, learner):
    client = app.test_client()
    login(client, "learner1")
    response = post_form(client, f"/courses/{course.id}/enrol", page=f"/courses/{course.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/learn/lessons/{course.lessons[0].id}")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已核验进度" in html and "<video" in html


def test_unknown_course_gets_a_chinese_404_page(anon):
    response = anon.get("/courses/9999")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


@pytest.fixture
def media_file(app, course):
    lesson = course.lessons[0]
    path = app.config["MEDIA_PATH"] / lesson.media_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(range(256)) * 40)
    return lesson


@pytest.mark.parametrize(
    ("who", "enrolled", "status"),
    [(None, False, 403), ("learner", False, 403), ("learner", True, 200), ("admin", False, 200)],
)
def test_media_is_served_only_to_those_who_may_watch(
    app, make, course, media_file, who, enrolled, status
):
    client = app.test_client()
    if who:
        user = make.user(f"{who}-x", role=who)
        login(client, user.username)
        if enrolled:
            make.enrol(user, course)
    with client.get(f"/media/lessons/{media_file.id}") as response:
        assert response.status_code == status


def test_media_supports_range_requests(app, course, media_file, learner, make):
    make.enrol(learner, course)
    client = app.test_client()
    login(client, "learner1")
    with client.get(
        f"/media/lessons/{media_file.id}", headers={"Range": "bytes=100-199"}
    ) as response:
        assert response.status_code == 206
        assert response.data == (bytes(range(256)) * 40)[100:200]
        assert response.headers["Content-Range"] == "bytes 100-199/10240"


def test_media_can_be_handed_to_the_web_server(app, course, media_file, learner, make):
    app.config["MEDIA_ACCEL_REDIRECT_PREFIX"] = "/protected-media/"
    make.enrol(learner, course)
    client = app.test_client()
    login(client, "learner1")
    response = client.get(f"/media/lessons/{media_file.id}")
    assert response.headers["X-Accel-Redirect"] == f"/protected-media/{media_file.media_path}"
    assert response.data == b""


def test_the_credit_line_says_when_a_course_counts_as_required(anon, make, db):
    from academy.credits.models import CourseCredit

    course = make.course()
    rule = db.session.query(CourseCredit).filter_by(course_id=course.id).one()
    html = anon.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "计入必修课程学时" not in html
    rule.required_course = True
    db.session.commit()
    assert "计入必修课程学时" in anon.get(f"/courses/{course.id}").get_data(as_text=True)
