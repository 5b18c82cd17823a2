"""Consultation pages: the course page's form, /me/messages, /studio and /admin/questions."""

from __future__ import annotations

import pytest

from academy.consult.models import Message, Thread
from academy.extensions import db
from tests.consult.conftest import taught_by
from tests.web import csrf_of, login, post_form

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def browser(app, learner):
    client = app.test_client()
    login(client, "learner1")
    return client


def staff_browser(app, username: str):
    client = app.test_client()
    login(client, username)
    return client


def thread_id() -> int:
    return db.session.query(Thread).one().id


def test_the_course_page_offers_the_question_form(browser, course):
    html = browser.get(f"/courses/{course.id}").get_data(as_text=True)
    assert 'id="consult"' in html and f"/courses/{course.id}/questions" in html


def test_asking_on_the_page_stores_the_text_as_typed_and_shows_it_escaped(browser, course):
    response = post_form(browser, f"/courses/{course.id}/questions", {"text": HOSTILE})
    assert response.status_code == 302
    assert db.session.query(Message).one().text == HOSTILE
    html = browser.get("/me/messages").get_data(as_text=True)
    assert HOSTILE not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_a_too_long_question_is_refused_beside_the_field_keeping_the_text(browser, course):
    post_form(browser, f"/courses/{course.id}/questions", {"text": "问" * 501})
    assert db.session.query(Thread).count() == 0
    html = browser.get(f"/courses/{course.id}").get_data(as_text=True)
    assert '<span id="consult-text-error" class="field-error">' in html
    assert 'aria-describedby="consult-text-error">' + "问" * 501 + "</textarea>" in html


@pytest.mark.parametrize("staff", ["teacher1", "admin1"])
def test_staff_reply_and_the_learners_unread_badge_goes_up_then_to_zero(
    app, browser, course, admin_user, staff
):
    post_form(browser, f"/courses/{course.id}/questions", {"text": "有课件吗？"})
    scope = "admin" if staff == "admin1" else "studio"
    teacher = staff_browser(app, staff)
    assert "有课件吗？" in teacher.get(f"/{scope}/questions").get_data(as_text=True)
    url = f"/{scope}/questions/{thread_id()}/replies"
    assert post_form(teacher, url, {"text": f"有的 {HOSTILE}"}).status_code == 302
    home = browser.get("/").get_data(as_text=True)
    assert "data-unread>1</span>" in home
    page = browser.get("/me/messages").get_data(as_text=True)
    assert "&lt;script&gt;" in page and HOSTILE not in page
    assert "data-unread>" not in browser.get("/").get_data(as_text=True)


def test_staff_close_a_thread_and_it_leaves_the_open_list(app, browser, course):
    post_form(browser, f"/courses/{course.id}/questions", {"text": "问题"})
    teacher = staff_browser(app, "teacher1")
    post_form(teacher, f"/studio/questions/{thread_id()}/close")
    assert "问题" not in teacher.get("/studio/questions").get_data(as_text=True)
    assert "问题" in teacher.get("/studio/questions?status=closed").get_data(as_text=True)
    post_form(teacher, f"/studio/questions/{thread_id()}/replies", {"text": "迟到"})
    assert db.session.query(Message).count() == 1


def test_a_too_long_reply_is_refused_beside_its_thread_keeping_the_text(app, browser, course):
    post_form(browser, f"/courses/{course.id}/questions", {"text": "问题"})
    field = f"reply-text-{thread_id()}"
    response = post_form(browser, f"/me/messages/{thread_id()}/replies", {"text": "答" * 501})
    assert response.headers["Location"].endswith(f"/me/messages#thread-{thread_id()}")
    html = browser.get("/me/messages").get_data(as_text=True)
    assert f'<span id="{field}-error" class="field-error">' in html
    assert f'aria-describedby="{field}-error">' + "答" * 501 + "</textarea>" in html
    assert db.session.query(Message).count() == 1
    # shown once: the next visit has an empty reply box
    assert "答" * 501 not in browser.get("/me/messages").get_data(as_text=True)

    teacher = staff_browser(app, "teacher1")
    response = post_form(teacher, f"/studio/questions/{thread_id()}/replies", {"text": "复" * 501})
    assert response.headers["Location"].endswith(f"/studio/questions#thread-{thread_id()}")
    html = teacher.get("/studio/questions").get_data(as_text=True)
    assert f'aria-describedby="{field}-error">' + "复" * 501 + "</textarea>" in html


