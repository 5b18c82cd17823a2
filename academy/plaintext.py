"""What a line of text people type may hold: no control characters and no invisible ones.

Names and titles travel to certificates, exports and other people's screens. A NUL (which
PostgreSQL cannot store), an escape sequence, a right-to-left override that turns 王明 into a
different-looking string, or a name of zero-width spaces is nobody's typing.
"""

from __future__ import annotations

import unicodedata

#: invisible characters that change how text reads, or hide that it is there
INVISIBLE = frozenset(
    "\u00ad"  # soft hyphen
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space/joiners, LTR/RTL marks
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\ufeff"  # byte order mark / zero-width no-break space
)


def has_hidden_characters(text: str, *, line_breaks: bool = False) -> bool:
    """Whether the text holds a control character (line breaks and tabs allowed when
    `line_breaks`) or an invisible one (INVISIBLE)."""
    allowed = "\n\t" if line_breaks else ""
    return any(
        (unicodedata.category(c) == "Cc" and c not in allowed) or c in INVISIBLE for c in text
    )
