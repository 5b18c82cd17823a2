"""The ledger's codes in words, for people (admins reading a learner's hours)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.credits.models import EntryKind, EntrySource

#: what wrote a ledger line (CreditEntry.kind)
ENTRY_KINDS = {
    EntryKind.AWARD: _l("完成课程获得"),
    EntryKind.CORRECTION: _l("管理员调整"),
    EntryKind.REVERSAL: _l("退款撤销"),
}

#: how the learner came to the hours (CreditEntry.source)
ENTRY_SOURCES = {
    EntrySource.PURCHASE: _l("购买"),
    EntrySource.MEMBERSHIP: _l("会员领取"),
    EntrySource.FREE: _l("免费课程"),
    EntrySource.CORRECTION: _l("管理员调整"),
}


def entry_kind_words(kind: str) -> str:
    words = ENTRY_KINDS.get(kind)
    return str(words) if words is not None else kind


def entry_source_words(source: str) -> str:
    words = ENTRY_SOURCES.get(source)
    return str(words) if words is not None else source
