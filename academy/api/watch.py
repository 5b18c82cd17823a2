"""/api/v1 watch protocol: start a session, heartbeat, confirm popups (docs/player-protocol.md)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.api import bp, field, json_body, number_field
from academy.catalog import access
from academy.credits import services as credits
from academy.errors import Refusal
from academy.learning import rules
from academy.learning import services as learning
from academy.learning.models import Popup
from academy.rate_limits import per_account

#: each start writes a session and its events: a script restarting sessions in a loop stops here
watch_starts = per_account("WATCH_START_LIMIT", "watch-starts")

#: a position or rate outside these is not a player's report but a forged one
MAX_POSITION_SECONDS = 24 * 3600
MAX_RATE = 16.0
#: beat numbers fit any database's INTEGER; at two beats a second that is 34 years of watching
MAX_SEQ = 2**31 - 1
#: an answer is the index of one of a popup's few choices
MAX_ANSWER = 99


def popup_json(popup: Popup | None) -> dict | None:
    """What the client may know of a popup: never its time or its answer."""
    if popup is None:
        return None
    # A plain confirmation has no stored text: it is worded in the learner's language.
    prompt = popup.prompt or _("请确认您仍在认真学习，点击“继续学习”后视频将继续播放。")
    body = {"id": popup.token, "kind": popup.kind, "prompt": prompt}
    if popup.kind == "question":
        body["choices"] = popup.choices or []
    return body


def reply_json(reply: learning.BeatReply) -> dict:
    return {
        "verified": reply.verified_ms / 1000,
        "duration": reply.duration_ms / 1000,
        "popup": popup_json(reply.popup),
        "lesson_complete": reply.lesson_complete,
        "course_complete": reply.course_complete,
        "awarded": [
            {
                "credit_type": entry.credit_type.code,
                "name": entry.credit_type.name,
                "hours": credits.centihours_to_hours(entry.centihours),
            }
            for entry in reply.awarded
        ],
        "note": reply.reason,
    }


@bp.post("/lessons/<int:lesson_id>/watch")
@login_required
@watch_starts
def start_watch(lesson_id: int):
    lesson = access.open_lesson(current_user, lesson_id)
    if lesson is None:
        raise Refusal("not_found", _("课时不存在。"), 404)
    session = learning.start_watch(
        current_user,
        lesson,
        user_agent=request.headers.get("User-Agent", ""),
        ip=request.remote_addr or "",
    )
    progress = learning.find_progress(current_user.id, lesson.id)
    body = {
        "session": session.token,
        "duration": lesson.duration_ms / 1000,
        "verified": progress.verified_ms / 1000,
        "max_rate": session.max_rate_centi / 100,
        "heartbeat_every": session.heartbeat_seconds,
        # how far the playhead may lead verified progress before a beat counts as a seek
        "max_lead": rules.allowance_cap_ms(
            session.max_rate_centi, session.heartbeat_seconds, session.tolerance_ms
        )
        / 1000,
        "lesson_complete": progress.completed_at is not None,
    }
    return jsonify(body), 201


@bp.post("/watch/<token>/beat")
@login_required
def beat(token: str):
    data = json_body()
    try:
        seq = number_field(data, "seq", 1, MAX_SEQ, int)
        position = number_field(data, "position", 0, MAX_POSITION_SECONDS)
        rate = number_field(data, "rate", 0, MAX_RATE)
        hidden = field(data, "hidden", bool, required=False) or False
        reply = learning.beat(
            current_user,
            token,
            seq=seq,
            position_ms=int(position * 1000),
            rate_centi=rules.rate_to_centi(rate),
            hidden=hidden,
        )
    except Refusal as refusal:
        learning.log_refusal(current_user.id, token, refusal)
        raise
    return jsonify(reply_json(reply))


@bp.post("/watch/<token>/popups/<popup_id>")
@login_required
def confirm_popup(token: str, popup_id: str):
    data = request.get_json(silent=True) or {}
    if not isinstance(data, dict):
        raise Refusal("invalid_json", _("请求体须为 JSON 对象。"), 400)
    try:
        answer = number_field(data, "answer", 0, MAX_ANSWER, int, required=False)
        accepted, reply = learning.confirm_popup(current_user, token, popup_id, answer)
    except Refusal as refusal:
        learning.log_refusal(current_user.id, token, refusal)
        raise
    body = reply_json(reply)
    body["confirmed"] = accepted
    body["explanation"] = reply.explanation
    return jsonify(body)
