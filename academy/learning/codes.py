"""The learning domain's codes in words, for people (the admin's viewing log).

Programs keep the codes: they are the audit rows' values and the API's contract. People read
these words instead, and support staff still see the code beside them. tests/learning/
test_codes.py finds every code the domain can write in its source and checks it is here.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: what happened in a watch session (WatchEvent.kind)
EVENT_KINDS = {
    "start": _l("开始学习"),
    "beat": _l("进度报告"),
    "popup_issued": _l("弹窗发出"),
    "popup_confirmed": _l("弹窗已确认"),
    "popup_wrong": _l("弹窗答错"),
    "refused": _l("请求被拒绝"),
    "lesson_complete": _l("课时完成"),
    "ended": _l("会话结束"),
}

#: why a beat earned less than it claimed (rules.advance_verified; the API's BeatReply.note)
BEAT_NOTES = {
    "hidden": _l("页面在后台，不计进度"),
    "rate_not_allowed": _l("播放倍速超过允许值，不计进度"),
    "ahead_of_verified": _l("超出已核验进度（向前拖动），不计进度"),
    "faster_than_real_time": _l("快于真实时间，只计入一部分"),
    "popup_pending": _l("停在未确认的弹窗处"),
}

#: why a request was refused (Refusal.code): the watch protocol's, and the API's checks of a
#: beat's or a confirmation's body, which the viewing log records too
REFUSALS = {
    "stale_seq": _l("重复或过期的进度报告"),
    "too_many_beats": _l("进度报告过于频繁"),
    "conflict": _l("进度已在别处更新"),
    "session_ended": _l("会话已结束（在别处开始了学习）"),
    "session_not_found": _l("学习会话不存在"),
    "not_your_session": _l("不是本人的学习会话"),
    "popup_not_found": _l("弹窗不存在"),
    "popup_already_confirmed": _l("弹窗已确认过"),
    "popup_not_issued": _l("弹窗未向本次学习发出"),
    "not_enrolled": _l("未报名该课程"),
    "no_media": _l("课时视频尚未上传"),
    "purchase_required": _l("付费课程，需购买"),
    "not_found": _l("课程或课时不存在"),
    "invalid_setting": _l("播放规则超出允许范围"),
    "invalid_json": _l("请求格式错误"),
    "missing_field": _l("请求缺少字段"),
    "invalid_field": _l("请求字段无效"),
}

#: why a watch session ended (WatchSession.ended_reason; the detail of an 'ended' event)
SESSION_ENDS = {
    "replaced": _l("被新开始的学习取代"),
    "access_revoked": _l("课程权限已结束（订单已退款）"),
}

#: what a popup asks (Popup.kind)
POPUP_KINDS = {
    "confirm": _l("确认继续学习"),
    "question": _l("知识问答"),
}

FAMILIES = (EVENT_KINDS, BEAT_NOTES, REFUSALS, SESSION_ENDS, POPUP_KINDS)
WORDS = {code: words for family in FAMILIES for code, words in family.items()}


def describe(code: str | None) -> str:
    """The words for a code, in the reader's language; an unknown code is shown as it is."""
    if not code:
        return ""
    words = WORDS.get(code)
    return str(words) if words is not None else code


def is_known(code: str | None) -> bool:
    return bool(code) and code in WORDS
