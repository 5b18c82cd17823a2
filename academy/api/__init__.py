"""The JSON API under /api/v1: one module per resource, one error envelope."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from academy.errors import Refusal
from academy.request_bounds import MAX_URL_ID

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def error_response(code: str, message: str, status: int, **extra):
    """The one error shape: {"error": {"code", "message"}} (plus e.g. "retry_after")."""
    return jsonify({"error": {"code": code, "message": message, **extra}}), status


@bp.errorhandler(Refusal)
def _refusal(refusal: Refusal):
    retry_after = getattr(refusal, "retry_after", None)
    if retry_after is None:
        return error_response(refusal.code, refusal.message, refusal.status)
    # throttled: say when, in the body and in the standard header
    response, status = error_response(
        refusal.code, refusal.message, refusal.status, retry_after=retry_after
    )
    response.headers["Retry-After"] = str(retry_after)
    return response, status


def json_body() -> dict:
    """The request's JSON object, or a 400 refusal that says what is wrong."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Refusal("invalid_json", _("请求体须为 JSON 对象。"), 400)
    return data


def field(data: dict, name: str, kind: type | tuple[type, ...], *, required: bool = True):
    """One field of a JSON body, type-checked (bool is not accepted where a number is asked)."""
    if name not in data or data[name] is None:
        if required:
            raise Refusal("missing_field", _("缺少字段：%(name)s", name=name), 422)
        return None
    value = data[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        raise Refusal("invalid_field", _("字段 %(name)s 的类型不正确。", name=name), 422)
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        _out_of_range(name)  # wider than any database column: never an OverflowError later
    return value


def number_field(data: dict, name: str, low: float, high: float, kind=(int, float), **options):
    """A numeric field of a JSON body within [low, high] (NaN and infinities are outside)."""
    value = field(data, name, kind, **options)
    if value is not None and not low <= value <= high:
        _out_of_range(name)
    return value


def id_field(data: dict, name: str, **options) -> int | None:
    """An id in a JSON body: an integer a database id column can hold (as in URLs), else 422."""
    return number_field(data, name, 1, MAX_URL_ID, kind=int, **options)


def _out_of_range(name: str):
    raise Refusal("invalid_field", _("字段 %(name)s 超出范围。", name=name), 422)


from academy.api import (  # noqa: E402,F401  (routes register on bp)
    account,
    admin,
    auth,
    cart,
    consult,
    courses,
    me,
    openapi,
    orders,
    plans,
    profile,
    reviews,
    search,
    studio,
    watch,
)
