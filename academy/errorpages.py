"""Error pages in the reader's language, and JSON errors for the API.

A database that does not answer (stopped, restarting, its connections cut) is a 503 with
Retry-After, not a 500: the transaction is rolled back, so nothing of the request is half
written, and the engine's pre-ping replaces the dead connections once it is back, so the site
recovers without a restart (docs/operations.md).
"""

from __future__ import annotations

import contextlib
import math
import time

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, SecurityError

from academy.api import error_response
from academy.extensions import db, limiter, login_manager

#: seconds a client is told to wait when the database does not answer: about what a restart
#: or a failover to a standby takes
DATABASE_RETRY_AFTER = 30


def _messages() -> dict[int, str]:
    return {
        400: _("请求有误。"),
        403: _("您没有权限访问此页面。"),
        404: _("页面不存在。"),
        405: _("不支持该请求方法。"),
        413: _("上传的内容过大。"),
        429: _("操作太频繁，请稍后再试。"),
        500: _("服务器出错了，请稍后再试。"),
    }


def render_error(status: int, code: str, message: str):
    """An error as the envelope under /api/, else as a page in the reader's language."""
    if request.path.startswith("/api/"):
        return error_response(code, message, status)
    return render_template("errors/error.html", status=status, message=message), status


def database_unreachable(error: BaseException | None) -> bool:
    """Whether an error is the database not answering, rather than a fault in one query."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def database_unavailable(error: BaseException):
    """503 for a database that does not answer: roll back, say so, say when to try again."""
    detail = str(getattr(error, "orig", None) or error).strip()
    current_app.logger.warning(
        "database unreachable: %s", detail.splitlines()[0] if detail else type(error).__name__
    )
    with contextlib.suppress(SQLAlchemyError):  # the connection is gone; the pool replaces it
        db.session.rollback()
    # The page is drawn as for a visitor: the header would read the logged-in user (and their
    # unread messages) from the database that just failed.
    login_manager._update_request_context_with_user()
    message = _("数据库暂时无法连接，网站暂停服务。请稍后再试，您的操作没有被保存。")
    if request.path.startswith("/api/"):
        response, status = error_response(
            "database_unavailable", message, 503, retry_after=DATABASE_RETRY_AFTER
        )
    else:
        page = render_template("errors/error.html", status=503, message=message)
        response, status = current_app.make_response(page), 503
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response, status


#: form fields never shown back: the token, and anything secret
_NOT_SHOWN_BACK = ("csrf_token", "password", "confirm")


def _throttled_form(message: str):
    """A form sent over a rate limit: the page says when to try again and shows back what was
    typed (read-only, to copy), so that nothing written is lost."""
    kept = [
        value
        for name, value in request.form.items(multi=True)
        if value.strip() and not any(secret in name for secret in _NOT_SHOWN_BACK)
    ]
    limit = limiter.current_limit
    wait = max(1, math.ceil(limit.reset_at - time.time())) if limit is not None else None
    page = render_template("errors/error.html", status=429, message=message, kept=kept, wait=wait)
    return page, 429


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        # CSRF is checked before any view: an API client that is not logged in is told that,
        # the one thing it can act on (it has no token because it has no login)
        if request.blueprint == "api" and not current_user.is_authenticated:
            return login_manager.unauthorized()
        return render_error(
            400, "csrf_failed", _("安全校验失败（缺少或无效的 CSRF 令牌），请刷新页面后重试。")
        )

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        # The Host is not one of TRUSTED_HOSTS: no URL can be built for this request, so no
        # page either; a plain answer, in both languages.
        body = "400 Bad Request: 请求的主机名不受信任 (host not trusted)\n"
        return current_app.response_class(body, 400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        message = _messages().get(status, error.description or "")
        if status == 429 and request.method == "POST" and not request.path.startswith("/api/"):
            return _throttled_form(message)
        return render_error(status, (error.name or "error").lower().replace(" ", "_"), message)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_error(error: DBAPIError):
        return database_unavailable(error)

    @app.errorhandler(500)
    def server_error(error):
        # e.g. the database failed in an after-request hook, outside the handlers above
        if database_unreachable(getattr(error, "original_exception", None)):
            return database_unavailable(error.original_exception)
        # the failure may have left the session's transaction broken; the page (its header
        # reads the user and the unread messages) must not fail on it a second time
        db.session.rollback()
        return render_error(500, "server_error", _messages()[500])
