"""Template filters and globals shared by every page."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from academy import i18n
from academy.catalog.services import format_price
from academy.credits import words as credit_words
from academy.errors import take_refused_form
from academy.learning import codes

SHANGHAI = ZoneInfo("Asia/Shanghai")


def format_hours(centihours: int) -> str:
    """150 -> '1.5', 200 -> '2', -150 -> '-1.5' (a reversal)."""
    if centihours < 0:
        return "-" + format_hours(-centihours)
    whole, part = divmod(centihours, 100)
    return f"{whole}" if part == 0 else f"{whole}.{part:02d}".rstrip("0")


def hours_plural(centihours: int) -> int:
    """The count that picks the plural form of an amount of hours for ngettext.

    gettext's plural rules take whole numbers, so whole hours count as themselves and a fraction
    as 2, a count English calls plural as it does fractions ("1 hour", "0.5 hours", "1.5 hours").
    """
    whole, part = divmod(abs(centihours), 100)
    return whole if part == 0 else 2


def format_duration(ms: int) -> str:
    """Milliseconds as m:ss or h:mm:ss."""
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def display_zone() -> ZoneInfo:
    """The zone every page shows times in: the app's BABEL_DEFAULT_TIMEZONE (Beijing)."""
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if current_app else None
    return ZoneInfo(name) if name else SHANGHAI


def display_zone_name() -> str:
    """The display zone as people name it: 北京时间 for Asia/Shanghai, else its tz name."""
    zone = display_zone()
    return _("北京时间") if zone.key == SHANGHAI.key else zone.key


def format_local(
    moment: datetime | None,
    with_time: bool = True,
    seconds: bool = False,
    zone: ZoneInfo | None = None,
) -> str:
    """A stored naive-UTC time in the display zone (the `local` filter of every page)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone or display_zone())
    if not with_time:
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


#: list separators, translated: 、 between items, ； between clauses (", " and "; " in English)
LIST_SEPARATORS = {"、": _l("、"), "；": _l("；")}


def join_list(items, separator: str = "、") -> str:
    """Items joined as the reader's language writes a list (not the Chinese mark in English)."""
    return str(LIST_SEPARATORS[separator]).join(str(item) for item in items)


def init_app(app: Flask) -> None:
    app.add_template_filter(format_price, "price")
    app.add_template_filter(format_hours, "hours")
    app.add_template_filter(hours_plural, "hours_plural")
    app.add_template_filter(format_duration, "duration")
    app.add_template_filter(join_list, "join_list")
    app.add_template_filter(format_local, "local")
    app.add_template_filter(codes.describe, "code_words")
    app.add_template_filter(credit_words.entry_kind_words, "entry_kind_words")
    app.add_template_filter(credit_words.entry_source_words, "entry_source_words")
    app.add_template_global(display_zone_name, "display_zone_name")
    app.add_template_global(take_refused_form, "take_refused_form")
    app.add_template_global(lambda: str(get_locale()), "current_locale")
    app.add_template_global(i18n.html_lang, "html_lang")
    app.add_template_global(i18n.language_links, "language_links")
