"""Every main page fits a 390 px phone (no sideways scrolling of the page), for each role."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from academy import clock
from academy.auth.services import ensure_instructor_profile
from academy.catalog import services as catalog
from academy.commerce import cart, orders, plans
from academy.consult import services as consult
from academy.consult.models import Side
from academy.credits import services as credits
from academy.extensions import db
from academy.insights import services as insights
from academy.learning import services as learning
from academy.learning.models import WatchEvent
from tests.browser.conftest import clip_lesson, log_in, wait_for
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
#: long words and names, so that a page that cannot wrap them shows it
LONG_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Pro Build/AP2A.240805.005) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/127.0.6533.103 Mobile Safari/537.36"
)


def _mind_map(title: str) -> dict:
    points = ["识别客户身份是尽职调查的第一步，需核实证件", "了解风险承受能力", "记录沟通要点"]
    return {
        "title": title,
        "children": [
            {
                "title": f"第 {n} 部分：客户沟通的要点与常见误区",
                "children": [{"title": p, "children": []} for p in points],
            }
            for n in range(1, 4)
        ],
    }


@pytest.fixture
def site(live_app):
    """A learner with a course, progress, an order, a cart, hours and a message; an instructor
    with a course in the studio; an admin; an article; a VIP plan. Returns the ids to visit."""
    with live_app.app_context():
        make = Factory(live_app)
        lesson = clip_lesson(live_app, "client-talk", "客户沟通的三个要点与合规边界", "客户沟通")
        learner = make.user("phone-learner", nickname="小王")
        teacher = make.user("phone-teacher", role="instructor")
        profile = ensure_instructor_profile(teacher)
        make.user("phone-admin", role="admin")
        course = lesson.course
        course.instructor_id = profile.id
        course.description = "面向理财经理的客户沟通课程。"
        db.session.commit()
        make.credit_type()
        insight = make.insight(lesson, publish=False)
        insight.mind_map = _mind_map(lesson.title)
        db.session.commit()
        insights.publish(lesson)
        make.enrol(learner, course)

        # the viewing log: a replaced session, beats cut short, a refused beat
        learning.start_watch(learner, lesson, user_agent=LONG_AGENT, ip="203.0.113.77")
        session = learning.start_watch(learner, lesson, user_agent=LONG_AGENT, ip="203.0.113.77")
        for kind, detail in (
            ("beat", "ahead_of_verified"),
            ("beat", "faster_than_real_time"),
            ("refused", "stale_seq"),
        ):
            db.session.add(
                WatchEvent(
                    session_id=session.id,
                    user_id=learner.id,
                    lesson_id=lesson.id,
                    at=clock.now(),
                    kind=kind,
                    seq=3,
                    position_ms=12_345,
                    verified_ms=5_000,
                    rate_centi=100,
                    hidden=False,
                    detail=detail,
                )
            )
        db.session.commit()

        paid = make.course(price_fen=9900, title="理财产品适当性管理（付费课程）")
        in_cart = make.course(price_fen=19900, title="家族信托实务")
        cart.add_to_cart(learner.id, paid.id)
        orders.checkout_cart(learner.id)
        cart.add_to_cart(learner.id, in_cart.id)
        credits.add_correction(
            learner.id,
            make.credit_type().id,
            150,
            "线下培训补录",
            earned_on=(clock.now() - timedelta(days=3)).date(),
        )
        plans.save_plan(
            None,
            {
                "name": "年度 VIP",
                "price_fen": 36500,
                "days": 365,
                "discount_percent": 20,
                "quota_centihours": 2500,
            },
        )
        thread = consult.ask_question(learner, course, "这门课程的学时可以用于 AFP 再认证吗？")
        consult.reply(thread, teacher, Side.STAFF, "可以，完成全部课时后自动计入。")

        studio_course = catalog.create_course(
            profile.id,
            {
                "title": "反洗钱实务：客户身份识别与大额交易报告",
                "subtitle": "",
                "description": "",
                "category_id": course.category_id,
                "price_fen": 0,
                "glossary": "尽职调查\n大额交易报告",
                "transcript_script": "simplified",
            },
        )
        studio_lesson = catalog.add_lesson(studio_course, "客户身份识别")
        make.insight(studio_lesson, publish=False)

        from academy.articles import services as articles
        from academy.articles.models import ArticleStatus

        article = articles.create_article(
            teacher,
            {"title": "资管新规下的客户沟通", "body": "# 要点\n\n认真沟通。", "tags": "合规 沟通"},
        )
        articles.set_status(article, ArticleStatus.PUBLISHED)
        ids = {
            "course": course.id,
            "lesson": lesson.id,
            "category": course.category.slug,
            "learner": learner.id,
            "studio_course": studio_course.id,
            "studio_lesson": studio_lesson.id,
            "article": article.id,
            "order": orders.pending_order_of(learner.id).id,
        }
        db.session.remove()
    return ids


def _phone(browser):
    return browser.new_page(viewport=PHONE, locale="zh-CN", device_scale_factor=1)


def _check(page, shots, name: str, wide: list[str]) -> None:
    """Screenshot the page and note it when the page itself scrolls sideways."""
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    shots(page, f"phone-{name}")
    if width > PHONE["width"]:
        wide.append(f"{name}: {width}px")


#: the pages visited for their error status
ERROR_PAGES = {"403": 403, "404": 404}


def _visit(page, base: str, shots, pages: list[tuple[str, str]], wide: list[str]) -> None:
    for name, path in pages:
        response = page.goto(base + path)
        assert response.status == ERROR_PAGES.get(name, 200), f"{name}: {response.status}"
        _check(page, shots, name, wide)


def _use_the_menu_by_keyboard(page, base: str, shots) -> None:
    """The header's links are behind 菜单 on a phone: open it, see every link, close it."""
    page.goto(base + "/")
    button = page.locator("[data-menu-toggle]")
    expect(page.locator(".mainnav")).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    for name in ("我的学习", "我的学时", "我的订单", "购物车", "退出", "English"):
        expect(page.locator("#site-menu").get_by_text(name, exact=True)).to_be_visible()
    expect(page.locator("#site-menu .messages")).to_be_visible()
    expect(page.locator("#site-menu input[name=q]")).to_be_visible()
    shots(page, "phone-menu-open")
    page.keyboard.press("Tab")  # the first link of the panel follows the button
    expect(page.locator("#site-menu a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(page.locator(".mainnav")).to_be_hidden()


def test_the_desktop_header_shows_every_link_without_a_menu(live_app, browser, shots, site):
    base = live_app.config["LIVE_URL"]
    for username, links in (
        (None, ("课程", "VIP 会员", "资讯", "登录", "注册")),
        ("phone-learner", ("我的学习", "我的学时", "我的订单", "购物车", "退出")),
        ("phone-admin", ("我的学习", "讲师工作台", "管理后台", "退出")),
    ):
        page = browser.new_page(viewport=DESKTOP, locale="zh-CN")
        if username:
            log_in(page, base, username, PASSWORD)
        page.goto(base + "/")
        expect(page.locator("[data-menu-toggle]")).to_be_hidden()
        for name in links:
            expect(page.locator(".topbar").get_by_text(name, exact=True)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        assert page.evaluate("document.querySelector('.topbar').offsetHeight") <= 130
        shots(page, f"desktop-header-{username or 'visitor'}")
        page.close()


def test_every_main_page_fits_a_phone(live_app, browser, shots, site):
    base = live_app.config["LIVE_URL"]
    wide: list[str] = []

    visitor = _phone(browser)
    _visit(
        visitor,
        base,
        shots,
        [("login", "/login"), ("register", "/register"), ("404", "/no-such-page")],
        wide,
    )

    page = _phone(browser)
    log_in(page, base, "phone-learner", PASSWORD)
    _use_the_menu_by_keyboard(page, base, shots)
    _visit(
        page,
        base,
        shots,
        [
            ("home", "/"),
            ("category", f"/categories/{site['category']}"),
            ("course", f"/courses/{site['course']}"),
        ],
        wide,
    )
    # the mind map pans and zooms inside its box (tests/browser/test_mindmap.py): zoomed in,
    # it still leaves the page as wide as the phone
    mind_map = page.locator(".mindmap-box")
    mind_map.scroll_into_view_if_needed()
    settled = "!document.querySelector('.mindmap-box').hasAttribute('aria-busy')"
    expect(mind_map.locator("g.markmap-node").first).to_be_visible()
    wait_for(page, settled)
    assert mind_map.evaluate("(box) => box.getBoundingClientRect().right") <= PHONE["width"]
    page.click("[data-mindmap-do=zoom-in]")
    wait_for(page, settled)
    page.click("[data-mindmap-do=zoom-in]")
    wait_for(page, settled)
    _check(page, shots, "course-mind-map-zoomed", wide)
    for tab in ("instructor", "review", "comments"):
        page.click(f"[data-tab={tab}]")
        expect(page.locator(f"[data-panel={tab}]")).to_be_visible()
        _check(page, shots, f"course-tab-{tab}", wide)
    _visit(
        page,
        base,
        shots,
        [
            ("player", f"/learn/lessons/{site['lesson']}"),
            ("my-learning", "/me/learning"),
            ("my-credits", "/me/credits"),
            ("my-certificates", "/me/certificates"),
            ("orders", "/me/orders"),
            ("order", f"/me/orders/{site['order']}"),
            ("cart", "/cart"),
            ("vip", "/vip"),
            ("articles", "/articles"),
            ("article", f"/articles/{site['article']}"),
            ("search", "/search?q=客户"),
            ("search-nothing", "/search?q=完全不存在的词语"),
            ("profile", "/me/profile"),
            ("messages", "/me/messages"),
            ("403", "/admin/"),
        ],
        wide,
    )

    teacher = _phone(browser)
    log_in(teacher, base, "phone-teacher", PASSWORD)
    _visit(
        teacher,
        base,
        shots,
        [
            ("studio", "/studio/"),
            ("studio-course", f"/studio/courses/{site['studio_course']}"),
            ("studio-lesson", f"/studio/lessons/{site['studio_lesson']}"),
            ("studio-questions", "/studio/questions"),
            ("studio-articles", "/studio/articles"),
        ],
        wide,
    )

    admin = _phone(browser)
    log_in(admin, base, "phone-admin", PASSWORD)
    learner = site["learner"]
    _visit(
        admin,
        base,
        shots,
        [
            ("admin-settings", "/admin/"),
            ("admin-learners", "/admin/learners"),
            ("admin-instructors", "/admin/learners?role=instructor"),
            ("admin-admins", "/admin/learners?role=admin"),
            ("admin-learner", f"/admin/learners/{learner}"),
            ("admin-viewing-log", f"/admin/learners/{learner}/lessons/{site['lesson']}"),
            ("admin-learner-credits", f"/admin/learners/{learner}/credits"),
            ("admin-credit-types", "/admin/credit-types"),
            ("admin-course-credits", "/admin/course-credits"),
            ("admin-export", "/admin/credits/export"),
            ("admin-plans", "/admin/plans"),
            ("admin-member-courses", "/admin/member-courses"),
            ("admin-orders", "/admin/orders"),
            ("admin-comments", "/admin/comments"),
            ("admin-questions", "/admin/questions"),
        ],
        wide,
    )
    assert not wide, "pages wider than the phone: " + "; ".join(wide)
