"""The rules of course documents as plain values: how many pages, how large, how rendered."""

from __future__ import annotations

from flask_babel import gettext as _

from academy.documents.models import MAX_TITLE_CHARS
from academy.errors import Refusal

#: pages a visitor reads before buying, unless the instructor chooses otherwise per document
DEFAULT_FREE_PAGES = 3
#: handouts per course: a semester's worth; the course page lists them all
MAX_DOCUMENTS_PER_COURSE = 20
#: the longer side of a rendered page, in pixels. An A4 portrait page comes out 990 px wide
#: (sharp in the course page's column), a landscape slide 1400 px wide; bounding the longer
#: side, not the width, keeps a hostile page size (1 x 100,000 points) from making a huge image.
PAGE_LONG_SIDE_PX = 1400
#: JPEG, not PNG: a scanned page is ~150 KB instead of over a megabyte, and text stays crisp
JPEG_QUALITY = 85


def readable_pages(page_count: int, free_pages: int, *, owner: bool) -> int:
    """Pages of a document a person reads: all for an owner, else the free preview."""
    if owner:
        return page_count
    return max(0, min(page_count, free_pages))


def check_title(title: str) -> str:
    """The title trimmed; refused when longer than the column."""
    title = (title or "").strip()
    if len(title) > MAX_TITLE_CHARS:
        raise Refusal("title_too_long", _("标题最多 %(max)d 个字。", max=MAX_TITLE_CHARS), 422)
    return title


def check_free_pages(free_pages, max_pages: int) -> int:
    """The free preview: a whole number from 0 (none) to the page limit."""
    if not isinstance(free_pages, int) or isinstance(free_pages, bool):
        raise Refusal("invalid_free_pages", _("免费页数须为整数。"), 422)
    if not 0 <= free_pages <= max_pages:
        raise Refusal(
            "invalid_free_pages",
            _("免费页数须在 0 到 %(max)d 之间。", max=max_pages),
            422,
        )
    return free_pages


def render_timeout(page_count: int) -> int:
    """Seconds pdftoppm may take for a whole document: generous per page, never unbounded."""
    return min(600, 30 + 5 * page_count)
