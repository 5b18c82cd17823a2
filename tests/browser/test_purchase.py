"""The demo learner buys the short paid course in a real browser: cart, checkout, the sandbox
gateway's cashier, back paid, the lesson watched to the end, the hours, the certificate PDF,
and its public verification page opened by someone who is not logged in."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from academy.catalog.models import Course
from academy.extensions import db
from tests.browser.conftest import ARTIFACTS, log_in, wait_for, watch_csp
from tests.demo.support import load_demo_with_the_clip

pytestmark = pytest.mark.browser

#: the demo's paid course with one lesson of under a minute (here the 41 s clip)
COURSE_SLUG = "product-suitability"
COURSE_TITLE = "理财产品适当性管理"


@pytest.fixture
def demo_site(live_app, monkeypatch, _alipay_key_files):
    """The live site with the demo content and the gateway's key pairs in place; the paid
    course's id and its lesson's duration in ms."""
    shutil.copytree(_alipay_key_files, live_app.config["INSTANCE_PATH"] / "alipay")
    with live_app.app_context():
        load_demo_with_the_clip(monkeypatch)
        course = db.session.scalar(select(Course).where(Course.slug == COURSE_SLUG))
        found = course.id, course.lessons[0].duration_ms
        db.session.commit()  # the test holds no SQLite lock while the server works
        db.session.remove()
    return found


def test_demo_learner_buys_watches_and_verifies_the_certificate(
    live_app, browser, shots, demo_site
):
    course_id, duration_ms = demo_site
    base = live_app.config["LIVE_URL"]
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    csp_violations = watch_csp(page)
    log_in(page, base, "learner", "demo-learner-2026")

    # The course page: price, hours, what it cannot be claimed for, a button to buy.
    page.goto(f"{base}/courses/{course_id}")
    expect(page.locator("h1")).to_have_text(COURSE_TITLE)
    expect(page.locator(".price-line")).to_contain_text("¥19.90")
    expect(page.locator(".credit-line")).to_have_text(
        "完成本课程可获得 1 学时（继续教育再认证） · 计入必修课程学时"
    )
    expect(page.locator(".eligibility")).to_have_text("本课程不可申报 CTP 学时")
    shots(page, "buy-01-course-page")
    page.click("button:has-text('加入购物车')")
    expect(page.locator(".flash")).to_contain_text("已加入购物车。")
    page.click("text=已在购物车")

    # The cart, then the order awaiting payment, its banner on the page.
    expect(page.locator("table")).to_contain_text(COURSE_TITLE)
    expect(page.locator(".total")).to_contain_text("合计：¥19.90")
    shots(page, "buy-02-cart")
    page.click("button:has-text('去结算')")
    expect(page).to_have_url(re.compile(r"/me/orders/\d+$"))
    order_url = page.url
    expect(page.locator(".status")).to_have_text("待支付")
    expect(page.locator(".pending-banner")).to_contain_text("您有一笔待支付订单（¥19.90）")
    shots(page, "buy-03-order-pending")

    # The sandbox gateway's cashier, then back on the site, paid.
    page.click("text=去支付（支付宝）")
    expect(page).to_have_url(re.compile(r"/sandbox-gateway/gateway\.do\?"))
    expect(page.locator("h1")).to_have_text("支付宝沙箱收银台")
    expect(page.locator(".facts")).to_contain_text(COURSE_TITLE)
    expect(page.locator(".price.big")).to_have_text("¥19.90")
    shots(page, "buy-04-sandbox-cashier")
    page.click("button:has-text('确认付款')")
    expect(page).to_have_url(order_url)
    expect(page.locator(".flash")).to_contain_text("支付成功。")
    expect(page.locator(".status")).to_have_text("已支付")
    expect(page.locator(".pending-banner")).to_have_count(0)
    shots(page, "buy-05-order-paid")

    # The course is bought; its lesson watched to the end, the popup confirmed on the way.
    page.goto(f"{base}/courses/{course_id}")
    expect(page.locator(".badge.done")).to_have_text("已购买")
    page.click("text=开始学习")
    expect(page).to_have_url(re.compile(r"/learn/lessons/\d+"))
    wait_for(page, "document.getElementById('video').readyState >= 1")
    page.evaluate("document.getElementById('video').play()")
    wait_for(
        page, "parseFloat(document.getElementById('verified-bar').style.width) > 0", timeout=20_000
    )
    shots(page, "buy-06-playing")
    popup = page.locator("#popup")
    expect(popup).to_be_visible(timeout=duration_ms + 15_000)
    shots(page, "buy-07-popup")
    page.click("#popup-confirm")
    expect(popup).to_be_hidden()
    expect(page.locator("#complete")).to_be_visible(timeout=duration_ms + 20_000)
    expect(page.locator("#complete-detail")).to_contain_text("获得学时：1 学时（继续教育再认证）")
    shots(page, "buy-08-lesson-complete")

    # The hours, bought in full; the cycle from the learner's declared certificate.
    page.goto(f"{base}/me/credits")
    afp = page.locator("[data-credit-type=afp-cfp]")
    expect(afp).to_contain_text("证书编号 AFP-DEMO-0001，取得日期 2025-03-01")
    expect(afp).to_contain_text("周期 2025-03-01 至 2027-02-28")
    row = page.locator("tr", has_text=COURSE_TITLE)
    expect(row.locator(".credit-hours")).to_have_text("1")
    expect(row).to_contain_text("购买")
    expect(row.locator(".why")).to_have_text("购买的课程：按课程学时全额计入，不占用会员额度。")
    wait_for(page, "!!document.querySelector('#credit-chart canvas')")
    page.wait_for_timeout(1_500)  # ECharts animates the line in for a second
    shots(page, "buy-09-my-credits")

    # The certificate PDF: a real PDF, rendered to an image for a person to look at.
    with page.expect_download() as download:
        page.locator(".certificates li", has_text=COURSE_TITLE).locator(
            "text=下载结业证书（PDF）"
        ).click()
    pdf_path = ARTIFACTS / "buy-10-certificate.pdf"
    download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "90", "-singlefile", pdf_path, ARTIFACTS / "buy-10-certificate"],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", pdf_path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "结业证书" in text and f"《{COURSE_TITLE}》" in text and "李明" in text
    verify_url = re.search(rf"{re.escape(base)}/verify/[0-9A-Z-]+", text).group(0)
    assert csp_violations == []
    page.close()

    # Anyone holding the code sees the certificate is valid, and only the masked name.
    stranger = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    stranger_violations = watch_csp(stranger)
    stranger.goto(verify_url)
    expect(stranger.locator("h1")).to_have_text("结业证书核验")
    expect(stranger.locator(".status-valid")).to_have_text("有效")
    expect(stranger.locator(".masked-name")).to_have_text("李*")
    expect(stranger.locator(".verify")).to_contain_text(COURSE_TITLE)
    expect(stranger.locator(".verify")).to_contain_text("继续教育再认证 1 学时")
    expect(stranger.locator(".verify")).not_to_contain_text("李明")
    expect(stranger.locator(".account")).to_contain_text("登录")
    shots(stranger, "buy-11-verify-logged-out")
    assert stranger_violations == []
    stranger.close()
