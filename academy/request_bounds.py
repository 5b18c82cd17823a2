"""Bounded input: URL ids, body sizes, form fields and JSON nesting, each refused early with a 4xx.

A value out of bounds gets a page, or under /api/ the JSON error envelope; it never reaches the
database as an OverflowError, a parser as a RecursionError, or the CPU as a 600,000-field form.
Settings (config.py): MAX_CONTENT_LENGTH, UPLOAD_REQUEST_MAX_BYTES, DOCUMENT_MAX_BYTES,
JSON_MAX_BYTES, MAX_FORM_PARTS, MAX_FORM_MEMORY_SIZE, JSON_MAX_DEPTH.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, Map

#: the largest id a URL may name: an INTEGER column's range on PostgreSQL (SQLite's is wider)
MAX_URL_ID = 2**31 - 1
#: endpoints whose body is a file chunk, allowed UPLOAD_REQUEST_MAX_BYTES instead of the default
UPLOAD_ENDPOINTS = frozenset({"api.upload_chunk"})
#: the studio's document form: one PDF of up to DOCUMENT_MAX_BYTES. Its body may be twice that,
#: so a file somewhat over the limit still arrives and is refused beside the form's fields
#: (what was typed stays); only a far larger one gets the bare 413.
DOCUMENT_ENDPOINTS = frozenset({"documents.upload_document"})
#: form posts that carry a whole lecture's text (staff only): up to TEXT_REQUEST_MAX_BYTES
LARGE_TEXT_ENDPOINTS = frozenset({"studio.save_transcript"})
FORM_URLENCODED = "application/x-www-form-urlencoded"
#: what check_json looks into: containers, and text (scalars need no look)
_NESTED = (str, list, dict)


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` matching only ids a database column can hold; a larger one is a plain 404."""

    def __init__(self, map: Map, fixed_digits: int = 0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits, min, MAX_URL_ID if max is None else max, signed)


class InvalidJSON(BadRequest):
    """A JSON body the bounds refuse (too deep, NaN, text no database can store)."""


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: Python accepts them, JSON does not


def check_json(value: Any, max_depth: int) -> None:
    """Refuse a parsed document nested deeper than `max_depth` or holding unencodable text.

    Iterative, so checking depth cannot itself recurse. A lone surrogate ("\\ud800") parses
    into a str that no database driver can encode: it is refused here, not as a 500 there.
    """
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise InvalidJSON(_("请求体含有无效的字符。")) from None
            continue
        if not isinstance(item, list | dict):
            continue  # a number, true, false or null at the top
        if depth > max_depth:
            raise InvalidJSON(_("JSON 嵌套过深（最多 %(n)d 层）。", n=max_depth))
        children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, _NESTED))


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading only bounded documents: see `check_json`; NaN is not a number."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_constant", _no_constant)
        max_depth = self._app.config["JSON_MAX_DEPTH"]
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:  # the parser gave up far deeper than the limit
            raise InvalidJSON(_("JSON 嵌套过深（最多 %(n)d 层）。", n=max_depth)) from None
        check_json(value, max_depth)
        return value


def _bound_body() -> None:
    """Set this request's body limit, and refuse a body over it before anything reads it."""
    config = current_app.config
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = config["UPLOAD_REQUEST_MAX_BYTES"]
    elif request.endpoint in DOCUMENT_ENDPOINTS:
        request.max_content_length = 2 * config["DOCUMENT_MAX_BYTES"]
    elif request.endpoint in LARGE_TEXT_ENDPOINTS:
        request.max_content_length = config["TEXT_REQUEST_MAX_BYTES"]
        request.max_form_memory_size = config["TEXT_REQUEST_MAX_BYTES"]
    elif request.is_json:
        # A megabyte of "[[],[],...]" costs half a second to parse and check; ours are small.
        ordinary = request.max_content_length
        json_limit = config["JSON_MAX_BYTES"]
        request.max_content_length = json_limit if ordinary is None else min(json_limit, ordinary)
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    # Werkzeug counts multipart parts (MAX_FORM_PARTS) but parses urlencoded fields unbounded,
    # and 600,000 of them take over a second: count them in the raw bytes first.
    if request.mimetype == FORM_URLENCODED:
        fields = request.get_data(cache=True).count(b"&") + 1
        if fields > config["MAX_FORM_PARTS"]:
            raise RequestEntityTooLarge()


def init_app(app: Flask) -> None:
    """Install the bounds; call before the extensions, so they run before CSRF reads a form."""
    from academy.errorpages import render_error

    app.url_map.converters["int"] = BoundedIntConverter
    app.json = BoundedJSONProvider(app)
    app.before_request(_bound_body)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):
        return render_error(413, "payload_too_large", _("提交的内容过大。"))

    @app.errorhandler(InvalidJSON)
    def invalid_json(error: InvalidJSON):
        return render_error(400, "invalid_json", error.description)
