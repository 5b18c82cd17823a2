"""A lecture's script laid over Whisper's timed lines: the instructor's correction, in Whisper's
time.

Whisper's mistakes in Chinese are mostly homophones (要点 -> 要电视, 风险 -> 分线), so the
script and what Whisper heard are aligned by sound: an edit-distance alignment of their
characters' toneless pinyin (a character sounding the same costs nothing, any other change
one). Each of Whisper's lines then takes the script's characters aligned to its own, cut at the
nearest punctuation; a script character aligned to nothing goes with the one before it, so
every character of the script lands in some line, and a line Whisper invented (aligned to
nothing) is left out. Where Whisper lost its way or stopped early, a line ends up holding more
script than its own time could say: it is given the time after it, up to the next line, in its
sentences, so that no stretch of the lecture is left without a line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from academy.insights.confidence import content_chars
from academy.insights.text.sentences import TERMINALS
from academy.insights.types import Segment

#: cells of the alignment tables at most (script characters x heard characters, ~1.5 s in
#: Python); longer pairs are spread by character position instead of aligned
MAX_CELLS = 1_000_000
#: how many characters a cut may move to land just after a punctuation mark
SNAP_CHARS = 4
#: a line given more script than this many characters a second is stretched into the time
#: after it (Whisper stops early on audio it gives up on, and the script goes on)
CHARS_PER_SECOND = 4.5
#: ... and over at most the time it would take at this pace: a longer gap also holds a pause
SLOWEST_CHARS_PER_SECOND = 2.5
PUNCTUATION = set("。！？；，、：!?;,:…\n")
#: a sentence with the marks that close it: a stretched line is laid out in these
SENTENCE = re.compile(rf"[^{TERMINALS}]+[{TERMINALS}]*")
#: cost of a stretch Whisper missed or added: once to open it, then per character; a
#: character heard as another sound costs 1, as the same sound nothing
GAP_OPEN, GAP_EXTEND = 2.0, 0.5
#: the alignment's three tables: a pair, a script character missed, a character added
M, X, Y = 0, 1, 2


def align_script(
    script: str,
    segments: Sequence[Segment],
    *,
    duration: float | None = None,
    speech: Sequence[tuple[float, float]] = (),
) -> list[Segment]:
    """The script split over the segments' times, a line per segment that got any of it. Where
    the voice detector heard speech (`speech`, seconds), the script starts no earlier; when
    Whisper wrote nothing at all, the script is laid over that speech (or the whole duration)."""
    positions = [i for i, char in enumerate(script) if char.isalnum()]
    heard = [(index, char) for index, s in enumerate(segments) for char in s.text if char.isalnum()]
    opens = min((start for start, _ in speech), default=0.0)
    if not positions:
        return []
    if not segments:
        closes = max((end for _, end in speech), default=duration)
        return lay_out(script.replace("\n", ""), opens, closes) if closes else []
    if not heard:
        owners = [0] * len(positions)
    elif len(positions) * len(heard) > MAX_CELLS:
        owners = [heard[j * len(heard) // len(positions)][0] for j in range(len(positions))]
    else:
        owners = _owners(
            _sounds([script[i] for i in positions]), _sounds([c for _, c in heard]), heard
        )
    lines = []
    cuts = _cuts(script, positions, owners)
    for (owner, begin), (_next, end) in zip(cuts, [*cuts[1:], (None, len(script))], strict=True):
        text = script[begin:end].replace("\n", "").strip()
        if any(char.isalnum() for char in text):
            segment = segments[owner]
            lines.append(Segment(segment.start, segment.end, text))
    return _stretch(lines, duration, opens)


def _sounds(chars: list[str]) -> list[str]:
    """Each character's toneless pinyin (a character that is not Chinese, as itself)."""
    # Imported here: its tables take ~57 MB, and every web worker imports this module (the demo
    # job is registered at start) while only the demo's job worker ever aligns a script.
    from pypinyin import Style, lazy_pinyin

    return [syllable.lower() for syllable in lazy_pinyin(chars, style=Style.NORMAL)]


