"""An instructor uploads a lecture, watches it being processed, is told its transcript needs
correcting, publishes it anyway; a visitor sees it."""

import pytest
from playwright.sync_api import expect

from academy.auth.services import create_user, ensure_instructor_profile
from academy.catalog import services as catalog
from academy.catalog.models import Category
from academy.demo.lectures import LECTURES
from academy.extensions import db
from academy.insights import editing
from academy.insights.types import Segment
from tests.browser.conftest import log_in, wait_for
from tests.factories import CLIP

pytestmark = pytest.mark.browser


@pytest.fixture
def lesson_ids(live_app):
    with live_app.app_context():
        teacher = create_user("studio-teacher", "browser-pass-1", "instructor")
        profile = ensure_instructor_profile(teacher)
        category = Category(slug="wealth", name="财富管理")
        db.session.add(category)
        db.session.commit()
        course = catalog.create_course(
            profile.id,
            {
                "title": "客户沟通",
                "subtitle": "",
                "description": "",
                "category_id": category.id,
                "price_fen": 0,
                "glossary": "客户\n风险承受能力",
                "transcript_script": "simplified",
            },
        )
        lesson = catalog.add_lesson(course, "客户沟通的三个要点")
        yield course.id, lesson.id
        db.session.remove()


def test_upload_process_publish_and_see_the_ai_summary(live_app, browser, shots, lesson_ids):
    course_id, lesson_id = lesson_ids
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log_in(page, base, "studio-teacher", "browser-pass-1")

    page.goto(f"{base}/studio/lessons/{lesson_id}")
    page.set_input_files("#upload-file", str(CLIP))
    # The page reloads itself once the pipeline is done and shows the transcript for editing.
    expect(page.locator("textarea[name=transcript]")).to_be_visible(timeout=180_000)
    expect(page.locator("#job-stage")).to_have_text("已完成")
    assert "[0:0" in page.locator("textarea[name=transcript]").input_value()
    shots(page, "studio-lesson")

    # Whisper base hears espeak-ng's Mandarin poorly: the transcript is held for correction,
    # its doubtful lines marked, and publishing it as it is needs the box ticked.
    expect(page.locator("#held-warning")).to_contain_text("转写稿需要先校对")
    expect(page.locator(".review-line.seg-low").first).to_be_visible()
    expect(page.locator("#job-timing")).to_contain_text("用时")
    page.click("text=发布当前版本")
    expect(page.locator(".flash-error[role=status]")).to_contain_text("请勾选确认后再发布")

    # As an instructor would: type the lecture as it was said, keep Whisper's times, and
    # regenerate; their lines are vouched for, so the lesson publishes without the box.
    narration = [slide["narration"] for slide in LECTURES["client-communication"]["slides"]]
    spans = ["0:00 → 0:14", "0:14 → 0:28", "0:28 → 0:41"]
    corrected = "\n".join(f"[{span}] {text}" for span, text in zip(spans, narration, strict=True))
    page.fill("#transcript-text", corrected)
    page.click("text=保存转写稿")
    # Publishing now would pair these lines with what was derived from Whisper's: refused until
    # regenerated, or confirmed.
    page.click("text=发布当前版本")
    expect(page.locator(".flash-error[role=status]")).to_contain_text("还没有重新生成")
    expect(page.locator("input[name=confirm_stale]")).to_be_visible()
    shots(page, "studio-stale-derivations")
    # The button (the held notice names it too), and the page it leads to: until then the old
    # page still shows the first job's "已完成", and publishing would publish the derivations of
    # Whisper's text (seen once on PostgreSQL: the review questions were missing).
    asked = []  # it asks first: hand edits are replaced too

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.click("button:has-text('按新稿重新生成')")
    assert asked and "包括您手改过的部分" in asked[0]
    expect(page.locator("#job-stage")).to_have_text("已完成", timeout=120_000)
    page.goto(f"{base}/studio/lessons/{lesson_id}")
    expect(page.locator("#held-warning")).to_have_count(0)
    page.click("text=发布当前版本")
    expect(page.locator(".flash-success")).to_contain_text("已发布")
    page.goto(f"{base}/studio/courses/{course_id}")
    page.click("text=发布课程")
    expect(page.locator(".flash-success")).to_contain_text("课程已发布")

    visitor = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    visitor.goto(f"{base}/courses/{course_id}")
    expect(visitor.locator(".keywords li").first).to_be_visible()
    visitor.locator(".mindmap-box").scroll_into_view_if_needed()  # it loads when near the screen
    expect(visitor.locator(".mindmap-box g.markmap-node").first).to_be_visible()
    # drawn and fitted (until then the shot shows the nodes piled where markmap starts them)
    wait_for(visitor, "!document.querySelector('.mindmap-box').hasAttribute('aria-busy')")
    expect(visitor.locator(".chapters li").first).to_be_visible()
    shots(visitor, "course-ai-summary")
    visitor.click("text=要点回顾")
    expect(visitor.locator("[data-panel=review] .qa").first).to_be_visible()
    shots(visitor, "course-key-points")


def test_the_studio_shows_speech_the_transcript_dropped(live_app, browser, shots, lesson_ids):
    """Whisper's lines stop at 0:20 while the voice detector heard speech until 0:41: the page
    says where, and the gap stands in the review table among the lines, marked."""
    _, lesson_id = lesson_ids
    with live_app.app_context():
        lines = [
            Segment(0.0, 9.5, "各位同事好，今天讲客户沟通的三个要点。"),
            Segment(9.5, 20.0, "第一，先了解客户的风险承受能力。"),
        ]
        editing.store_machine_transcript(lesson_id, lines, heard_speech=[(0.2, 41.0)])
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log_in(page, base, "studio-teacher", "browser-pass-1")

    page.goto(f"{base}/studio/lessons/{lesson_id}")

    expect(page.locator("#missed-speech")).to_contain_text("可能漏听：1 处")
    expect(page.locator("#missed-speech")).to_contain_text("0:20–0:41")
    gap = page.locator(".review-line[data-missed='1']")
    expect(gap).to_be_visible()
    expect(gap.locator("td").nth(2)).to_have_text("—")  # no machine line there to compare with
    assert gap.evaluate("row => getComputedStyle(row).backgroundColor") not in (
        "rgba(0, 0, 0, 0)",
        "transparent",
    )
    expect(page.locator("#held-warning")).to_contain_text("转写稿需要先校对")
    shots(page, "studio-missed-speech")
