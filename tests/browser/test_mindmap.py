"""The course page's mind map in a real browser: markmap draws it under the site's
Content-Security-Policy, a branch folds, it fits a phone, and the SVG still downloads."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from academy.extensions import db
from tests.browser.conftest import wait_for, watch_csp
from tests.factories import Factory

pytestmark = pytest.mark.browser

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CHAPTERS = ["开场：客户沟通为什么重要", "识别客户身份与风险承受能力", "沟通记录与合规边界"]
POINTS = ["识别客户身份是尽职调查的第一步，需核实证件原件", "了解风险承受能力", "记录沟通要点"]
#: the lecture, its chapters and their points
ALL_NODES = 1 + len(CHAPTERS) * (1 + len(POINTS))
NODES = "document.querySelectorAll('.mindmap-box svg g.markmap-node').length"
#: every node lies inside the map's box (once markmap's fit has settled)
FITS = """(() => {
  const box = document.querySelector('.mindmap-box').getBoundingClientRect();
  const nodes = [...document.querySelectorAll('.mindmap-box g.markmap-node foreignObject')];
  return nodes.length > 0 && nodes.every((node) => {
    const r = node.getBoundingClientRect();
    return r.left >= box.left - 1 && r.right <= box.right + 1
      && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  });
})()"""
BUSY = "document.querySelector('.mindmap-box').hasAttribute('aria-busy')"
SCALE = "d3.zoomTransform(document.querySelector('.mindmap-box svg')).k"


@pytest.fixture
def course_id(live_app):
    """A free course (visitors see all of its AI material) whose lesson has a mind map."""
    with live_app.app_context():
        make = Factory(live_app)
        course = make.course(title="客户沟通的三个要点")
        lesson = course.lessons[0]
        insight = make.insight(lesson, publish=False)
        insight.mind_map = {
            "title": "客户沟通 <第一讲>",
            "children": [
                {"title": title, "start": 0.0, "children": [{"title": p} for p in POINTS]}
                for title in CHAPTERS
            ],
        }
        db.session.commit()
        from academy.insights import services as insights

        insights.publish(lesson)
        found = course.id
        db.session.remove()
    return found


def _open(browser, live_app, course_id, viewport):
    if not (VENDOR / "markmap-view" / "index.js").exists():
        pytest.fail("static/vendor/markmap-view is missing: run .ci/install (it runs .ci/vendor)")
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    violations = watch_csp(page)
    page.goto(f"{live_app.config['LIVE_URL']}/courses/{course_id}")
    page.locator(".mindmap-box").scroll_into_view_if_needed()
    wait_for(page, f"{NODES} === {ALL_NODES} && !{BUSY}")
    return page, violations


def test_the_mind_map_is_drawn_and_a_branch_folds(live_app, course_id, browser, shots):
    page, violations = _open(browser, live_app, course_id, DESKTOP)
    # the title's markup is text, not HTML
    expect(page.locator(".mindmap-box svg")).to_contain_text("客户沟通 <第一讲>")
    assert page.evaluate(FITS)
    shots(page, "mindmap-desktop")

    page.locator(".mindmap-box g.markmap-node", has_text=CHAPTERS[1]).locator(
        ".markmap-foreign"
    ).click()
    wait_for(page, f"{NODES} === {ALL_NODES - len(POINTS)}")
    chapter = page.locator(".mindmap-box g.markmap-node[role=button]", has_text=CHAPTERS[1])
    expect(chapter).to_have_attribute("aria-expanded", "false")

    chapter.focus()
    page.keyboard.press("Enter")  # and back, by keyboard
    wait_for(page, f"{NODES} === {ALL_NODES}")
    assert violations == []


def test_zoom_and_fold_then_reset_shows_it_all_fitted_again(live_app, course_id, browser):
    page, violations = _open(browser, live_app, course_id, PHONE)
    assert page.evaluate(FITS)
    fitted = page.evaluate(SCALE)
    page.click("[data-mindmap-do=zoom-in]")
    wait_for(page, f"{SCALE} > {fitted} * 1.2 && !{FITS}")
    page.click("[data-mindmap-do=fit]")
    wait_for(page, FITS)

    page.locator(".mindmap-box g.markmap-node[role=button]", has_text=CHAPTERS[0]).locator(
        ".markmap-foreign"
    ).click()
    wait_for(page, f"{NODES} === {ALL_NODES - len(POINTS)}")
    page.click("[data-mindmap-do=reset]")
    wait_for(page, f"{NODES} === {ALL_NODES} && !{BUSY} && {FITS}")
    assert violations == []


def test_the_mind_map_fits_a_phone(live_app, course_id, browser, shots):
    page, violations = _open(browser, live_app, course_id, PHONE)
    assert page.evaluate(FITS)
    box = page.locator(".mindmap-box").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator(".mindmap-box").scroll_into_view_if_needed()
    shots(page, "mindmap-phone")
    assert violations == []


def test_the_svg_still_downloads(live_app, course_id, browser):
    page, _ = _open(browser, live_app, course_id, DESKTOP)
    with page.expect_download() as download:
        page.click(".lesson-insight h4 a[href*=download]")
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".svg")
    assert "客户沟通 &lt;第一讲&gt;" in Path(path).read_text(encoding="utf-8")


def test_without_scripts_the_box_shows_the_servers_svg(live_app, course_id, browser, shots):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_app.config['LIVE_URL']}/courses/{course_id}")
    image = page.locator(".mindmap-box img")
    expect(image).to_be_visible()
    assert image.evaluate("(img) => img.complete && img.naturalWidth > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.locator(".mindmap-tools")).to_be_hidden()
    context.close()
