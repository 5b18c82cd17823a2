"""The OpenAPI 3.1 description of /api/v1, built here as a dict and served at /api/v1/openapi.json.

tests/api/test_openapi.py keeps it in step with the routes (every rule and method, no path the
app lacks) and fuzzes the app against it with schemathesis. docs/player-protocol.md explains the
protocol in prose; this is the contract a program can check.
"""

from __future__ import annotations

from functools import cache

from flask import jsonify

from academy.api import bp
from academy.api.watch import MAX_ANSWER, MAX_POSITION_SECONDS, MAX_RATE, MAX_SEQ
from academy.auth.profile import REMINDER_KINDS
from academy.auth.profile import REQUIRED as PROFILE_REQUIRED
from academy.request_bounds import MAX_URL_ID

API = "/api/v1"

#: every error code the API answers with: its status (one per code) and what it means
ERROR_CODES: dict[str, tuple[int, str]] = {
    "invalid_json": (
        400,
        "Body is not a JSON object, or nests deeper than JSON_MAX_DEPTH, or holds NaN, "
        "Infinity or text that is not valid Unicode.",
    ),
    "csrf_failed": (400, "Missing or invalid `X-CSRFToken` on a write."),
    "login_required": (401, "No logged-in session."),
    "invalid_credentials": (401, "Unknown user name or wrong password (never says which)."),
    "account_disabled": (403, "The account was disabled by an admin."),
    "not_a_learner": (
        403,
        "Delete an account: instructors' and admins' accounts hold courses and records; "
        "an admin removes them.",
    ),
    "not_confirmed": (422, "Delete an account: `confirm` is not true."),
    "hours_reversed": (
        409,
        "Buy or claim: the learner's hours from this course were reversed by a refund, and a "
        "course's hours are awarded once.",
    ),
    "declaration_locked": (
        409,
        "Declare certificates: a declared one is not taken back while a membership is "
        "current, nor one declared over membership hours earned uncapped in its cycle.",
    ),
    "number_taken": (
        409,
        "Declare certificates: another account declared this number for the type.",
    ),
    "own_review": (409, "Report a review: it is the caller's own (delete it instead)."),
    "nothing_buyable": (
        409,
        "Checkout: no course in the cart can be bought now (withdrawn, made free, owned).",
    ),
    "forbidden": (403, "Studio: the course is not the caller's."),
    "admin_required": (403, "Admin: the caller is not an admin."),
    "purchase_required": (403, "Enrol: a paid course."),
    "not_enrolled": (
        403,
        "Start watch or post a review: not enrolled in the lesson's or review's course.",
    ),
    "not_your_session": (403, "The watch session belongs to another account."),
    "not_your_upload": (403, "The upload belongs to another account."),
    "not_found": (
        404,
        "No such course or lesson (or unpublished), order of this learner, plan on sale or "
        "course in this learner's cart, or an id out of range.",
    ),
    "session_not_found": (404, "No watch session with that id."),
    "popup_not_found": (404, "No such popup for this learner and this session's lesson."),
    "upload_not_found": (404, "No upload with that id."),
    "session_ended": (409, "The watch session was replaced by a newer start."),
    "stale_seq": (409, "`seq` not above the last accepted one (replay, duplicate, lost race)."),
    "conflict": (409, "Verified progress changed concurrently; reload."),
    "popup_already_confirmed": (409, "The popup was confirmed already."),
    "popup_not_issued": (409, "The popup has not been issued to this session."),
    "job_running": (409, "A pipeline job of the lesson is queued or running."),
    "nothing_to_retry": (409, "No failed job to retry."),
    "no_media": (409, "The lesson has no media yet."),
    "no_transcript": (409, "The lesson has no transcript to derive from."),
    "derivations_stale": (
        409,
        "Publish: the transcript was corrected after its keywords, summary, chapters and "
        "questions were derived; regenerate, or send `confirm_stale: true` to publish them as "
        "they are.",
    ),
    "held_for_correction": (
        409,
        "Publish: the transcript is held for correction (nothing heard, another language than "
        "the course's, or more low-confidence speech than TRANSCRIPT_MAX_LOW_CONFIDENCE_SHARE); "
        "send `confirm_low_confidence: true` to publish it anyway.",
    ),
    "upload_closed": (409, "The upload is complete or was refused."),
    "offset_mismatch": (409, "`offset` is not where the upload stands; resume from `received`."),
    "payload_too_large": (413, "Body over MAX_CONTENT_LENGTH, or a form with too many fields."),
    "too_large": (413, "Declared file size over UPLOAD_MAX_BYTES."),
    "missing_field": (422, "A required field is absent or null."),
    "invalid_field": (422, "A field has the wrong type or is out of range."),
    "weak_password": (422, "The new password is too short, too long or too easy to guess."),
    "unknown_credit_type": (422, "Certificates: a `type` that is no credit type's code."),
    "duplicate_credit_type": (422, "Certificates: the same `type` twice."),
    "invalid_number": (422, "Certificates: `number` empty or too long."),
    "invalid_date": (
        422,
        "Certificates: `obtained_on` not YYYY-MM-DD, in the future or before 1990.",
    ),
    "unsupported_type": (422, "The file name's extension is not a media type we take."),
    "empty_file": (422, "Declared size is 0 or less."),
    "invalid_offset": (422, "`offset` is missing or negative."),
    "too_much_data": (422, "More bytes than the declared size."),
    "not_media": (422, "The finished upload is not decodable audio or video."),
    "media_too_long": (422, "The finished upload is longer than MEDIA_MAX_HOURS."),
    "implausible_duration": (422, "The file claims a duration its size cannot hold."),
    "too_many_attempts": (429, "Too many failed logins; `retry_after` says when to try again."),
    "too_many_beats": (429, "More beats than BEATS_PER_SECOND_MAX; not counted, not logged."),
    # commerce (docs/commerce-api.md)
    "membership_required": (403, "Claim: no current VIP membership."),
    "not_claimable": (403, "Claim: the course is not member-claimable."),
    "already_owned": (409, "The learner already has the course (bought or claimed)."),
    "in_pending_order": (409, "The course is in the learner's order awaiting payment."),
    "free_course": (409, "A free course is enrolled in, not bought or claimed."),
    "order_pending": (409, "An order already awaits payment: pay or cancel it first."),
    "illegal_transition": (409, "The order's status does not allow this move."),
    "order_changed": (409, "The order's status changed concurrently; reload."),
    "order_not_pending": (409, "Pay: the order does not await payment."),
    "order_expired": (409, "Pay: the order's time to pay has passed."),
    "cart_empty": (422, "Checkout: the cart is empty."),
    "cart_full": (422, "The cart holds its maximum of courses."),
    # profile
    "invalid_profile": (
        422,
        "Profile: fields refused; `fields` maps each to its `code` (invalid_email, "
        "invalid_phone, invalid_date, date_in_future, date_too_early, too_long) and `message`. "
        "Nothing was saved.",
    ),
    "too_many_requests": (
        429,
        "Over a per-account limit: COMMERCE_WRITE_LIMIT (cart, orders, claims), "
        "WATCH_START_LIMIT (starting lessons), COMMENT_LIMIT (posting reviews) or "
        "CONSULT_LIMIT (asking and replying in consultations). "
        "Retry-After says when.",
    ),
    # reviews
    "empty_text": (422, "Review, question or reply: `text` is empty once trimmed."),
    "too_long": (
        422,
        "`text` is over 150 characters (review) or 500 (question or reply), in characters.",
    ),
    "invalid_text": (422, "Review, question or reply: `text` holds control characters."),
    "invalid_rating": (422, "Review: `rating` is not 1-5."),
    # consultations (课程咨询)
    "thread_closed": (409, "The consultation is closed: no more replies, closed already."),
    # faults (docs/operations.md)
    "database_unavailable": (
        503,
        "The database does not answer (stopped, restarting); nothing of the request was "
        "written. Retry-After and `retry_after` say when to try again.",
    ),
    "storage_full": (
        507,
        "The server's disk is full: the upload was refused and nothing of it kept; upload it "
        "anew later.",
    ),
}

