"""Template filters and globals shared by every page."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import get_locale

from academy.catalog.services import format_price

SHANGHAI = ZoneInfo("Asia/Shanghai")


def format_hours(centihours: int) -> str:
    """150 -> '1.5', 200 -> '2', -150 -> '-1.5' (a reversal)."""
    if centihours < 0:
        return "-" + format_hours(-centihours)
    whole, part = divmod(centihours, 100)
    return f"{whole}" if part == 0 else f"{whole}.{part:02d}".rstrip("0")


def format_duration(ms: int) -> str:
    """Milliseconds as m:ss or h:mm:ss."""
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_local(moment: datetime | None, with_time: bool = True) -> str:
    """A stored naive-UTC time in Beijing time."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone(SHANGHAI)
    return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def init_app(app: Flask) -> None:
    app.add_template_filter(format_price, "price")
    app.add_template_filter(format_hours, "hours")
    app.add_template_filter(format_duration, "duration")
    app.add_template_filter(format_local, "local")
    app.add_template_global(lambda: str(get_locale()), "current_locale")
