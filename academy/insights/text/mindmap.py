"""The lecture's mind map: lecture -> chapters -> key points, as a tree and as a standalone SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from academy.insights.types import Chapter

FONT_FAMILY = "PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif"
#: font size (px) of the lecture title, chapter titles and key points
FONT_SIZES = (18, 15, 13)
#: a box wraps its text after this many em
MAX_LINE_EMS = 16
PADDING_X = 12
PADDING_Y = 8
LINE_GAP = 1.35
COLUMN_GAP = 48
ROW_GAP = 10
MARGIN = 16
#: chapter colours (stroke, fill), in turn
PALETTE = (
    ("#2f6fb2", "#eaf2fb"),
    ("#2e8b57", "#e9f6ee"),
    ("#c0692a", "#fcefe4"),
    ("#7b4fb0", "#f1eaf9"),
    ("#b2475d", "#fbe9ed"),
    ("#3f8f8f", "#e6f4f4"),
    ("#8a7a2b", "#f6f2df"),
    ("#5a6b7b", "#edf0f3"),
)


def build_mind_map(title: str, chapters: Sequence[Chapter]) -> dict:
    """The tree {"title", "children"}: the lecture, its chapters (with "start"), their points."""
    return {
        "title": title,
        "children": [
            {
                "title": chapter.title,
                "start": chapter.start,
                "children": [{"title": point, "children": []} for point in chapter.points],
            }
            for chapter in chapters
        ],
    }


#: the lecture's colour (the root box of the SVG; the root of the interactive map)
ROOT_COLOUR = "#1f3b5c"


def markmap_tree(tree: dict) -> dict:
    """The tree as markmap-view's nodes {"content", "children", "payload"}, for the course page.

    markmap puts a node's content into the page as HTML, so each title is escaped here; each
    chapter's branch carries the colour it has in the SVG.
    """

    def node(item: dict, colour: str) -> dict:
        return {
            "content": escape(_text_of(item)),
            "payload": {"colour": colour},
            "children": [node(child, colour) for child in item.get("children", [])],
        }

    return {
        "content": escape(_text_of(tree)),
        "payload": {"colour": ROOT_COLOUR},
        "children": [
            node(chapter, PALETTE[index % len(PALETTE)][0])
            for index, chapter in enumerate(tree.get("children", []))
        ],
    }


@dataclass
class _Box:
    """A node laid out: its text lines, size, position and depth."""

    lines: list[str]
    depth: int
    width: float
    height: float
    children: list[_Box]
    colour: int = 0
    x: float = 0.0
    y: float = 0.0


def render_svg(tree: dict) -> str:
    """A left-to-right SVG of the tree: rounded boxes joined by curves, text escaped."""
    root = _measure(tree, 0)
    for index, child in enumerate(root.children):
        _colour(child, index % len(PALETTE))
    columns = _column_widths(root)
    bottom = _place(root, columns, MARGIN)
    width = sum(columns) + COLUMN_GAP * (len(columns) - 1) + 2 * MARGIN
    total_height = bottom + MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{total_height:.0f}" '
        f'viewBox="0 0 {width:.0f} {total_height:.0f}" role="img" '
        f"aria-label={quoteattr(_text_of(tree))} font-family={quoteattr(FONT_FAMILY)}>",
        f"<title>{escape(_text_of(tree))}</title>",
        f'<rect width="{width:.0f}" height="{total_height:.0f}" fill="#ffffff"/>',
    ]
    parts.extend(_links(root))
    parts.extend(_boxes(root))
    parts.append("</svg>")
    return "\n".join(parts)


def _text_of(node: dict) -> str:
    return str(node.get("title", "")).strip()


def _ems(text: str) -> float:
    """Width of text in em: CJK and full-width characters 1, others about 0.55."""
    return sum(_char_ems(char) for char in text)


def _char_ems(char: str) -> float:
    return 1.0 if ord(char) > 0x2E7F else 0.55


def _wrap(text: str) -> list[str]:
    # A running width, not the line measured again at each character: long points are common.
    lines, line, width = [], "", 0.0
    for char in text:
        if width + _char_ems(char) > MAX_LINE_EMS:
            lines.append(line)
            line, width = "", 0.0
        line += char
        width += _char_ems(char)
    return [*lines, line] if line or not lines else lines


def _measure(node: dict, depth: int) -> _Box:
    size = FONT_SIZES[min(depth, len(FONT_SIZES) - 1)]
    lines = _wrap(_text_of(node)) or [""]
    width = max(_ems(line) for line in lines) * size + 2 * PADDING_X
    height = len(lines) * size * LINE_GAP + 2 * PADDING_Y
    children = [_measure(child, depth + 1) for child in node.get("children", [])]
    return _Box(lines, depth, width, height, children)


def _colour(box: _Box, colour: int) -> None:
    box.colour = colour
    for child in box.children:
        _colour(child, colour)


def _column_widths(root: _Box) -> list[float]:
    widths: list[float] = []
    stack = [root]
    while stack:
        box = stack.pop()
        while len(widths) <= box.depth:
            widths.append(0.0)
        widths[box.depth] = max(widths[box.depth], box.width)
        stack.extend(box.children)
    return widths


def _place(box: _Box, columns: Sequence[float], top: float) -> float:
    """Lay out box and its subtree from y=top; return the bottom of the subtree."""
    box.x = MARGIN + sum(columns[: box.depth]) + COLUMN_GAP * box.depth
    if not box.children:
        box.y = top
        return top + box.height
    bottom = top
    for child in box.children:
        bottom = _place(child, columns, bottom) + ROW_GAP
    bottom -= ROW_GAP
    first, last = box.children[0], box.children[-1]
    middle = (first.y + first.height / 2 + last.y + last.height / 2) / 2
    box.y = max(top, middle - box.height / 2)
    return max(bottom, box.y + box.height)


def _links(box: _Box) -> list[str]:
    paths = []
    for child in box.children:
        x1, y1 = box.x + box.width, box.y + box.height / 2
        x2, y2 = child.x, child.y + child.height / 2
        bend = (x2 - x1) / 2
        stroke = PALETTE[child.colour][0]
        paths.append(
            f'<path d="M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} '
            f'{x2:.1f},{y2:.1f}" fill="none" stroke="{stroke}" stroke-width="1.5"/>'
        )
        paths.extend(_links(child))
    return paths


def _boxes(box: _Box) -> list[str]:
    size = FONT_SIZES[min(box.depth, len(FONT_SIZES) - 1)]
    stroke, fill = PALETTE[box.colour]
    text_colour = "#1f2933"
    weight = "normal"
    if box.depth == 0:
        stroke, fill, text_colour, weight = ROOT_COLOUR, ROOT_COLOUR, "#ffffff", "bold"
    elif box.depth == 1:
        weight = "bold"
    else:
        fill = "#ffffff"
    parts = [
        f'<g><rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" '
        f'height="{box.height:.1f}" rx="8" ry="8" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="1.5"/>'
    ]
    for number, line in enumerate(box.lines):
        baseline = box.y + PADDING_Y + size * (number * LINE_GAP + 1) + size * (LINE_GAP - 1) / 2
        parts.append(
            f'<text x="{box.x + PADDING_X:.1f}" y="{baseline:.1f}" font-size="{size}" '
            f'font-weight="{weight}" fill="{text_colour}">{escape(line)}</text>'
        )
    parts.append("</g>")
    for child in box.children:
        parts.extend(_boxes(child))
    return parts
