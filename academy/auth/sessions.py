"""Server-side logins: each has a row, so logout, a password change or disabling ends it at once.

The browser's session cookie and remember cookie carry only a random per-login token (Flask-Login
stores `User.get_id()`, which is that token); the database keeps its sha256.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, request, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from academy import clock
from academy.auth.models import LoginSession, User
from academy.extensions import db

#: how stale last_seen_at may get before a request refreshes it (one write per few minutes)
LAST_SEEN_GRANULARITY = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User, *, remember: bool, ip: str = "", user_agent: str = "") -> str:
    """Record a new login and return its token (set on `user` for Flask-Login)."""
    now = clock.now()
    lifetime = (
        current_app.config["REMEMBER_COOKIE_DURATION"]
        if remember
        else timedelta(hours=current_app.config["LOGIN_SESSION_HOURS"])
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(
            user_id=user.id,
            token_hash=_digest(token),
            remember=remember,
            expires_at=now + lifetime,
            last_seen_at=now,
            ip=ip[:45],
            user_agent=user_agent[:255],
        )
    )
    db.session.commit()
    user.login_token = token
    return token


#: every request asks this, so it is built once, and the account comes in the same query
_OPEN_LOGIN = (
    select(LoginSession)
    .where(
        LoginSession.token_hash == bindparam("token_hash"),
        LoginSession.revoked_at.is_(None),
        LoginSession.expires_at > bindparam("now"),
    )
    .options(joinedload(LoginSession.user, innerjoin=True))
)


def user_for_token(token: str) -> User | None:
    """The active account this token's login belongs to, or None if it ended or expired."""
    if not token or len(token) > 100:
        return None
    now = clock.now()
    row = db.session.scalar(_OPEN_LOGIN, {"token_hash": _digest(token), "now": now})
    if row is None or not row.user.is_active:
        return None
    if now - row.last_seen_at > LAST_SEEN_GRANULARITY:
        row.last_seen_at = now
        db.session.commit()
    row.user.login_token = token
    return row.user


def end_session(token: str | None) -> None:
    """End one login (logout)."""
    if token:
        _revoke(LoginSession.token_hash == _digest(token))


def end_all_sessions(user_id: int) -> int:
    """End every login of an account; returns how many were open."""
    return _revoke(LoginSession.user_id == user_id)


def sessions_of(user_id: int) -> list[LoginSession]:
    """Every login of an account, ended ones too, oldest first (its owner's personal data)."""
    return list(
        db.session.scalars(
            select(LoginSession).where(LoginSession.user_id == user_id).order_by(LoginSession.id)
        )
    )


def forget_addresses(user_id: int) -> None:
    """Blank the addresses and browsers of every login of an account (its deletion); in the
    caller's transaction."""
    db.session.execute(
        update(LoginSession).where(LoginSession.user_id == user_id).values(ip="", user_agent="")
    )


def _revoke(condition) -> int:
    result = db.session.execute(
        update(LoginSession)
        .where(condition, LoginSession.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
    db.session.commit()
    return result.rowcount


def open_sessions(user_id: int) -> list[LoginSession]:
    """An account's logins that are still open, newest first."""
    return list(
        db.session.scalars(
            select(LoginSession)
            .where(
                LoginSession.user_id == user_id,
                LoginSession.revoked_at.is_(None),
                LoginSession.expires_at > clock.now(),
            )
            .order_by(LoginSession.id.desc())
        )
    )


def log_in(user: User, *, remember: bool = False) -> None:
    """Start a login for this request: a fresh session (new CSRF token), a new server record."""
    language = session.get("lang")
    session.clear()  # nothing set before login survives it, the CSRF token included
    if language:
        session["lang"] = language
    open_session(
        user,
        remember=remember,
        ip=request.remote_addr or "",
        user_agent=request.headers.get("User-Agent", ""),
    )
    login_user(user, remember=remember)


def log_out() -> None:
    """End this request's login on the server and in the browser."""
    end_session(getattr(current_user, "login_token", None))
    logout_user()
