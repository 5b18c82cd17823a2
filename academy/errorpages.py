"""Error pages in the reader's language, and JSON errors for the API."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from academy.api import error_response


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


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400, "csrf_failed", _("安全校验失败（缺少或无效的 CSRF 令牌），请刷新页面后重试。")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        message = _messages().get(status, error.description or "")
        return render_error(status, (error.name or "error").lower().replace(" ", "_"), message)

    @app.errorhandler(500)
    def server_error(error):
        return render_error(500, "server_error", _messages()[500])