# Codes every operation of a kind can answer with
#: every operation but this document reads the database, which may not answer
ANY = ("database_unavailable",)
READ = ()
LOGIN = ("login_required",)
WRITE = ("csrf_failed", "payload_too_large", "login_required")
JSON_BODY = ("invalid_json", "missing_field", "invalid_field")
BY_ID = ("not_found",)  # any id in the path: missing, or beyond the database's range
SESSION_ERRORS = ("not_your_session", "session_not_found", "session_ended")
UPLOAD_ERRORS = ("upload_not_found", "not_your_upload")
#: cart, order and claim writes: the per-account limit, and what stops buying a course
COMMERCE_WRITE = (*WRITE, "too_many_requests")
NOT_BUYABLE = ("already_owned", "in_pending_order", "free_course", "hours_reversed")
#: what posting a review can be refused for, beyond a write's and a JSON body's refusals
REVIEW_REFUSALS = ("not_enrolled", "empty_text", "too_long", "invalid_text", "invalid_rating")
#: what asking or replying in a consultation can be refused for, beyond a write's and a body's
CONSULT_REFUSALS = ("empty_text", "too_long", "invalid_text", "too_many_requests")

STR = {"type": "string"}
NUM = {"type": "number"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}

#: a stretch of a credit cycle in /me/credits: dates inclusive, hours earned against required
_CYCLE_SPAN = {
    "start": {"type": "string", "format": "date"},
    "end": {"type": "string", "format": "date"},
    "earned": NUM,
    "required": NUM,
    "met": BOOL,
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(name: str) -> dict:
    return {"anyOf": [_ref(name), {"type": "null"}]}


def _object(properties: dict, required: tuple[str, ...] | None = None, **extra) -> dict:
    """An object schema; every property is required unless `required` names fewer."""
    listed = list(properties) if required is None else list(required)
    return {"type": "object", "properties": properties, "required": listed, **extra}


def _error_response(status: int, codes: list[str]) -> dict:
    meanings = "; ".join(f"`{code}`: {ERROR_CODES[code][1]}" for code in codes)
    error = _object(
        {
            "code": {"enum": codes},
            "message": {"type": "string", "description": "For people, in the request's locale."},
            "retry_after": {
                "type": "integer",
                "minimum": 1,
                "description": "Seconds (429, 503).",
            },
        },
        required=("code", "message"),
    )
    response = {
        "description": meanings,
        "content": {"application/json": {"schema": _object({"error": error})}},
    }
    if "too_many_attempts" in codes or "database_unavailable" in codes:
        response["headers"] = {
            "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
        }
    return response


def _responses(ok: dict, *groups: tuple[str, ...]) -> dict:
    """The success responses plus one error response per status of the codes in `groups`
    (and of the database not answering, which any operation may meet)."""
    by_status: dict[int, list[str]] = {}
    for code in dict.fromkeys(code for group in (*groups, ANY) for code in group):
        by_status.setdefault(ERROR_CODES[code][0], []).append(code)
    return {
        **ok,
        **{str(status): _error_response(status, codes) for status, codes in by_status.items()},
    }


def _ok(schema: str | dict, status: int = 200, description: str = "OK") -> dict:
    body = _ref(schema) if isinstance(schema, str) else schema
    return {
        str(status): {"description": description, "content": {"application/json": {"schema": body}}}
    }


def _json_body(schema: dict, *, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def _id(name: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_URL_ID},
    }


def _token(name: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string", "minLength": 1},
    }


def _op(summary: str, responses: dict, *, auth: str = "", **extra) -> dict:
    """One operation; `auth` is '' (public), 'login' (session cookie) or 'write' (and CSRF)."""
    security = {"": [], "login": [{"session": []}], "write": [{"session": [], "csrf": []}]}[auth]
    return {"summary": summary, "security": security, "responses": responses, **extra}


def _with_field_errors(responses: dict) -> dict:
    """Add the per-field `fields` object of `invalid_profile` to the 422 error's schema."""
    error = responses["422"]["content"]["application/json"]["schema"]["properties"]["error"]
    error["properties"]["fields"] = {
        "type": "object",
        "additionalProperties": _object({"code": STR, "message": STR}),
    }
    return responses


def _paths() -> dict:
    return {
        "/auth/login": {
            "post": _op(
                "Log in: sets the session cookie, returns the user and a CSRF token.",
                _responses(
                    _ok("Login"),
                    JSON_BODY,
                    ("invalid_credentials", "account_disabled", "too_many_attempts"),
                    ("payload_too_large",),
                ),
                requestBody=_json_body(
                    _object(
                        {
                            "username": {"type": "string"},
                            "password": {"type": "string"},
                            "remember": {"type": "boolean", "description": "A 14-day login."},
                        },
                        required=("username", "password"),
                    )
                ),
                description="CSRF-exempt: the token is what this call hands out.",
            )
        },
        "/auth/logout": {
            "post": _op("End this login.", _responses(_ok("Ok"), WRITE), auth="write")
        },
        "/auth/me": {
            "get": _op(
                "The logged-in user and the CSRF token.",
                _responses(_ok("Login"), LOGIN),
                auth="login",
            )
        },
        "/auth/password": {
            "post": _op(
                "Change the password; every other login of the account ends.",
                _responses(
                    _ok(_object({"ok": {"const": True}, "csrf_token": {"type": "string"}})),
                    WRITE,
                    JSON_BODY,
                    ("invalid_credentials", "weak_password", "too_many_attempts"),
                ),
                auth="write",
                requestBody=_json_body(
                    _object(
                        {"current_password": {"type": "string"}, "new_password": {"type": "string"}}
                    )
                ),
            )
        },
        "/courses": {
            "get": _op(
                "Published courses, newest first.",
                _responses(_ok(_object({"courses": {"type": "array", "items": _ref("Course")}}))),
            )
        },
        "/courses/{course_id}": {
            "get": _op(
                "One published course.",
                _responses(_ok(_object({"course": _ref("Course")})), BY_ID),
                parameters=[_id("course_id")],
            )
        },
        "/courses/{course_id}/enroll": {
            "post": _op(
                "Enrol in a free course: 201 when new, 200 when enrolled already. No body.",
                _responses(
                    {**_ok("Enrollment", 201, "Enrolled"), **_ok("Enrollment")},
                    WRITE,
                    BY_ID,
                    ("purchase_required",),
                ),
                auth="write",
                parameters=[_id("course_id")],
            )
        },
        "/courses/{course_id}/claim": {
            "post": _op(
                "A current member claims a member-claimable course. No body.",
                _responses(
                    _ok(
                        _object(
                            {
                                "enrollment": _object(
                                    {"course_id": INT, "source": STR, "membership_id": INT}
                                )
                            }
                        ),
                        201,
                        "Claimed",
                    ),
                    COMMERCE_WRITE,
                    BY_ID,
                    ("membership_required", "not_claimable", *NOT_BUYABLE),
                ),
                auth="write",
                parameters=[_id("course_id")],
            )
        },
        "/courses/{course_id}/reviews": {
            "get": _op(
                "A course's reviews, newest first, a page at a time, with its rating.",
                _responses(_ok("Reviews"), BY_ID),
                parameters=[
                    _id("course_id"),
                    {
                        "name": "page",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1},
                        "description": "1 by default; past the last page is the last page.",
                    },
                ],
            ),
            "post": _op(
                "An enrolled learner reviews the course: a comment, optionally 1-5 stars.",
                _responses(
                    _ok(_object({"review": _ref("Review")}), 201, "Posted"),
                    WRITE,
                    JSON_BODY,
                    BY_ID,
                    (*REVIEW_REFUSALS, "too_many_requests"),
                ),
                auth="write",
                parameters=[_id("course_id")],
                requestBody=_json_body(
                    _object(
                        {
                            "text": {"type": "string", "maxLength": 150},
                            "rating": {"type": "integer", "minimum": 1, "maximum": 5},
                        },
                        required=("text",),
                    )
                ),
            ),
        },
        "/courses/{course_id}/questions": {
            "post": _op(
                "A logged-in learner asks the course's instructor a question (no purchase "
                "needed): a new open consultation.",
                _responses(
                    _ok(_object({"thread": _ref("Thread")}), 201, "Asked"),
                    WRITE,
                    JSON_BODY,
                    BY_ID,
                    CONSULT_REFUSALS,
                ),
                auth="write",
                parameters=[_id("course_id")],
                requestBody=_json_body(
                    _object({"text": {"type": "string", "maxLength": 500}}, required=("text",))
                ),
            )
        },
        "/me/messages": {
            "get": _op(
                "The learner's consultations, the most recently active first, with the "
                "replies they have not read.",
                _responses(
                    _ok(
                        _object(
                            {
                                "threads": {"type": "array", "items": _ref("Thread")},
                                "unread": {
                                    "type": "integer",
                                    "description": "Unread replies across all threads.",
                                },
                            }
                        )
                    ),
                    LOGIN,
                ),
                auth="login",
            )
        },
        "/me/messages/{thread_id}/replies": {
            "post": _op(
                "The learner replies in their own open consultation (anyone else's is 404).",
                _responses(
                    _ok(_object({"thread": _ref("Thread")}), 201, "Replied"),
                    WRITE,
                    JSON_BODY,
                    BY_ID,
                    (*CONSULT_REFUSALS, "thread_closed"),
                ),
                auth="write",
                parameters=[_id("thread_id")],
                requestBody=_json_body(
                    _object({"text": {"type": "string", "maxLength": 500}}, required=("text",))
                ),
            )
        },
        "/me/messages/{thread_id}/close": {
            "post": _op(
                "The learner closes their consultation: it takes no more replies. No body.",
                _responses(
                    _ok(_object({"thread": _ref("Thread")}), 200, "Closed"),
                    WRITE,
                    BY_ID,
                    ("thread_closed",),
                ),
                auth="write",
                parameters=[_id("thread_id")],
            )
        },
        "/me/messages/{thread_id}/read": {
            "post": _op(
                "The learner has read every reply of the consultation so far. No body.",
                _responses(_ok(_object({"thread": _ref("Thread")})), WRITE, BY_ID),
                auth="write",
                parameters=[_id("thread_id")],
            )
        },
        "/reviews/{review_id}": {
            "delete": _op(
                "Delete one's own review (anyone else's is 404).",
                _responses({"204": {"description": "Deleted"}}, WRITE, BY_ID),
                auth="write",
                parameters=[_id("review_id")],
            )
        },
        "/reviews/{review_id}/report": {
            "post": _op(
                "Report a review to the admins: 201 when new, 200 when reported already. No body.",
                _responses(
                    {
                        **_ok("ReviewReport", 201, "Reported"),
                        **_ok("ReviewReport", 200, "Reported already"),
                    },
                    WRITE,
                    BY_ID,
                    ("own_review",),
                ),
                auth="write",
                parameters=[_id("review_id")],
            )
        },
        "/cart": {
            "get": _op(
                "The learner's cart at today's prices; `total_fen` counts the courses that can "
                "still be bought.",
                _responses(
                    _ok(
                        _object(
                            {
                                "items": {"type": "array", "items": _ref("CartItem")},
                                "total_fen": INT,
                                "discount_percent": {
                                    "type": "integer",
                                    "description": "A current membership's course discount.",
                                },
                                "checkout_total_fen": {
                                    "type": "integer",
                                    "description": "What checkout would charge now: the "
                                    "available courses at the member price.",
                                },
                            }
                        )
                    ),
                    LOGIN,
                ),
                auth="login",
            )
        },
        "/cart/items": {
            "post": _op(
                "Put a course in the cart: 201 when new, 200 when it is there already.",
                _responses(
                    {
                        **_ok(_object({"item": _ref("CartItem"), "created": BOOL}), 201, "Added"),
                        **_ok(_object({"item": _ref("CartItem"), "created": BOOL})),
                    },
                    COMMERCE_WRITE,
                    JSON_BODY,
                    BY_ID,
                    (*NOT_BUYABLE, "cart_full"),
                ),
                auth="write",
                requestBody=_json_body(_object({"course_id": INT})),
            )
        },
        "/cart/items/{course_id}": {
            "delete": _op(
                "Take a course out of the cart (404 when it is not in this learner's cart).",
                _responses({"204": {"description": "Removed"}}, COMMERCE_WRITE, BY_ID),
                auth="write",
                parameters=[_id("course_id")],
            )
        },
        "/orders": {
            "get": _op(
                "The learner's orders, newest first.",
                _responses(
                    _ok(_object({"orders": {"type": "array", "items": _ref("Order")}})), LOGIN
                ),
                auth="login",
            ),
            "post": _op(
                "Check out the cart (`from_cart: true`) or buy a plan (`plan_id`): exactly one. "
                "Checkout orders the courses that can still be bought; the others stay in the "
                "cart (`available: false`).",
                _responses(
                    _ok(_object({"order": _ref("Order")}), 201, "Awaiting payment"),
                    COMMERCE_WRITE,
                    JSON_BODY,
                    BY_ID,
                    ("cart_empty", "order_pending", "nothing_buyable"),
                ),
                auth="write",
                requestBody=_json_body(_object({"from_cart": BOOL, "plan_id": INT}, required=())),
            ),
        },
        "/orders/{order_id}": {
            "get": _op(
                "One of the learner's orders (another learner's is 404).",
                _responses(_ok(_object({"order": _ref("Order")})), LOGIN, BY_ID),
                auth="login",
                parameters=[_id("order_id")],
            )
        },
        "/orders/{order_id}/cancel": {
            "post": _op(
                "Cancel an order awaiting payment. No body.",
                _responses(
                    _ok(_object({"order": _ref("Order")})),
                    COMMERCE_WRITE,
                    BY_ID,
                    ("illegal_transition", "order_changed"),
                ),
                auth="write",
                parameters=[_id("order_id")],
            )
        },
        "/orders/{order_id}/pay": {
            "post": _op(
                "The payment provider's URL to send the payer to. No body.",
                _responses(
                    _ok(_object({"payment_url": STR})),
                    COMMERCE_WRITE,
                    BY_ID,
                    ("order_not_pending", "order_expired"),
                ),
                auth="write",
                parameters=[_id("order_id")],
            )
        },
        "/plans": {
            "get": _op(
                "The VIP plans on sale.",
                _responses(_ok(_object({"plans": {"type": "array", "items": _ref("Plan")}}))),
            )
        },
        "/lessons/{lesson_id}/watch": {
            "post": _op(
                "Start a watch session (ends the account's others). No body.",
                _responses(
                    _ok("WatchStart", 201, "Started"),
                    WRITE,
                    BY_ID,
                    ("not_enrolled", "no_media", "too_many_requests"),
                ),
                auth="write",
                parameters=[_id("lesson_id")],
            )
        },
        "/watch/{token}/beat": {
            "post": _op(
                "Report the player's state; the server decides what it credits.",
                _responses(
                    _ok("BeatReply"),
                    WRITE,
                    JSON_BODY,
                    BY_ID,
                    SESSION_ERRORS,
                    ("stale_seq", "conflict", "too_many_beats"),
                ),
                auth="write",
                parameters=[_token("token")],
                requestBody=_json_body(
                    _object(
                        {
                            "seq": {"type": "integer", "minimum": 1, "maximum": MAX_SEQ},
                            "position": {
                                "type": "number",
                                "minimum": 0,
                                "maximum": MAX_POSITION_SECONDS,
                            },
                            "rate": {"type": "number", "minimum": 0, "maximum": MAX_RATE},
                            "hidden": {"type": "boolean"},
                        },
                        required=("seq", "position", "rate"),
                    )
                ),
            )
        },
        "/watch/{token}/popups/{popup_id}": {
            "post": _op(
                "Confirm an issued popup; a question popup needs `answer`.",
                _responses(
                    _ok(
                        {
                            "allOf": [
                                _ref("BeatReply"),
                                _object({"confirmed": {"type": "boolean"}, "explanation": STR}),
                            ]
                        }
                    ),
                    WRITE,
                    ("invalid_json", "invalid_field"),
                    BY_ID,
                    SESSION_ERRORS,
                    ("popup_not_found", "popup_already_confirmed", "popup_not_issued"),
                ),
                auth="write",
                parameters=[_token("token"), _token("popup_id")],
                requestBody=_json_body(
                    _object(
                        {"answer": {"type": "integer", "minimum": 0, "maximum": MAX_ANSWER}},
                        required=(),
                    ),
                    required=False,
                ),
            )
        },
        "/me/progress": {
            "get": _op(
                "Verified progress of every lesson the learner started.",
                _responses(_ok("Progress"), LOGIN),
                auth="login",
            )
        },
        "/me/credits": {
            "get": _op(
                "The learner's credit ledger and totals per credit type.",
                _responses(_ok("Credits"), LOGIN),
                auth="login",
            )
        },
        "/me/profile": {
            "get": _op(
                "The learner's profile and which fields a complete one still lacks.",
                _responses(_ok("Profile"), LOGIN),
                auth="login",
            ),
            "put": _op(
                "Save profile fields: an absent field is unchanged, an empty string or null "
                "clears it. Saving marks the profile as checked.",
                _with_field_errors(
                    _responses(
                        _ok("Profile"),
                        WRITE,
                        ("invalid_json", "invalid_field", "invalid_profile"),
                    )
                ),
                auth="write",
                requestBody=_json_body(
                    _object(
                        {
                            name: {"type": ["string", "null"]}
                            for name in ("nickname", "real_name", "employer", "email", "phone")
                        }
                        | {
                            "birthday": {
                                "type": ["string", "null"],
                                "description": "YYYY-MM-DD, from 1900-01-01 to today.",
                            }
                        },
                        required=(),
                    )
                ),
            ),
        },
        "/me/account/export": {
            "get": _op(
                "Everything the platform holds about the logged-in person (个人信息保护法 "
                "Article 45), as the page /me/account/export gives it.",
                _responses(_ok("PersonalData"), LOGIN),
                auth="login",
            )
        },
        "/me/account/delete": {
            "post": _op(
                "Delete the account (注销, Article 47): personal information is erased, "
                "every login ends, and no password opens it again. Hours, orders and the "
                "watch log stay under the account's number (docs/security.md).",
                _responses(
                    _ok(_object({"ok": {"const": True}})),
                    WRITE,
                    JSON_BODY,
                    ("invalid_credentials", "too_many_attempts", "not_a_learner", "not_confirmed"),
                ),
                auth="write",
                requestBody=_json_body(
                    _object(
                        {
                            "password": STR,
                            "confirm": {
                                "const": True,
                                "description": "The caller understood it cannot be undone.",
                            },
                        }
                    )
                ),
            )
        },
        "/me/reminders": {
            "get": _op(
                "Profile reminders due now (not dismissed within REMINDER_SNOOZE_DAYS).",
                _responses(_ok("Reminders"), LOGIN),
                auth="login",
            )
        },
        "/me/reminders/{kind}/dismiss": {
            "post": _op(
                "Hide a reminder for REMINDER_SNOOZE_DAYS days.",
                _responses(_ok("ReminderDismissed"), WRITE, BY_ID),
                auth="write",
                parameters=[
                    {
                        "name": "kind",
                        "in": "path",
                        "required": True,
                        "schema": {"enum": list(REMINDER_KINDS)},
                    }
                ],
            )
        },
        "/me/certificates": {
            "get": _op(
                "The certificates the learner declared (they decide how awards are counted).",
                _responses(_ok("Certificates"), LOGIN),
                auth="login",
            ),
            "put": _op(
                "Replace the declared certificates with these.",
                _responses(
                    _ok("Certificates"),
                    WRITE,
                    JSON_BODY,
                    ("unknown_credit_type", "duplicate_credit_type", "invalid_number"),
                    ("invalid_date", "conflict", "number_taken", "declaration_locked"),
                ),
                auth="write",
                requestBody=_json_body(
                    _object(
                        {
                            "certificates": {
                                "type": "array",
                                "maxItems": 20,
                                "items": _object(
                                    {
                                        "type": STR,
                                        "number": STR,
                                        "obtained_on": {"type": "string", "format": "date"},
                                    }
                                ),
                            }
                        }
                    )
                ),
            ),
        },
        "/lessons/{lesson_id}/uploads": {
            "post": _op(
                "Studio: open a resumable upload of a lesson's lecture.",
                _responses(
                    _ok("Upload", 201, "Opened"),
                    WRITE,
                    BY_ID,
                    ("forbidden",),
                    JSON_BODY,
                    ("unsupported_type", "job_running", "empty_file", "too_large"),
                    ("storage_full",),
                ),
                auth="write",
                parameters=[_id("lesson_id")],
                requestBody=_json_body(_object({"filename": STR, "size": {"type": "integer"}})),
            )
        },
        "/uploads/{token}": {
            "get": _op(
                "Studio: where an upload stands (resume from `received`).",
                _responses(_ok("Upload"), LOGIN, UPLOAD_ERRORS, BY_ID),
                auth="login",
                parameters=[_token("token")],
            ),
            "put": _op(
                "Studio: one chunk at `offset`; the last one queues the pipeline.",
                _responses(
                    _ok("Upload"),
                    WRITE,
                    UPLOAD_ERRORS,
                    BY_ID,
                    ("invalid_offset", "upload_closed", "offset_mismatch", "too_much_data"),
                    ("not_media", "media_too_long", "implausible_duration"),
                    ("job_running", "no_media"),
                    ("storage_full",),
                ),
                auth="write",
                parameters=[
                    _token("token"),
                    {
                        "name": "offset",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 0},
                    },
                ],
                requestBody={
                    "required": True,
                    "content": {
                        "application/octet-stream": {
                            "schema": {"type": "string", "format": "binary"}
                        }
                    },
                },
                description="Chunks of up to UPLOAD_CHUNK_BYTES; the body may be up to "
                "UPLOAD_REQUEST_MAX_BYTES, not MAX_CONTENT_LENGTH.",
            ),
        },
        "/lessons/{lesson_id}/job": {
            "get": _op(
                "Studio: the lesson's latest pipeline job.",
                _responses(_ok(_object({"job": _nullable("Job")})), LOGIN, BY_ID, ("forbidden",)),
                auth="login",
                parameters=[_id("lesson_id")],
            )
        },
        "/lessons/{lesson_id}/job/retry": {
            "post": _op(
                "Studio: run the lesson's failed job again. No body.",
                _responses(
                    _ok(_object({"job": _ref("Job")}), 201, "Queued"),
                    WRITE,
                    BY_ID,
                    ("forbidden", "nothing_to_retry", "job_running", "no_media", "no_transcript"),
                ),
                auth="write",
                parameters=[_id("lesson_id")],
            )
        },
        "/lessons/{lesson_id}/publish": {
            "post": _op(
                "Studio: publish the lesson's transcript and what was derived from it for "
                "learners. A transcript held for correction needs `confirm_low_confidence`, "
                "derivations made before the transcript's last correction `confirm_stale`; "
                "nothing is published while a job of the lesson is queued or running.",
                _responses(
                    _ok(
                        _object(
                            {
                                "published_at": {"type": "string", "format": "date-time"},
                                "review": _ref("TranscriptReview"),
                            }
                        )
                    ),
                    WRITE,
                    ("invalid_json", "invalid_field"),
                    BY_ID,
                    (
                        "forbidden",
                        "no_transcript",
                        "job_running",
                        "derivations_stale",
                        "held_for_correction",
                    ),
                ),
                auth="write",
                parameters=[_id("lesson_id")],
                requestBody=_json_body(
                    _object({"confirm_low_confidence": BOOL, "confirm_stale": BOOL}, required=()),
                    required=False,
                ),
            )
        },
        **_search_paths(),
        **_admin_paths(),
        "/openapi.json": {
            "get": _op(
                "This document.",
                {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}},
            )
        },
    }