def test_a_reply_to_a_thread_closed_meanwhile_is_not_sent_and_not_lost(app, browser, course):
    post_form(browser, f"/courses/{course.id}/questions", {"text": "问题"})
    teacher = staff_browser(app, "teacher1")
    page = teacher.get("/studio/questions").get_data(as_text=True)  # the reply box is open
    post_form(browser, f"/me/messages/{thread_id()}/close")  # the learner closes it meanwhile

    token = csrf_of(page)
    url = f"/studio/questions/{thread_id()}/replies"
    response = teacher.post(url, data={"text": "写了很久的回复", "csrf_token": token})

    assert response.headers["Location"].endswith(
        f"/studio/questions?status=closed#thread-{thread_id()}"
    )
    html = teacher.get("/studio/questions?status=closed").get_data(as_text=True)
    assert "未发出的回复" in html and "写了很久的回复</textarea>" in html
    assert "该咨询已关闭" in html
    assert db.session.query(Message).count() == 1


def test_the_learner_closes_their_thread_on_the_page(browser, course):
    post_form(browser, f"/courses/{course.id}/questions", {"text": "问题"})
    post_form(browser, f"/me/messages/{thread_id()}/close")
    db.session.expire_all()
    assert db.session.query(Thread).one().closed


def test_an_instructor_of_another_course_neither_sees_nor_answers(
    app, browser, course, other_instructor, make
):
    taught_by(make.course(title="别的课"), other_instructor)
    post_form(browser, f"/courses/{course.id}/questions", {"text": "给讲师一的问题"})
    teacher = staff_browser(app, "teacher2")
    assert "给讲师一的问题" not in teacher.get("/studio/questions").get_data(as_text=True)
    url = f"/studio/questions/{thread_id()}/replies"
    assert post_form(teacher, url, {"text": "越权"}).status_code == 404
    assert post_form(teacher, f"/studio/questions/{thread_id()}/close").status_code == 404


def test_another_learners_thread_is_404_on_the_page(app, browser, course, make):
    post_form(browser, f"/courses/{course.id}/questions", {"text": "问题"})
    make.user("learner2")
    stranger = staff_browser(app, "learner2")
    assert (
        post_form(stranger, f"/me/messages/{thread_id()}/replies", {"text": "x"}).status_code == 404
    )
    assert post_form(stranger, f"/me/messages/{thread_id()}/close").status_code == 404
    assert "问题" not in stranger.get("/me/messages").get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "user", "status"),
    [
        ("/studio/questions", None, 302),
        ("/studio/questions", "learner1", 403),
        ("/studio/questions", "teacher1", 200),
        ("/studio/questions", "admin1", 200),
        ("/admin/questions", None, 302),
        ("/admin/questions", "learner1", 403),
        ("/admin/questions", "teacher1", 403),
        ("/admin/questions", "admin1", 200),
        ("/me/messages", None, 302),
        ("/me/messages", "learner1", 200),
    ],
)
def test_access(app, learner, instructor, admin_user, path, user, status):
    client = app.test_client()
    if user:
        login(client, user)
    assert client.get(path).status_code == status


def test_asking_on_the_page_is_rate_limited(app, browser, course):
    app.config["CONSULT_LIMIT"] = "1/minute"
    post_form(browser, f"/courses/{course.id}/questions", {"text": "一"})
    response = post_form(browser, f"/courses/{course.id}/questions", {"text": "二"})
    assert response.status_code == 429
    assert db.session.query(Thread).count() == 1


def test_my_messages_marks_the_thread_with_its_new_replies_once(app, browser, course):
    post_form(browser, f"/courses/{course.id}/questions", {"text": "有课件吗？"})
    teacher = staff_browser(app, "teacher1")
    post_form(teacher, f"/studio/questions/{thread_id()}/replies", {"text": "有的"})
    assert "1 条新回复" in browser.get("/me/messages").get_data(as_text=True)
    assert "条新回复" not in browser.get("/me/messages").get_data(as_text=True)
