"""A full disk while a request writes a file: one refusal, 507, and nothing partial kept.

The writers (lecture chunks, course documents, article covers) remove what they wrote and raise
`full_refusal()`; the API answers it as `storage_full`, a page shows its message. docs/
operations.md says what an operator does.
"""

from __future__ import annotations

import errno

from flask_babel import gettext as _

from academy.errors import Refusal

#: no space left on the device, or the account's quota on it used up
FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
#: HTTP 507 Insufficient Storage (RFC 4918): the server cannot store what the request sent
INSUFFICIENT_STORAGE = 507


def is_full(error: BaseException) -> bool:
    """Whether this error is the disk (or the quota) being full."""
    return isinstance(error, OSError) and error.errno in FULL


def full_refusal() -> Refusal:
    """The refusal of an upload that found the disk full."""
    return Refusal(
        "storage_full",
        _("服务器存储空间已满，文件没有保存。请稍后重试；如果一直出现，请联系管理员。"),
        INSUFFICIENT_STORAGE,
    )
