"""The player after tampering, in a real browser: a forged beat from the console, a popup taken
out of the page, and what the learner sees when the lesson completes."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from academy.auth.services import create_user
from academy.extensions import db
from academy.learning.models import Popup
from academy.learning.services import enrol_free
from tests.browser.conftest import clip_lesson, log_in, wait_for, watch_csp

pytestmark = pytest.mark.browser

VIDEO = "document.getElementById('video')"
#: seconds of verified progress shown under the player
VERIFIED = (
    "(() => { const [m, s] = document.getElementById('verified-text').textContent"
    ".split(' / ')[0].split(':'); return 60 * Number(m) + Number(s); })()"
)
#: confirms the popup whenever it is up, as a learner would, so that playback goes on
CONFIRM_ANY_POPUP = (
    "(() => { const popup = document.getElementById('popup');"
    " if (popup && !popup.hidden) popup.querySelector('#popup-confirm').click(); })()"
)
#: a script in the console beats on the page's own session with a far higher seq
FORGED_BEAT = """async ([token, seq]) => {
  const res = await fetch(`/api/v1/watch/${token}/beat`, {
    method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json",
              "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content},
    body: JSON.stringify({seq, position: 40, rate: 1, hidden: false}),
  });
  return {status: res.status, body: await res.json()};
}"""


@pytest.fixture
def lesson(live_app):
    with live_app.app_context():
        user = create_user("tamper-learner", "browser-pass-1")
        lesson = clip_lesson(live_app, "tamper", "篡改测试", "第一讲")
        enrol_free(user, lesson.course)
        yield lesson.id, f"{live_app.config['LIVE_URL']}/learn/lessons/{lesson.id}"
        db.session.remove()


def open_player(browser, live_app, url):
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    log_in(page, live_app.config["LIVE_URL"], "tamper-learner", "browser-pass-1")
    starts = []  # each watch session the page starts: what a forger reads in the network tab
    page.on(
        "response",
        lambda r: (
            starts.append(r) if r.request.method == "POST" and r.url.endswith("/watch") else None
        ),
    )
    page.goto(url)
    wait_for(page, f"{VIDEO}.readyState >= 1")
    return page, starts


def play_on_until(page, seconds: float, timeout: float = 30_000) -> None:
    """Keep playing (confirming the popup if it comes) until verified reaches `seconds`."""
    wait_for(
        page,
        f"({CONFIRM_ANY_POPUP}, {VIDEO}.paused && {VIDEO}.play().catch(() => {{}}),"
        f" {VERIFIED} >= {seconds})",
        timeout=timeout,
    )


def forge(page, token: str, seq: int) -> dict:
    """Send the forged beat, again if it lands right after one of the page's (too_many_beats)."""
    for _ in range(10):
        reply = page.evaluate(FORGED_BEAT, [token, seq])
        if reply["status"] != 429:
            return reply
        page.wait_for_timeout(300)
    raise AssertionError("the forged beat was refused as too frequent every time")


def test_a_forged_beat_is_explained_and_the_player_goes_on_honestly(
    live_app, browser, shots, lesson
):
    _, url = lesson
    page, starts = open_player(browser, live_app, url)
    csp_violations = watch_csp(page)
    play_on_until(page, 3)

    reply = forge(page, starts[-1].json()["session"], 1000)
    # the forged jump earns nothing: the server saw a seek
    assert reply["status"] == 200
    assert reply["body"]["note"] == "ahead_of_verified"
    assert reply["body"]["verified"] < 10

    # The page's next beat is refused (its seq is below the forged one): it reconnects and says why.
    status = page.locator("#status")
    expect(status).to_contain_text("以本窗口的学习会话发送了进度", timeout=10_000)
    expect(status).to_contain_text("已重新连接")
    assert len(starts) == 2
    shots(page, "player-forged-beat-reconnected")
    before = page.evaluate(VERIFIED)
    play_on_until(page, before + 4)

    # Forged again so soon: the player stops and lets the learner continue with one click.
    forge(page, starts[-1].json()["session"], 2000)
    expect(status).to_contain_text("又有其他程序", timeout=10_000)
    reconnect = page.locator("#reconnect")
    expect(reconnect).to_be_visible()
    wait_for(page, f"{VIDEO}.paused")
    shots(page, "player-forged-again-stopped")
    reconnect.click()
    expect(status).to_contain_text("已重新连接")
    expect(reconnect).to_be_hidden()
    before = page.evaluate(VERIFIED)
    play_on_until(page, before + 3)
    assert csp_violations == []
    page.close()


def test_a_removed_popup_comes_back_and_completion_is_said_once(live_app, browser, shots, lesson):
    lesson_id, url = lesson
    page, _ = open_player(browser, live_app, url)
    page.evaluate(f"{VIDEO}.play()")
    popup = page.locator("#popup")
    expect(popup).to_be_visible(timeout=60_000)

    # Deleted in the devtools: it is put back at once, and the learner is told.
    page.evaluate("document.getElementById('popup').remove()")
    expect(popup).to_be_visible()
    expect(page.locator("#status")).to_contain_text("已重新显示")
    # Hidden by a style: put back as well; playing stays blocked meanwhile.
    page.evaluate("document.getElementById('popup').style.display = 'none'")
    expect(popup).to_be_visible()
    page.evaluate(f"{VIDEO}.play().catch(() => {{}})")
    wait_for(page, f"{VIDEO}.paused")
    shots(page, "player-popup-restored")

    # A style sheet the page cannot undo: the player says why it waits instead of looping.
    page.evaluate(
        "(() => { const sheet = new CSSStyleSheet();"
        " sheet.replaceSync('#popup { display: none !important; }');"
        " document.adoptedStyleSheets = [sheet]; })()"
    )
    page.evaluate(f"{VIDEO}.play().catch(() => {{}})")
    expect(page.locator("#status")).to_contain_text("学习确认框无法显示")
    wait_for(page, f"{VIDEO}.paused")
    shots(page, "player-popup-cannot-show")
    page.evaluate("document.adoptedStyleSheets = []")

    # The server still waits for the confirmation.
    with live_app.app_context():
        assert (
            db.session.scalar(select(Popup.confirmed_at).where(Popup.lesson_id == lesson_id))
            is None
        )
        db.session.remove()
    page.click("#popup-confirm")
    expect(popup).to_be_hidden()

    expect(page.locator("#complete")).to_be_visible(timeout=60_000)
    # "本节已完成" is said once, and the outline marks the lesson done without a reload.
    assert page.evaluate("document.body.innerText.split('本节已完成').length - 1") == 1
    expect(page.locator(f"[data-outline-lesson='{lesson_id}'] .badge.done")).to_have_text("已完成")
    shots(page, "player-lesson-complete")
    page.close()
