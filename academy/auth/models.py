"""Accounts and instructor profiles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.db import CreatedAtMixin, Model


class Role(StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


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
    #: set when an admin disables the account; a disabled account cannot log in
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime)

    instructor_profile: Mapped[InstructorProfile | None] = relationship(back_populates="user")

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.disabled_at is None

    @property
    def display_name(self) -> str:
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
