"""The certificate of completion as a PDF (ReportLab), with an embedded CJK font and a QR code
to its public verification page."""

from __future__ import annotations

import io
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from academy.credits.certificates import CertificateView, format_code
from academy.templating import format_hours, format_local, hours_plural

#: the name ReportLab knows the embedded font by
FONT = "AcademyCJK"
#: the certificate's colours: a dark ink and the site's accent for the frame
INK = colors.HexColor("#1f2937")
ACCENT = colors.HexColor("#9a3412")
MUTED = colors.HexColor("#6b7280")
#: side of the printed QR code; 30 mm scans from a phone at arm's length
QR_SIZE = 30 * mm


def _register_font(path: Path) -> None:
    """Embed the CJK TrueType font once per process (subset into each PDF by ReportLab).

    A .ttc collection holds several faces; the first (index 0) is the regular one.
    """
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    if not path.is_file():
        raise FileNotFoundError(
            f"certificate font {path} is missing: run .ci/install (Debian fonts-wqy-microhei)"
        )
    pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))


def _qr(canvas: Canvas, url: str, x: float, y: float) -> None:
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _centred(canvas: Canvas, text: str, y: float, size: float, color=INK) -> None:
    canvas.setFont(FONT, size)
    canvas.setFillColor(color)
    canvas.drawCentredString(canvas._pagesize[0] / 2, y, text)


def render_certificate(view: CertificateView, verify_url: str, font_path: Path) -> bytes:
    """The certificate as PDF bytes: who completed which course, the hours, the date, the
    verification code and a QR code of `verify_url`."""
    _register_font(font_path)
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height), invariant=True)
    canvas.setTitle(_("结业证书") + " · " + view.course_title)
    canvas.setAuthor(_("金融继续教育学院"))

    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    _centred(canvas, _("金融继续教育学院"), height - 42 * mm, 16, ACCENT)
    _centred(canvas, _("结业证书"), height - 62 * mm, 34)
    _centred(canvas, _("兹证明"), height - 82 * mm, 14, MUTED)
    _centred(canvas, view.name, height - 96 * mm, 24)
    _centred(canvas, _("已完整观看并完成以下课程的全部学习："), height - 110 * mm, 14, MUTED)
    _centred(canvas, "《" + view.course_title + "》", height - 126 * mm, 22)
    y = height - 142 * mm
    for type_name, centihours in view.hours:
        _centred(
            canvas,
            ngettext(
                "获得 %(type)s %(hours)s 学时",
                "获得 %(type)s %(hours)s 学时",
                hours_plural(centihours),
                type=type_name,
                hours=format_hours(centihours),
            ),
            y,
            14,
        )
        y -= 8 * mm
    _centred(
        canvas,
        _("完成日期：%(date)s", date=format_local(view.completed_at, with_time=False)),
        y - 2 * mm,
        12,
        MUTED,
    )

    _qr(canvas, verify_url, width - 24 * mm - QR_SIZE, 24 * mm)
    canvas.setFont(FONT, 10)
    canvas.setFillColor(INK)
    canvas.drawString(26 * mm, 34 * mm, _("验证码：%(code)s", code=format_code(view.code)))
    canvas.setFillColor(MUTED)
    canvas.drawString(26 * mm, 28 * mm, _("扫描右侧二维码或访问以下网址核验本证书："))
    canvas.drawString(26 * mm, 23 * mm, verify_url)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
