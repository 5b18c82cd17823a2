"""A sample PDF handout for a demo course, drawn with ReportLab when the demo is loaded (no
committed binary): a cover and one page per topic, so the course page's free preview stops
partway through."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

#: the name ReportLab knows the embedded CJK font by
FONT = "DemoHandoutCJK"
NAVY, GOLD, INK, MUTED = (colors.HexColor(c) for c in ("#1d3557", "#c9a227", "#1f2937", "#6b7280"))

#: the demo course that gets the handout, and the handout itself
COURSE_SLUG = "asset-allocation"
TITLE = "资产配置入门 · 课程讲义"
FILENAME = "资产配置入门-讲义.pdf"
FREE_PAGES = 3
TOPICS = [
    (
        "一、风险与收益",
        [
            "收益是承担风险的补偿：预期收益越高，波动通常越大。",
            "衡量风险：波动率、最大回撤、亏损概率。",
            "向客户讲清楚：最坏的情况可能亏多少、多久能回来。",
        ],
    ),
    (
        "二、主要资产类别",
        [
            "现金类：货币基金、活期存款，流动性最好，收益最低。",
            "固定收益类：国债、金融债、信用债与债券基金。",
            "权益类：股票与股票基金，长期收益较高，短期波动大。",
            "另类资产：黄金、REITs 等，用于分散风险。",
        ],
    ),
    (
        "三、客户生命周期",
        [
            "单身期与家庭形成期：积累为主，可承受较高波动。",
            "家庭成长期：子女教育与房贷，重视现金流与保障。",
            "家庭成熟期与退休期：稳健为主，逐步降低权益比例。",
        ],
    ),
    (
        "四、风险承受能力评估",
        [
            "客观能力：收入、资产、负债与投资期限。",
            "主观意愿：对亏损的感受与过往投资经历。",
            "评估结果须与产品风险等级匹配，并留存记录。",
        ],
    ),
    (
        "五、组合构建与再平衡",
        [
            "先定战略配置比例，再选具体产品。",
            "定期或偏离阈值时再平衡，避免追涨杀跌。",
            "每年至少一次与客户回顾目标与配置。",
        ],
    ),
    (
        "六、课后练习",
        [
            "1. 为一位 35 岁、有房贷的客户设计一个初步的配置方案。",
            "2. 说明你会在什么情况下建议客户再平衡。",
            "3. 用一句话向客户解释“分散投资”。",
        ],
    ),
]


def _register_font(path: Path) -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))


def _frame(canvas: Canvas, number: int, total: int) -> None:
    width, height = A4
    canvas.setFillColor(NAVY)
    canvas.rect(0, height - 18 * mm, width, 18 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(FONT, 11)
    canvas.drawString(18 * mm, height - 11 * mm, TITLE)
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(width / 2, 12 * mm, f"第 {number} 页 / 共 {total} 页")


def build_handout(font_path: Path) -> bytes:
    """The handout as PDF bytes: a cover, then one page per topic."""
    _register_font(font_path)
    width, height = A4
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)
    canvas.setTitle(TITLE)
    total = len(TOPICS) + 1
    _frame(canvas, 1, total)
    canvas.setFillColor(NAVY)
    canvas.setFont(FONT, 30)
    canvas.drawString(25 * mm, height - 90 * mm, "资产配置入门")
    canvas.setFillColor(GOLD)
    canvas.rect(25 * mm, height - 100 * mm, 30 * mm, 1.5 * mm, stroke=0, fill=1)
    canvas.setFillColor(INK)
    canvas.setFont(FONT, 14)
    canvas.drawString(25 * mm, height - 115 * mm, "风险、收益与客户生命周期 · 课程讲义")
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, 11)
    canvas.drawString(25 * mm, height - 125 * mm, "主讲：王立　　演示内容，仅供体验")
    for number, (heading, points) in enumerate(TOPICS, start=2):
        canvas.showPage()
        _frame(canvas, number, total)
        canvas.setFillColor(NAVY)
        canvas.setFont(FONT, 22)
        canvas.drawString(25 * mm, height - 45 * mm, heading)
        canvas.setFillColor(INK)
        canvas.setFont(FONT, 13)
        y = height - 65 * mm
        for point in points:
            canvas.setFillColor(GOLD)
            canvas.circle(27 * mm, y + 1.6 * mm, 1.2 * mm, stroke=0, fill=1)
            canvas.setFillColor(INK)
            canvas.drawString(32 * mm, y, point)
            y -= 12 * mm
    canvas.showPage()
    canvas.save()
    return out.getvalue()