def _personal_data_schema() -> dict:
    """The export of privacy.personal_data: times are ISO 8601 with their zone."""
    time, maybe_time = {"type": "string"}, {"type": ["string", "null"]}
    maybe_str = {"type": ["string", "null"]}

    def listing(item: dict) -> dict:
        return {"type": "array", "items": _object(item)}

    return _object(
        {
            "exported_at": time,
            "account": _object(
                {
                    "username": STR,
                    "role": STR,
                    "created_at": time,
                    "nickname": STR,
                    "real_name": STR,
                    "email": STR,
                    "phone": STR,
                    "birthday": {"type": ["string", "null"], "format": "date"},
                    "employer": STR,
                    "profile_updated_at": maybe_time,
                }
            ),
            "declared_certificates": listing(
                {"credit_type": STR, "number": STR, "obtained_on": {"type": "string"}}
            ),
            "enrolments": listing({"course": STR, "source": STR, "enrolled_at": time}),
            "progress": listing(
                {"course": STR, "lesson": STR, "verified_seconds": NUM, "completed_at": maybe_time}
            ),
            "credit_entries": listing(
                {
                    "credit_type": STR,
                    "hours": NUM,
                    "kind": STR,
                    "course_id": {"type": ["integer", "null"]},
                    "earned_on": maybe_str,
                    "note": maybe_str,
                }
            ),
            "memberships": listing(
                {"plan": STR, "starts_at": time, "ends_at": time, "revoked_at": maybe_time}
            ),
            "certificates": listing(
                {
                    "course_id": INT,
                    "code": STR,
                    "name_printed": STR,
                    "issued_at": time,
                    "revoked_at": maybe_time,
                }
            ),
            "search_history": listing({"query": STR, "searched_at": time}),
            "orders": listing(
                {
                    "number": STR,
                    "status": STR,
                    "total_fen": INT,
                    "created_at": time,
                    "paid_at": maybe_time,
                }
            ),
            "reviews": listing(
                {
                    "course_id": INT,
                    "text": STR,
                    "rating": {"type": ["integer", "null"]},
                    "created_at": time,
                }
            ),
            "questions": listing(
                {
                    "course": STR,
                    "messages": listing({"side": STR, "text": STR, "at": time}),
                }
            ),
            "logins": listing(
                {
                    "created_at": time,
                    "last_seen_at": maybe_time,
                    "ended_at": maybe_time,
                    "ip": maybe_str,
                    "user_agent": maybe_str,
                }
            ),
        }
    )


