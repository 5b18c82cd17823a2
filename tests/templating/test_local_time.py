"""Times are shown in one zone, the site's display zone (BABEL_DEFAULT_TIMEZONE, Beijing)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import render_template_string
from flask_babel import refresh

from academy.templating import display_zone_name, format_local

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: stored times are naive UTC; 16:30:05 UTC is 00:30:05 the next day in Beijing
STORED = datetime(2026, 3, 1, 16, 30, 5)


def test_a_stored_time_is_shown_in_the_display_zone():
    assert format_local(STORED, zone=SHANGHAI) == "2026-03-02 00:30"


def test_seconds_when_asked():
    assert format_local(STORED, seconds=True, zone=SHANGHAI) == "2026-03-02 00:30:05"


def test_the_date_is_the_display_zone_date():
    assert format_local(STORED, with_time=False, zone=SHANGHAI) == "2026-03-02"


def test_an_aware_time_is_converted_not_relabelled():
    aware = datetime(2026, 3, 1, 17, 30, 5, tzinfo=ZoneInfo("Europe/Berlin"))  # 16:30:05 UTC
    assert format_local(aware, zone=SHANGHAI) == "2026-03-02 00:30"
    assert format_local(STORED.replace(tzinfo=UTC), zone=SHANGHAI) == "2026-03-02 00:30"


def test_no_time_shows_nothing():
    assert format_local(None) == ""


def test_the_filter_uses_the_configured_zone(app):
    with app.test_request_context("/"):
        assert render_template_string("{{ t|local(seconds=true) }}", t=STORED) == (
            "2026-03-02 00:30:05"
        )
        app.config["BABEL_DEFAULT_TIMEZONE"] = "UTC"
        assert render_template_string("{{ t|local }}", t=STORED) == "2026-03-01 16:30"


def test_the_zone_is_named_for_people(app):
    with app.test_request_context("/"):
        assert display_zone_name() == "北京时间"
    with app.test_request_context("/?lang=en"):
        refresh()  # the test's app context outlives a request's: forget the cached locale
        assert display_zone_name() == "Beijing time"
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Europe/London"
    with app.test_request_context("/"):
        assert display_zone_name() == "Europe/London"
