"""Accounts: creating them, checking passwords, changing passwords, disabling them."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from academy import clock
from academy.auth import passwords, sessions, throttle
from academy.auth.models import InstructorProfile, Role, User
from academy.errors import Refusal
from academy.extensions import db
from academy.plaintext import has_hidden_characters

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_\-.\u4e00-\u9fff]{3,40}$")


def find_user(username: str) -> User | None:
    """The account with this user name, compared without regard to case."""
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def list_users(role: Role) -> list[User]:
    """The accounts of one role, oldest first (the admin's list)."""
    return list(db.session.scalars(select(User).where(User.role == role).order_by(User.id)))


def count_by_role() -> dict[str, int]:
    """How many accounts each role has; a role without one is absent."""
    rows = db.session.execute(select(User.role, func.count(User.id)).group_by(User.role))
    return {role: count for role, count in rows}


def create_user(username: str, password: str, role: str = Role.LEARNER, **profile) -> User:
    """Create an account after checking the name is valid and free and the password long enough."""
    username = (username or "").strip()
    # trimmed as the profile page trims them: a nickname of spaces is no nickname
    profile = {name: v.strip() if isinstance(v, str) else v for name, v in profile.items()}
    if has_hidden_characters(profile.get("nickname") or ""):
        raise Refusal("invalid_text", _("昵称不能含有控制字符或不可见字符。"), 422)
    if not USERNAME_PATTERN.match(username):
        raise Refusal(
            "invalid_username",
            _("用户名须为 3–40 个字符，可用汉字、字母、数字、下划线、连字符或点。"),
            422,
        )
    passwords.check_strength(password, username, profile.get("nickname", ""))
    if role not in set(Role):
        raise Refusal("invalid_role", _("未知的角色：%(role)s", role=role), 422)
    if find_user(username):
        raise Refusal("username_taken", _("用户名“%(name)s”已被使用。", name=username), 409)
    user = User(
        username=username, password_hash=passwords.hash_password(password), role=role, **profile
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(username: str, password: str, address: str = "") -> User:
    """The account these credentials open; a refusal never says which half was wrong.

    Failed attempts are throttled per account and per address; an unknown name costs the same
    hash as a known one; a hash in an old scheme is upgraded while the password is at hand.
    """
    username = (username or "").strip()
    throttle.check_allowed(username, address)
    user = find_user(username) if len(username) <= 40 else None
    if user is None:
        passwords.spend_a_verification(password or "")
        ok = False
    else:
        ok = passwords.verify(user.password_hash, password or "")
    if not ok:
        throttle.record_failure(username, address)
        raise Refusal("invalid_credentials", _("用户名或密码不正确。"), 401)
    if not user.is_active:
        raise Refusal("account_disabled", _("该账号已停用，请联系管理员。"), 403)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    """Replace a user's password and end every login of the account."""
    passwords.check_strength(password, user.username, user.nickname, user.real_name, user.email)
    user.password_hash = passwords.hash_password(password)
    db.session.commit()
    sessions.end_all_sessions(user.id)


def confirm_password(user: User, password: str, address: str) -> None:
    """The owner proves it is them before a change that matters (throttled like a login)."""
    throttle.check_allowed(user.username, address)
    if not passwords.verify(user.password_hash, password or ""):
        throttle.record_failure(user.username, address)
        raise Refusal("invalid_credentials", _("当前密码不正确。"), 401)


def change_password(user: User, current_password: str, new_password: str, address: str) -> None:
    """The owner changes a password: the current one first."""
    confirm_password(user, current_password, address)
    if new_password == current_password:
        raise Refusal("weak_password", _("新密码不能与当前密码相同。"), 422)
    set_password(user, new_password)


def set_disabled(user: User, disabled: bool) -> User:
    """Disable an account (ending every login at once) or enable it again; an account its
    owner deleted stays as it is."""
    if user.erased_at is not None:
        raise Refusal("account_erased", _("该账号已由本人注销，不能停用或恢复。"), 409)
    user.disabled_at = clock.now() if disabled else None
    db.session.commit()
    if disabled:
        sessions.end_all_sessions(user.id)
    return user


def ensure_instructor_profile(user: User) -> InstructorProfile:
    """The instructor's public profile, created from the account the first time it is needed."""
    if user.instructor_profile is None:
        profile = InstructorProfile(user_id=user.id, name=user.real_name or user.display_name)
        db.session.add(profile)
        db.session.commit()
        db.session.refresh(user)
    return user.instructor_profile


def lock_account(user_id: int) -> None:
    """Hold the account's row until the caller's transaction ends, so that requests which must
    not interleave for one account (starting a watch session) queue here, not race. On SQLite
    it is a plain read: a writing transaction there holds the whole database already."""
    db.session.execute(select(User.id).where(User.id == user_id).with_for_update())