def _search_paths() -> dict:
    """Search and the user's recent searches (academy/api/search.py)."""
    text_filter = {"in": "query", "required": False, "schema": {"type": "string"}}
    return {
        "/search": {
            "get": _op(
                "Published courses matching every word of `q`, best first, 10 a page. An empty "
                "or punctuation-only `q` finds nothing; only its first 200 characters are used. "
                "A logged-in user's query joins their recent searches.",
                _responses(
                    _ok(
                        _object(
                            {
                                "results": {"type": "array", "items": _ref("SearchResult")},
                                "total": INT,
                            }
                        )
                    )
                ),
                parameters=[
                    {**text_filter, "name": "q"},
                    {**text_filter, "name": "category", "description": "A category's slug."},
                    {**text_filter, "name": "credit_type", "description": "A credit type's code."},
                    {
                        "name": "price",
                        "in": "query",
                        "required": False,
                        "schema": {"enum": ["free", "member"]},
                        "description": "Free courses, or member-claimable ones.",
                    },
                    {
                        "name": "page",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                    },
                ],
            )
        },
        "/me/search-history": {
            "get": _op(
                "The user's last 20 distinct queries, newest first.",
                _responses(_ok("SearchHistory"), LOGIN),
                auth="login",
            ),
            "delete": _op(
                "Forget all of the user's queries.",
                _responses({"204": {"description": "Cleared"}}, WRITE),
                auth="write",
            ),
        },
        "/me/search-history/{entry_id}": {
            "delete": _op(
                "Forget one query (another user's entry is 404).",
                _responses({"204": {"description": "Removed"}}, WRITE, BY_ID),
                auth="write",
                parameters=[_id("entry_id")],
            )
        },
    }


