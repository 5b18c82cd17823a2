"""Accounts: creating them, checking passwords, changing roles."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from academy.auth.models import InstructorProfile, Role, User
from academy.errors import Refusal
from academy.extensions import db

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_\-.\u4e00-\u9fff]{3,40}$")
MIN_PASSWORD_LENGTH = 8


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_user(username: str) -> User | None:
    """The account with this user name, compared without regard to case."""
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def create_user(username: str, password: str, role: str = Role.LEARNER, **profile) -> User:
    """Create an account after checking the name is valid and free and the password long enough."""
    username = (username or "").strip()
    if not USERNAME_PATTERN.match(username):
        raise Refusal(
            "invalid_username",
            _("用户名须为 3–40 个字符，可用汉字、字母、数字、下划线、连字符或点。"),
            422,
        )
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Refusal("weak_password", _("密码至少需要 %(n)d 个字符。", n=MIN_PASSWORD_LENGTH), 422)
    if role not in set(Role):
        raise Refusal("invalid_role", _("未知的角色：%(role)s", role=role), 422)
    if find_user(username):
        raise Refusal("username_taken", _("用户名“%(name)s”已被使用。", name=username), 409)
    user = User(username=username, password_hash=_hash(password), role=role, **profile)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(username: str, password: str) -> User:
    """The account these credentials open; a refusal never says which half was wrong."""
    user = find_user((username or "").strip())
    if user is None or not check_password_hash(user.password_hash, password or ""):
        raise Refusal("invalid_credentials", _("用户名或密码不正确。"), 401)
    if not user.is_active:
        raise Refusal("account_disabled", _("该账号已停用，请联系管理员。"), 403)
    return user


def set_password(user: User, password: str) -> None:
    """Replace a user's password."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Refusal("weak_password", _("密码至少需要 %(n)d 个字符。", n=MIN_PASSWORD_LENGTH), 422)
    user.password_hash = _hash(password)
    db.session.commit()


def ensure_instructor_profile(user: User) -> InstructorProfile:
    """The instructor's public profile, created from the account the first time it is needed."""
    if user.instructor_profile is None:
        profile = InstructorProfile(user_id=user.id, name=user.real_name or user.display_name)
        db.session.add(profile)
        db.session.commit()
        db.session.refresh(user)
    return user.instructor_profile