def _owners(script: list[str], heard: list[str], lines: list[tuple[int, str]]) -> list[int]:
    """For each script character, the index of the line whose character it aligns with."""
    n, m = len(script), len(heard)
    width = m + 1
    inf = float("inf")
    # Gotoh's alignment: three tables, for ending on a pair (M), on a script character Whisper
    # missed (X) and on a character Whisper added (Y). A gap costs GAP_OPEN once and GAP_EXTEND
    # per character, so one long stretch Whisper missed is cheaper than many scattered ones:
    # a line then matches where its run of sounds matches, not wherever a 客户 recurs.
    came = [bytearray((n + 1) * width) for _ in range(3)]  # the previous table, per table
    m_row = [0.0] + [inf] * m
    x_row = [inf] * width
    y_row = [0.0] + [GAP_OPEN + (j - 1) * GAP_EXTEND for j in range(1, width)]
    for j in range(1, width):
        came[Y][j] = Y if j > 1 else M
    for i in range(1, n + 1):
        m_new, x_new, y_new = [inf] * width, [inf] * width, [inf] * width
        x_new[0] = GAP_OPEN + (i - 1) * GAP_EXTEND
        came[X][i * width] = X if i > 1 else M
        sound = script[i - 1]
        for j in range(1, width):
            cell = i * width + j
            best, state = _least(m_row[j - 1], x_row[j - 1], y_row[j - 1])
            m_new[j] = best + (sound != heard[j - 1])
            came[M][cell] = state
            best, state = _least(m_row[j] + GAP_OPEN, x_row[j] + GAP_EXTEND, y_row[j] + GAP_OPEN)
            x_new[j] = best
            came[X][cell] = state
            best, state = _least(
                m_new[j - 1] + GAP_OPEN, x_new[j - 1] + GAP_OPEN, y_new[j - 1] + GAP_EXTEND
            )
            y_new[j] = best
            came[Y][cell] = state
        m_row, x_row, y_row = m_new, x_new, y_new
    owners: list[int | None] = [None] * n
    _, state = _least(m_row[m], x_row[m], y_row[m])
    i, j = n, m
    while i > 0 and j > 0:
        before = came[state][i * width + j]
        if state == M:
            owners[i - 1] = lines[j - 1][0]
            i, j = i - 1, j - 1
        elif state == X:
            i -= 1
        else:
            j -= 1
        state = before
    first = next((owner for owner in owners if owner is not None), 0)
    filled, last = [], first
    for owner in owners:
        last = owner if owner is not None else last
        filled.append(last)
    return filled


def _least(on_pair: float, on_missed: float, on_added: float) -> tuple[float, int]:
    """The least of the three costs and which table it came from (a pair first on ties)."""
    if on_pair <= on_missed and on_pair <= on_added:
        return on_pair, M
    return (on_missed, X) if on_missed <= on_added else (on_added, Y)


def _cuts(script: str, positions: list[int], owners: list[int]) -> list[tuple[int, int]]:
    """(line, where in the script its text begins) for each change of line, cuts moved to just
    after the nearest punctuation mark within SNAP_CHARS characters."""
    cuts = [(owners[0], 0)]
    for j in range(1, len(positions)):
        if owners[j] == owners[j - 1]:
            continue
        low = positions[max(0, j - SNAP_CHARS)]
        high = positions[min(len(positions) - 1, j + SNAP_CHARS - 1)]
        marks = [k + 1 for k in range(low, high) if script[k] in PUNCTUATION]
        at = min(marks, key=lambda k: abs(k - positions[j]), default=positions[j])
        if at > cuts[-1][1]:
            cuts.append((owners[j], at))
    return cuts


def _stretch(lines: list[Segment], duration: float | None, opens: float = 0.0) -> list[Segment]:
    """Each line holding more than it could say in its own time given the time after it: the
    gap before the next line (the end of the lecture for the last), then the next line itself,
    until its text fits; what it then holds is laid out in sentences over that time. The first
    line may also take the time before it, back to where speech opens (the script's opening
    that Whisper did not hear goes to the first line it did)."""
    stretched: list[Segment] = []
    index = 0
    while index < len(lines):
        group, start = [lines[index]], lines[index].start
        index += 1
        while True:
            chars = content_chars("".join(line.text for line in group))
            end = group[-1].end
            if end - start >= chars / CHARS_PER_SECOND:
                break
            if index == 1 and start > opens:
                start = round(max(opens, min(start, end - chars / SLOWEST_CHARS_PER_SECOND)), 2)
                if end - start >= chars / CHARS_PER_SECOND:
                    break
            until = lines[index].start if index < len(lines) else duration
            if until is not None and until - start >= chars / CHARS_PER_SECOND:
                end = round(min(until, start + chars / SLOWEST_CHARS_PER_SECOND), 2)
                break
            if index == len(lines):
                end = max(end, until or end)
                break
            group.append(lines[index])
            index += 1
        if len(group) == 1 and (start, end) == (group[0].start, group[0].end):
            stretched.append(group[0])
        else:
            stretched.extend(lay_out("".join(line.text for line in group), start, end))
    return stretched


def lay_out(text: str, start: float, end: float) -> list[Segment]:
    """The text's sentences laid over [start, end], each taking time by its length."""
    sentences = [s.strip() for s in SENTENCE.findall(text) if content_chars(s)]
    total = sum(content_chars(sentence) for sentence in sentences) or 1
    lines, said = [], 0
    for sentence in sentences:
        begins = round(start + (end - start) * said / total, 2)
        said += content_chars(sentence)
        lines.append(Segment(begins, round(start + (end - start) * said / total, 2), sentence))
    return lines or [Segment(start, end, text)]