def _admin_paths() -> dict:
    """What admins read by program (academy/api/admin.py)."""
    statement = _object(
        {
            "id": {"type": "string", "format": "uuid"},
            "actor": {"type": "object"},
            "verb": _object({"id": STR, "display": {"type": "object"}}),
            "object": {"type": "object"},
            "result": {"type": "object"},
            "context": {"type": "object"},
            "timestamp": {"type": "string", "format": "date-time"},
            "version": STR,
        },
        required=("id", "actor", "verb", "object", "timestamp", "version"),
        description="An xAPI 1.0.3 statement (docs/xapi.md).",
    )
    return {
        "/admin/learners/{user_id}/statements": {
            "get": _op(
                "Admins: a learner's learning records as xAPI statements, oldest first, as "
                "they are sent to the Learning Record Store (docs/xapi.md).",
                _responses(
                    _ok(
                        _object(
                            {"user_id": INT, "statements": {"type": "array", "items": statement}}
                        )
                    ),
                    LOGIN,
                    ("admin_required",),
                    BY_ID,
                ),
                auth="login",
                parameters=[_id("user_id")],
            )
        },
    }


def _schemas() -> dict:
    hours = {"type": "array", "items": _ref("Hours")}
    return {
        "Hours": _object({"credit_type": STR, "name": STR, "hours": NUM}),
        "SearchResult": _object(
            {
                "kind": {"enum": ["course", "article"]},
                "id": INT,
                "title": STR,
                "snippet": {
                    "type": "string",
                    "description": "HTML: escaped text, the matched words in <mark>.",
                },
                "match": {"enum": ["title", "description", "keywords", "transcript"]},
                "lesson_id": {"type": "integer", "description": "Transcript matches only."},
                "at": {"type": "number", "description": "Seconds into the lesson."},
            },
            required=("kind", "id", "title", "snippet", "match"),
        ),
        "SearchHistory": _object(
            {
                "history": {
                    "type": "array",
                    "items": _object(
                        {
                            "id": INT,
                            "query": STR,
                            "searched_at": {"type": "string", "format": "date-time"},
                        }
                    ),
                }
            }
        ),
        "User": _object(
            {"id": INT, "username": STR, "nickname": STR, "role": STR},
        ),
        "Login": _object({"user": _ref("User"), "csrf_token": STR}),
        "Ok": _object({"ok": {"const": True}}),
        "Course": _object(
            {
                "id": INT,
                "title": STR,
                "category": STR,
                "price": {"type": "string", "description": 'Yuan, e.g. "99.00".'},
                "price_fen": INT,
                "published_on": {
                    "type": ["string", "null"],
                    "format": "date",
                    "description": "null: taken back to draft; shown only to its learners, "
                    "its instructor and admins.",
                },
                "hours": hours,
                "lessons": {
                    "type": "array",
                    "items": _object({"id": INT, "title": STR, "duration": NUM}),
                },
                "member_claimable": BOOL,
                "member_recommended": BOOL,
                "state": {
                    "enum": ["none", "in_cart", "pending_order", "purchased", "claimed", "free"],
                    "description": "Only for a logged-in learner.",
                },
            },
            required=(
                "id",
                "title",
                "category",
                "price",
                "price_fen",
                "published_on",
                "hours",
                "lessons",
                "member_claimable",
                "member_recommended",
            ),
        ),
        "Review": _object(
            {
                "id": INT,
                "user": {"type": "string", "description": "The author's display name."},
                "text": {"type": "string", "description": "As typed; escape it to show it."},
                "rating": {
                    "anyOf": [{"type": "integer", "minimum": 1, "maximum": 5}, {"type": "null"}]
                },
                "created_at": {"type": "string", "format": "date-time"},
                "mine": BOOL,
                "hidden": {
                    "type": "boolean",
                    "description": "Hidden by an admin; only its author still sees it.",
                },
            }
        ),
        "Reviews": _object(
            {
                "reviews": {"type": "array", "items": _ref("Review")},
                "average": {
                    "type": ["number", "null"],
                    "description": "Mean stars of the visible reviews, one decimal.",
                },
                "count": {"type": "integer", "description": "Visible reviews."},
                "page": INT,
                "pages": INT,
            }
        ),
        "Thread": _object(
            {
                "id": INT,
                "course_id": INT,
                "course_title": STR,
                "status": {"enum": ["open", "closed"]},
                "unread": {"type": "integer", "description": "Replies the learner has not read."},
                "messages": {
                    "type": "array",
                    "items": _object(
                        {
                            "id": INT,
                            "from": {"enum": ["learner", "staff"]},
                            "text": {"type": "string", "description": "As typed; escape it."},
                            "created_at": {"type": "string", "format": "date-time"},
                        }
                    ),
                },
            }
        ),
        "ReviewReport": _object({"review_id": INT, "reported": {"const": True}, "created": BOOL}),
        "CartItem": _object(
            {
                "course_id": INT,
                "title": STR,
                "price_fen": INT,
                "available": {
                    "type": "boolean",
                    "description": "False when it can no longer be bought: checkout leaves it "
                    "out and it stays in the cart until removed.",
                },
                "unavailable": {
                    "anyOf": [
                        _object(
                            {
                                "code": {"enum": ["not_found", *NOT_BUYABLE]},
                                "message": STR,
                            }
                        ),
                        {"type": "null"},
                    ],
                    "description": "Why not: `not_found` withdrawn, `free_course` made free, "
                    "`already_owned`, `in_pending_order`, `hours_reversed` (refunded after its "
                    "hours were earned).",
                },
            }
        ),
        "Order": _object(
            {
                "id": INT,
                "number": STR,
                "status": {"enum": ["pending", "paid", "cancelled", "expired", "refunded"]},
                "kind": {"enum": ["courses", "plan"]},
                "total_fen": INT,
                "discount_percent": INT,
                "items": {
                    "type": "array",
                    "items": _object(
                        {
                            "course_id": {"type": ["integer", "null"]},
                            "plan_id": {"type": ["integer", "null"]},
                            "title": STR,
                            "list_price_fen": INT,
                            "price_fen": INT,
                        }
                    ),
                },
                "created_at": {"type": "string", "format": "date-time"},
                "expires_at": {"type": "string", "format": "date-time"},
                "paid_at": {"type": ["string", "null"], "format": "date-time"},
            }
        ),
        "Plan": _object(
            {
                "id": INT,
                "name": STR,
                "price_fen": INT,
                "days": INT,
                "discount_percent": INT,
                "quota_hours": NUM,
            }
        ),
        "Enrollment": _object(
            {
                "enrollment": _object({"course_id": INT, "source": STR}),
                "created": BOOL,
            }
        ),
        "WatchStart": _object(
            {
                "session": STR,
                "duration": NUM,
                "verified": NUM,
                "max_rate": NUM,
                "heartbeat_every": INT,
                "max_lead": NUM,
                "lesson_complete": BOOL,
            }
        ),
        "Popup": _object(
            {
                "id": STR,
                "kind": {"enum": ["confirm", "question"]},
                "prompt": STR,
                "choices": {"type": "array", "items": STR},
            },
            required=("id", "kind", "prompt"),
            # never its time in the lesson, nor its answer
            additionalProperties=False,
        ),
        "BeatReply": _object(
            {
                "verified": NUM,
                "duration": NUM,
                "popup": _nullable("Popup"),
                "lesson_complete": BOOL,
                "course_complete": BOOL,
                "awarded": hours,
                "note": {
                    "enum": [
                        "",
                        "faster_than_real_time",
                        "popup_pending",
                        "ahead_of_verified",
                        "rate_not_allowed",
                        "hidden",
                    ]
                },
            }
        ),
        "Progress": _object(
            {
                "lessons": {
                    "type": "array",
                    "items": _object(
                        {
                            "lesson_id": INT,
                            "course_id": INT,
                            "verified": NUM,
                            "duration": NUM,
                            "complete": BOOL,
                        }
                    ),
                }
            }
        ),
        "Credits": _object(
            {
                "entries": {
                    "type": "array",
                    "items": _object(
                        {
                            "course_id": {"type": ["integer", "null"]},
                            "credit_type": STR,
                            "credit_type_name": STR,
                            "kind": {"enum": ["award", "correction", "reversal"]},
                            "hours": NUM,
                            "awarded_at": {"type": "string", "format": "date-time"},
                            "earned_on": {"type": "string", "format": "date"},
                            "source": {"enum": ["purchase", "membership", "free", "correction"]},
                            "rule": STR,
                            "capped_hours": NUM,
                            "quota_before": {"type": ["number", "null"]},
                            "quota_after": {"type": ["number", "null"]},
                            "why": STR,
                        }
                    ),
                },
                "totals": {"type": "object", "additionalProperties": NUM},
                "cycles": {
                    "type": "array",
                    "items": _object(
                        {
                            "credit_type": STR,
                            **_CYCLE_SPAN,
                            "years": {"type": "array", "items": _object(_CYCLE_SPAN)},
                            "required_courses": _object(_CYCLE_SPAN),
                        }
                    ),
                    "description": "Per credit type, every cycle holding an entry and the "
                    "current one, newest first; `end` is the cycle's last day.",
                },
            },
        ),
        "Profile": _object(
            {
                "username": STR,
                "nickname": STR,
                "real_name": STR,
                "birthday": {"type": ["string", "null"], "format": "date"},
                "employer": STR,
                "email": STR,
                "phone": STR,
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "missing": {"type": "array", "items": {"enum": list(PROFILE_REQUIRED)}},
            }
        ),
        "PersonalData": _personal_data_schema(),
        "Reminders": _object(
            {
                "reminders": {
                    "type": "array",
                    "items": _object(
                        {
                            "kind": {"enum": list(REMINDER_KINDS)},
                            "missing": {"type": "array", "items": {"enum": list(PROFILE_REQUIRED)}},
                        }
                    ),
                }
            }
        ),
        "ReminderDismissed": _object(
            {"kind": {"enum": list(REMINDER_KINDS)}, "hidden_until": {"type": "string"}}
        ),
        "Certificates": _object(
            {
                "certificates": {
                    "type": "array",
                    "items": _object(
                        {
                            "type": STR,
                            "name": STR,
                            "number": STR,
                            "obtained_on": {"type": "string", "format": "date"},
                        }
                    ),
                }
            }
        ),
        "Upload": _object(
            {
                "upload": STR,
                "size": INT,
                "received": INT,
                "status": STR,
                "chunk_size": INT,
                "job": _nullable("Job"),
            },
            required=("upload", "size", "received", "status", "chunk_size"),
        ),
        "Job": _object(
            {
                "id": INT,
                "kind": STR,
                "status": STR,
                "progress": INT,
                "stage": STR,
                "stage_label": STR,
                "error": STR,
                "attempts": INT,
                "elapsed_seconds": {
                    "type": ["number", "null"],
                    "description": "Since the job started (to its end once finished).",
                },
                "remaining_seconds": {
                    "type": ["number", "null"],
                    "description": "Estimated, while running, from the pace so far.",
                },
                "duration_seconds": {"type": ["number", "null"], "description": "Once done."},
                "realtime_factor": {
                    "type": ["number", "null"],
                    "description": "A finished full run: processing seconds per lecture second.",
                },
            }
        ),
        "TranscriptReview": _object(
            {
                "speech_seconds": NUM,
                "low_confidence_seconds": NUM,
                "low_confidence_share": {"type": "number", "minimum": 0, "maximum": 1},
                "low_confidence_lines": INT,
                "language": {"type": ["string", "null"], "description": "Whisper's code."},
                "language_probability": {"type": ["number", "null"]},
                "held": BOOL,
                "held_because": {
                    "type": "array",
                    "items": {"enum": ["nothing_heard", "other_language", "low_confidence"]},
                },
                "missed_speech": {
                    "type": "array",
                    "description": "Stretches (seconds) where speech was heard but no line holds"
                    " text: Whisper dropped it. Counted in low_confidence_seconds.",
                    "items": _object({"start": NUM, "end": NUM}),
                },
                "missed_speech_seconds": NUM,
            }
        ),
    }


@cache
def document() -> dict:
    """The whole OpenAPI document (built once: it depends on code, not on requests)."""
    codes = "\n".join(
        f"| `{code}` | {status} | {meaning} |" for code, (status, meaning) in ERROR_CODES.items()
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "academy API",
            "version": "1",
            "description": (
                "The watch protocol and the studio's uploads (docs/player-protocol.md). Every "
                'error is `{"error": {"code", "message"}}`; `code` is stable, `message` is in '
                "the request's locale. Any unknown path is `404 not_found`, a method a path "
                "lacks `405 method_not_allowed`.\n\n| Code | Status | Meaning |\n|---|---|---|\n"
                + codes
            ),
        },
        "paths": {API + path: item for path, item in _paths().items()},
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "Set by /auth/login.",
                },
                "csrf": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-CSRFToken",
                    "description": "The `csrf_token` of /auth/login or /auth/me, on every write.",
                },
            },
        },
    }


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(document())
