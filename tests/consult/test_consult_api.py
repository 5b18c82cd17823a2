"""/api/v1 consultations: asking within the bounds, the learner's messages, replying, closing."""

from __future__ import annotations

from academy.consult import services as consult
from academy.consult.models import Side
from tests.consult.conftest import ask, ask_url, thread_url, unread

EMOJI = "\U0001f600"


def test_a_learner_asks_without_buying_the_course(api, course):
    status, body = api.post(ask_url(course), {"text": "  有课件吗？ "})
    assert status == 201
    thread = body["thread"]
    assert thread["course_id"] == course.id and thread["course_title"] == "客户沟通技巧"
    assert thread["status"] == "open" and thread["unread"] == 0
    [message] = thread["messages"]
    assert message["from"] == "learner" and message["text"] == "有课件吗？"
    assert message["created_at"].endswith("Z")


def test_500_emoji_are_accepted_and_501_characters_refused(api, course):
    assert api.post(ask_url(course), {"text": EMOJI * 500})[0] == 201
    status, body = api.post(ask_url(course), {"text": "问" * 501})
    assert status == 422 and body["error"]["code"] == "too_long"
    assert "500" in body["error"]["message"] and "501" in body["error"]["message"]


def test_empty_text_is_refused(api, course):
    status, body = api.post(ask_url(course), {"text": "  \n "})
    assert status == 422 and body["error"]["code"] == "empty_text"


def test_an_unpublished_course_is_404(api, draft):
    course, _lesson = draft
    status, body = api.post(ask_url(course), {"text": "你好"})
    assert status == 404 and body["error"]["code"] == "not_found"


def test_anonymous_cannot_ask(anon, course):
    assert anon.post(ask_url(course), json={"text": "匿名"}).status_code in (400, 401)


def test_html_comes_back_as_typed_text_in_json(api, course):
    hostile = '<script>alert("x")</script>'
    thread_id = ask(api, course, hostile)
    threads = api.get("/api/v1/me/messages")[1]["threads"]
    assert threads[0]["id"] == thread_id and threads[0]["messages"][0]["text"] == hostile


def test_unread_goes_up_with_each_staff_reply_and_back_to_zero_when_read(
    api, course, learner, instructor
):
    thread_id = ask(api, course)
    assert unread(api) == 0
    thread = consult.staff_thread(instructor, thread_id)
    consult.reply(thread, instructor, Side.STAFF, "有的，在第一讲。")
    consult.reply(thread, instructor, Side.STAFF, "也可以在资料区下载。")
    assert unread(api) == 2 == consult.unread_count(learner.id)
    status, body = api.post(thread_url(thread_id, "read"))
    assert status == 200 and body["thread"]["unread"] == 0
    assert unread(api) == 0


def test_the_learner_replies_in_their_thread(api, course):
    thread_id = ask(api, course)
    status, body = api.post(thread_url(thread_id, "replies"), {"text": "补充一下"})
    assert status == 201
    assert [m["text"] for m in body["thread"]["messages"]] == ["这门课有课件下载吗？", "补充一下"]
    assert body["thread"]["unread"] == 0  # one's own words are read


def test_a_closed_thread_takes_no_more_replies(api, course, instructor):
    thread_id = ask(api, course)
    status, body = api.post(thread_url(thread_id, "close"))
    assert status == 200 and body["thread"]["status"] == "closed"
    status, body = api.post(thread_url(thread_id, "replies"), {"text": "还在吗"})
    assert status == 409 and body["error"]["code"] == "thread_closed"
    again = api.post(thread_url(thread_id, "close"))[1]["error"]
    assert again["code"] == "thread_closed" and again["message"] == "该咨询已经关闭了。"
    thread = consult.staff_thread(instructor, thread_id)
    try:
        consult.reply(thread, instructor, Side.STAFF, "迟到的回复")
    except consult.Refusal as refusal:
        assert refusal.code == "thread_closed"
    else:
        raise AssertionError("a closed thread took a reply")


def test_someone_elses_thread_is_404(api, other, course):
    thread_id = ask(api, course)
    for action, body in (("replies", {"text": "插话"}), ("close", None), ("read", None)):
        status, answer = other.post(thread_url(thread_id, action), body)
        assert status == 404 and answer["error"]["code"] == "not_found"
    assert other.get("/api/v1/me/messages")[1] == {"threads": [], "unread": 0}


def test_asking_is_rate_limited_per_account(app, api, course):
    app.config["CONSULT_LIMIT"] = "2/minute"
    ask(api, course)
    ask(api, course)
    status, body = api.post(ask_url(course), {"text": "第三个问题"})
    assert status == 429 and body["error"]["code"] == "too_many_requests"
