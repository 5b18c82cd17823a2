"""Accounts and instructor profiles."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.db import CreatedAtMixin, Model


class Role(StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


#: each role as people name it (the admin's list of accounts)
ROLE_NAMES = {Role.LEARNER: _l("学员"), Role.INSTRUCTOR: _l("讲师"), Role.ADMIN: _l("管理员")}


class User(CreatedAtMixin, UserMixin, Model):
    """A person with an account; the role decides what they may do."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.LEARNER)
    nickname: Mapped[str] = mapped_column(String(40), default="")
    real_name: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    birthday: Mapped[date | None] = mapped_column(Date)
    employer: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    #: when the learner last saved the profile form (None: never); the stale reminder counts
    #: from here, or from the account's creation
    profile_updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: set when an admin disables the account; a disabled account cannot log in
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: set when the learner deleted the account (注销): personal information erased, what the
    #: platform must keep (credits, orders, the watch log) kept without it (privacy/services.py)
    erased_at: Mapped[datetime | None] = mapped_column(DateTime)

    instructor_profile: Mapped[InstructorProfile | None] = relationship(back_populates="user")

    #: the login this request came with (set by the user loader; never stored)
    login_token = None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.disabled_at is None

    def get_id(self) -> str | None:
        # Flask-Login keeps this in the session and the remember cookie: a per-login token,
        # not the account id, so that the server can end each login (auth/sessions.py).
        return self.login_token

    @property
    def display_name(self) -> str:
        if self.erased_at is not None:
            return gettext("已注销用户")
        return self.nickname or self.username

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "username": self.username,
            "nickname": self.nickname,
            "role": self.role,
        }


class InstructorProfile(Model):
    """What the course page's instructor tab shows."""

    __tablename__ = "instructor_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    #: e.g. "CFP 持证人，注册会计师"
    certification: Mapped[str] = mapped_column(String(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship(back_populates="instructor_profile")


class LoginSession(CreatedAtMixin, Model):
    """One login of one account, kept on the server so that it can be ended at once."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: sha256 of the token the browser holds (session and remember cookie); never the token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: "remember me" was ticked: the login outlives the browser session
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    #: refreshed at most every few minutes, so that reading it costs no write per request
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    #: set by logout, a password change or an admin disabling the account
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")

    user: Mapped[User] = relationship()


class ReminderDismissal(Model):
    """A site-wide reminder a person dismissed: it stays hidden until `hidden_until`."""

    __tablename__ = "reminder_dismissals"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: "profile_incomplete" or "profile_stale" (auth/profile.py REMINDER_KINDS)
    kind: Mapped[str] = mapped_column(String(30))
    hidden_until: Mapped[datetime] = mapped_column(DateTime)
