"""A learner's profile: checking and saving it, and the reminders to complete or check it."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from academy import clock
from academy.auth.models import ReminderDismissal, User
from academy.errors import Refusal
from academy.extensions import db
from academy.plaintext import has_hidden_characters

#: what a learner may edit, in the form's order (the user name is fixed at registration)
EDITABLE = ("nickname", "real_name", "birthday", "employer", "email", "phone")
#: what a complete profile holds (the certification body's import needs the real name and
#: birthday; the employer and e-mail reach the learner about renewals)
REQUIRED = ("username", "nickname", "real_name", "birthday", "employer", "email")
LABELS = {
    "username": _l("用户名"),
    "nickname": _l("昵称"),
    "real_name": _l("真实姓名"),
    "birthday": _l("出生日期"),
    "employer": _l("工作单位"),
    "email": _l("电子邮箱"),
    "phone": _l("手机号码"),
}
#: the columns' widths
MAX_LENGTHS = {"nickname": 40, "real_name": 40, "employer": 100, "email": 120, "phone": 20}
#: nobody now learning was born before this
EARLIEST_BIRTHDAY = date(1900, 1, 1)
#: one @, something either side, a dot in the domain, no spaces (the mailbox proves the rest)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
#: an optional +, then 6 to 15 digits (E.164's longest); spaces and hyphens are dropped first
PHONE_PATTERN = re.compile(r"^\+?[0-9]{6,15}$")

INCOMPLETE = "profile_incomplete"
STALE = "profile_stale"
REMINDER_KINDS = (INCOMPLETE, STALE)


class ProfileInvalid(Refusal):
    """Some fields were refused: `fields` maps each one to (code, message)."""

    def __init__(self, fields: dict[str, tuple[str, str]]) -> None:
        super().__init__("invalid_profile", _("资料有误，请按提示修改。"), 422)
        self.fields = fields


def check_profile(values: dict, today: date) -> dict:
    """The submitted fields cleaned (text trimmed, birthday a date), or ProfileInvalid.

    Only the fields present are checked and returned; an empty value clears a field.
    """
    cleaned: dict = {}
    errors: dict[str, tuple[str, str]] = {}
    for name in EDITABLE:
        if name not in values:
            continue
        value = values[name]
        text = "" if value is None else str(value).strip()
        if name == "birthday":
            cleaned[name], error = _birthday(value, text, today)
            if error:
                errors[name] = error
            continue
        if name == "phone":
            text = re.sub(r"[\s-]", "", text)
        cleaned[name], error = text, None
        if has_hidden_characters(text):
            error = ("invalid_text", _("含有无法显示的控制字符或不可见字符。"))
        elif name == "phone" and text and not PHONE_PATTERN.fullmatch(text):
            error = ("invalid_phone", _("手机号码格式不正确。"))
        elif name == "email" and text and not EMAIL_PATTERN.fullmatch(text):
            error = ("invalid_email", _("电子邮箱格式不正确。"))
        if len(text) > MAX_LENGTHS[name]:
            error = ("too_long", _("不能超过 %(n)s 个字符。", n=MAX_LENGTHS[name]))
        if error:
            errors[name] = error
    if errors:
        raise ProfileInvalid(errors)
    return cleaned


def _birthday(value, text: str, today: date) -> tuple[date | None, tuple[str, str] | None]:
    if isinstance(value, date):
        day = value
    elif not text:
        return None, None
    else:
        try:
            day = date.fromisoformat(text) if len(text) == 10 else None
        except ValueError:
            day = None
        if day is None:
            return None, ("invalid_date", _("请按 年-月-日 填写出生日期。"))
    if day > today:
        return None, ("date_in_future", _("出生日期不能晚于今天。"))
    if day < EARLIEST_BIRTHDAY:
        return None, ("date_too_early", _("出生日期不能早于 1900 年。"))
    return day, None


def update_profile(user: User, values: dict) -> User:
    """Check and save the submitted fields; saving counts as the profile being checked."""
    now = clock.now()
    cleaned = check_profile(values, (now + timedelta(hours=8)).date())  # Beijing's today
    for name, value in cleaned.items():
        setattr(user, name, value)
    user.profile_updated_at = now
    db.session.commit()
    return user


def missing_fields(user: User) -> list[str]:
    """The fields of a complete profile this one lacks, in the form's order."""
    return [name for name in REQUIRED if not getattr(user, name)]


def is_stale(user: User, now: datetime, stale_days: int) -> bool:
    """Whether the profile was last saved (or, never saved, created) over `stale_days` ago."""
    since = user.profile_updated_at or user.created_at
    return since is not None and now - since > timedelta(days=stale_days)


def _hidden_kinds(user_id: int, now: datetime) -> set[str]:
    rows = db.session.scalars(
        select(ReminderDismissal.kind).where(
            ReminderDismissal.user_id == user_id, ReminderDismissal.hidden_until > now
        )
    )
    return set(rows)


def reminders_for(user: User) -> list[dict]:
    """The profile reminders to show: {"kind", "missing"}, less those dismissed a while ago.

    An incomplete profile's reminder already sends the learner to the form, so the stale one
    only speaks of a complete profile.
    """
    now = clock.now()
    missing = missing_fields(user)
    due = []
    if missing:
        due.append({"kind": INCOMPLETE, "missing": missing})
    elif is_stale(user, now, current_app.config["PROFILE_STALE_DAYS"]):
        due.append({"kind": STALE, "missing": []})
    if not due:
        return []
    hidden = _hidden_kinds(user.id, now)
    return [reminder for reminder in due if reminder["kind"] not in hidden]


def dismiss_reminder(user_id: int, kind: str) -> datetime:
    """Hide a reminder for REMINDER_SNOOZE_DAYS; returns until when."""
    if kind not in REMINDER_KINDS:
        raise Refusal("not_found", _("没有这种提醒。"), 404)
    until = clock.now() + timedelta(days=current_app.config["REMINDER_SNOOZE_DAYS"])
    query = select(ReminderDismissal).filter_by(user_id=user_id, kind=kind)
    row = db.session.scalars(query).one_or_none()
    if row is None:
        db.session.add(ReminderDismissal(user_id=user_id, kind=kind, hidden_until=until))
        try:
            db.session.commit()
            return until
        except IntegrityError:  # a racing dismissal inserted the row first: update it
            db.session.rollback()
            row = db.session.scalars(query).one()
    row.hidden_until = until
    db.session.commit()
    return until
