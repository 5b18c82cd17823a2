"""Demo content: categories, instructors, courses with real Chinese lecture videos, accounts.

Loading twice changes nothing: every row is looked up by its natural key first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from academy.auth.models import InstructorProfile
from academy.auth.services import create_user, find_user
from academy.catalog.models import Category, Course, Lesson
from academy.commerce.models import Plan
from academy.credits.models import CourseCredit, CreditType, DeclaredCertificate
from academy.extensions import db

CREDIT_TYPES = [
    # FPSB China: 30 hours per 2-year cycle for AFP/CFP re-certification, at least 5 hours
    # each year, at least 2 hours from required courses.
    {
        "code": "afp-cfp",
        "name": "继续教育再认证",
        "cycle_years": 2,
        "required_centihours": 3000,
        "yearly_min_centihours": 500,
        "required_course_centihours": 200,
    },
    {"code": "ctp", "name": "CTP", "cycle_years": 1, "required_centihours": 0},
]

CATEGORIES = [
    {"slug": "wealth", "name": "财富管理", "position": 1},
    {"slug": "compliance", "name": "合规与风控", "position": 2},
    {"slug": "tax", "name": "税务筹划", "position": 3},
]

INSTRUCTORS = [
    {
        "key": "wang",
        "name": "王立",
        "certification": "CFP 持证人，某股份制银行私人银行部资深投资顾问",
        "bio": "从事财富管理十五年，专注客户经营与资产配置培训。",
    },
    {
        "key": "chen",
        "name": "陈敏",
        "certification": "CTP，注册税务师",
        "bio": "长期为商业银行理财经理讲授个人税收与合规课程。",
    },
]

COURSES = [
    {
        "slug": "client-communication",
        "title": "客户沟通的三个要点",
        "category": "wealth",
        "subtitle": "一节一分钟以内的免费体验课",
        "instructor": "wang",
        "price_fen": 0,
        "published_on": date(2026, 11, 2),
        "credits": {"afp-cfp": 10},
        "description": "理财经理与客户沟通时最重要的三件事：倾听需求、讲清风险、按时回访。",
        "lessons": [("client-communication", "客户沟通的三个要点")],
    },
    {
        "slug": "aml-basics",
        "title": "反洗钱基础",
        "category": "compliance",
        "subtitle": "客户身份识别与可疑交易报告",
        "instructor": "chen",
        "price_fen": 0,
        "published_on": date(2026, 10, 20),
        "credits": {"afp-cfp": 25, "ctp": 25},
        # compliance is one of the AFP/CFP required courses
        "required_for": ["afp-cfp"],
        "description": "面向一线员工的反洗钱入门：客户身份识别、大额与可疑交易报告。",
        "glossary": ["客户身份识别", "尽职调查", "大额交易报告", "可疑交易报告", "受益所有人"],
        "lessons": [("aml-basics-1", "客户身份识别"), ("aml-basics-2", "可疑交易报告")],
    },
    {
        "slug": "asset-allocation",
        "title": "资产配置入门",
        "category": "wealth",
        "subtitle": "风险、收益与客户生命周期",
        "instructor": "wang",
        "price_fen": 9900,
        "member_claimable": True,
        "member_recommended": True,
        "published_on": date(2026, 9, 15),
        "credits": {"afp-cfp": 100},
        "description": "从风险收益特征出发，结合客户生命周期讲解家庭资产配置的基本方法。",
        "glossary": ["资产配置", "风险承受能力", "客户生命周期", "再平衡"],
        "lessons": [("asset-allocation-1", "风险与收益"), ("asset-allocation-2", "生命周期与配置")],
    },
    {
        "slug": "iit-deductions",
        "title": "个人所得税专项附加扣除实务",
        "category": "tax",
        "subtitle": "政策框架与申报实务",
        "instructor": "chen",
        "price_fen": 12900,
        "member_claimable": True,
        "published_on": date(2026, 8, 30),
        "credits": {"afp-cfp": 100, "ctp": 100},
        "description": "专项附加扣除的政策框架、扣除标准与年度汇算申报要点。",
        "glossary": ["专项附加扣除", "子女教育", "赡养老人", "年度汇算"],
        "lessons": [("iit-deductions-1", "政策框架"), ("iit-deductions-2", "申报实务")],
    },
    # The courses below each have one lesson of under a minute, so every commerce and credit
    # rule can be tried in a few minutes (README.md, "Trying the demo").
    {
        "slug": "product-suitability",
        "title": "理财产品适当性管理",
        "category": "compliance",
        "subtitle": "一节一分钟以内的付费体验课：购买、学完、下载证书",
        "instructor": "chen",
        "price_fen": 1990,
        "published_on": date(2026, 11, 16),
        "credits": {"afp-cfp": 100},
        "required_for": ["afp-cfp"],
        "description": "产品风险分级与客户风险测评、销售中的三条红线、双录与持续评估。"
        "购买的课程按课程学时全额计入，不占用会员额度。",
        "glossary": ["适当性管理", "风险测评", "风险等级", "录音录像"],
        "lessons": [("product-suitability", "风险测评与三条红线")],
    },
    *(
        {
            "slug": slug,
            "title": title,
            "category": "wealth",
            "subtitle": "会员可免费领取 · 演示课按 10 学时计",
            "instructor": "wang",
            "price_fen": price_fen,
            "member_claimable": True,
            "published_on": published_on,
            # ten hours for a lesson of under a minute: only so that three claims exceed the
            # plan's 25-hour quota within minutes (the third is capped at 5)
            "credits": {"afp-cfp": 1000},
            "description": f"{summary}演示用：本课按 10 学时计。持证人在一个会员期内通过会员领取"
            "获得的学时最多 25 学时，三门这样的课程合计 30 学时，超出额度的部分不计入。",
            "lessons": [(slug, lesson_title)],
        }
        for slug, title, lesson_title, price_fen, published_on, summary in [
            (
                "fund-sip-myths",
                "基金定投的三个误区",
                "稳赚、停投与只投不管",
                4900,
                date(2026, 11, 18),
                "定投不等于稳赚、下跌不该停投、只投不管。",
            ),
            (
                "third-pillar-pension",
                "养老金第三支柱",
                "三个支柱与个人养老金",
                5900,
                date(2026, 11, 20),
                "养老保障的三个支柱，个人养老金的缴费、投资、领取与税收。",
            ),
            (
                "insurance-trust",
                "保险金信托入门",
                "结构、适合的客户与提示",
                6900,
                date(2026, 11, 23),
                "保险金信托的结构、适合的客户与介绍时的提示。",
            ),
        ]
    ),
    {
        "slug": "anti-telecom-fraud",
        "title": "反电信诈骗提示",
        "category": "compliance",
        "subtitle": "会员推荐课程：领取后学时不占用会员额度",
        "instructor": "chen",
        "price_fen": 2900,
        "member_claimable": True,
        "member_recommended": True,
        "published_on": date(2026, 11, 25),
        "credits": {"afp-cfp": 500},
        "description": "常见的电信诈骗话术，一线员工的劝阻与上报。"
        "会员推荐课程：通过会员领取时，学时全额计入，不占用会员额度。",
        "glossary": ["电信诈骗", "安全账户", "刷单返利"],
        "lessons": [("anti-telecom-fraud", "常见话术与一线劝阻")],
    },
]

#: VIP plans on sale in the demo (PRODUCT.md: 25 member hours per period)
PLANS = [
    {
        "name": "年度 VIP",
        "price_fen": 36500,
        "days": 365,
        "discount_percent": 20,
        "quota_centihours": 2500,
    },
]

ACCOUNTS = [
    ("learner", "learner", "demo-learner-2026", {"nickname": "学员小李", "real_name": "李明"}),
    ("admin", "admin", "demo-admin-2026", {"nickname": "管理员"}),
    ("teacher", "instructor", "demo-teacher-2026", {"nickname": "王老师"}),
]

#: certificates the demo accounts have declared: the learner holds AFP/CFP, so the membership
#: quota applies to the courses they claim (docs/credits.md), and their cycles start on its date
DECLARED_CERTIFICATES = [
    {
        "username": "learner",
        "credit_type": "afp-cfp",
        "number": "AFP-DEMO-0001",
        "obtained_on": date(2025, 3, 1),
    },
]


def _get_or_add(model, key: dict, **values):
    row = db.session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key, **values)
        db.session.add(row)
        db.session.flush()
    return row


def _queue_demo_pipeline() -> int:
    """Queue every demo lecture not yet published for the pipeline and its correction."""
    from academy.demo.tasks import prepare_demo_lecture
    from academy.insights import services as insights

    queued = 0
    for lesson in db.session.scalars(
        select(Lesson).join(Course).where(Course.slug.in_([spec["slug"] for spec in COURSES]))
    ):
        job = insights.latest_job(lesson.id)
        if insights.published_view(lesson.id) is None and not (
            job and job.status in insights.ACTIVE
        ):
            prepare_demo_lecture(lesson.id)
            queued += 1
    return queued


def _attach_demo_handout(uploader) -> bool:
    """Give one demo course a PDF handout (drawn now, rendered by the worker), once."""
    import io

    from academy.demo import handout
    from academy.documents import services as documents

    course = db.session.scalar(select(Course).where(Course.slug == handout.COURSE_SLUG))
    font = Path(current_app.config["CERTIFICATE_FONT"])
    if course is None or documents.list_documents(course.id) or not font.is_file():
        return False
    documents.add_document(
        course,
        uploader,
        title=handout.TITLE,
        free_pages=handout.FREE_PAGES,
        filename=handout.FILENAME,
        stream=io.BytesIO(handout.build_handout(font)),
    )
    return True


def load_demo() -> Iterator[str]:
    """Load the demo content, generating lecture media that is not committed; yields progress."""
    from academy.demo.media import build_cover_image, ensure_demo_media

    media_root = Path(current_app.config["MEDIA_PATH"])
    demo_dir = media_root / "demo"
    demo_dir.mkdir(parents=True, exist_ok=True)
    yield "preparing demo lecture media (generated once, then reused)..."
    media = ensure_demo_media(demo_dir)

    types = {
        t["code"]: _get_or_add(
            CreditType, {"code": t["code"]}, **{k: v for k, v in t.items() if k != "code"}
        )
        for t in CREDIT_TYPES
    }
    categories = {
        c["slug"]: _get_or_add(
            Category, {"slug": c["slug"]}, name=c["name"], position=c["position"]
        )
        for c in CATEGORIES
    }

    users = {}
    for username, role, password, profile in ACCOUNTS:
        users[username] = find_user(username) or create_user(username, password, role, **profile)
    for spec in DECLARED_CERTIFICATES:
        _get_or_add(
            DeclaredCertificate,
            {
                "user_id": users[spec["username"]].id,
                "credit_type_id": types[spec["credit_type"]].id,
            },
            number=spec["number"],
            obtained_on=spec["obtained_on"],
        )
    instructors = {}
    for spec in INSTRUCTORS:
        user = users["teacher"] if spec["key"] == "wang" else None
        instructors[spec["key"]] = _get_or_add(
            InstructorProfile,
            {"name": spec["name"]},
            user_id=user.id if user else None,
            certification=spec["certification"],
            bio=spec["bio"],
        )

    for spec in COURSES:
        course = db.session.scalar(select(Course).where(Course.slug == spec["slug"]))
        if course is not None:
            continue
        cover = demo_dir / f"cover-{spec['slug']}.png"
        if not cover.exists():
            build_cover_image(spec["title"], spec["subtitle"], cover)
        course = Course(
            slug=spec["slug"],
            title=spec["title"],
            subtitle=spec["subtitle"],
            description=spec["description"],
            category=categories[spec["category"]],
            instructor=instructors[spec["instructor"]],
            price_fen=spec["price_fen"],
            member_claimable=spec.get("member_claimable", False),
            member_recommended=spec.get("member_recommended", False),
            cover_path=str(cover.relative_to(media_root)),
            published_on=spec["published_on"],
            glossary="\n".join(spec.get("glossary", [])),
        )
        db.session.add(course)
        db.session.flush()
        for position, (slug, title) in enumerate(spec["lessons"], start=1):
            path, seconds = media[slug]
            db.session.add(
                Lesson(
                    course_id=course.id,
                    position=position,
                    title=title,
                    duration_ms=int(seconds * 1000),
                    media_path=str(Path(path).relative_to(media_root)),
                    media_type="video/mp4",
                )
            )
        for code, centihours in spec["credits"].items():
            db.session.add(
                CourseCredit(
                    course_id=course.id,
                    credit_type_id=types[code].id,
                    centihours=centihours,
                    required_course=code in spec.get("required_for", ()),
                )
            )
        yield f"  course: {spec['title']}"
    for spec in PLANS:
        _get_or_add(Plan, {"name": spec["name"]}, **{k: v for k, v in spec.items() if k != "name"})
    db.session.commit()
    if _attach_demo_handout(users["teacher"]):
        yield "  handout: a sample PDF for the course page's document preview"
    queued = _queue_demo_pipeline()
    if queued:
        yield (
            f"queued {queued} demo lectures: the worker transcribes each, corrects it with its "
            "script as an instructor would, and publishes it"
        )
    yield "demo accounts (user / password):"
    for username, role, password, _profile in ACCOUNTS:
        yield f"  {role:<10} {username} / {password}"
    yield 'what to try in a few minutes: README.md, "Trying the demo"'
