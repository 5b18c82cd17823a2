"""Turning the studio's edit forms into values and back: plain functions, easy to test."""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import gettext as _

from academy.errors import Refusal
from academy.insights import bounds
from academy.insights.types import Chapter, Question, Segment

#: digits are bounded: "9" * 5000 is no time, and would be an error or infinity to int() and float()
CLOCK = re.compile(r"^(?:(\d{1,3}):)?(\d{1,2}):(\d{2}(?:\.\d{1,3})?)$|^(\d{1,6}(?:\.\d{1,3})?)$")
TRANSCRIPT_LINE = re.compile(r"^\[\s*([\d:.]+)\s*(?:→|->|-|~|–)\s*([\d:.]+)\s*\]\s*(.*)$")
#: blank rows offered under the existing chapters and questions
BLANK_ROWS = 1


def format_clock(seconds: float, *, fraction: bool = False) -> str:
    """Seconds as m:ss (or m:ss.s), h:mm:ss past an hour. Tenths are rounded, not cut: 41.3
    is stored as 41.29999…, and cutting showed 0:41.2, which a save then stored."""
    if fraction:
        tenths = round(seconds * 10)
        whole, tenth = divmod(tenths, 10)
    else:
        whole, tenth = int(seconds), 0
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    tail = f"{secs:02d}" + (f".{tenth}" if fraction else "")
    return f"{hours}:{minutes:02d}:{tail}" if hours else f"{minutes}:{tail}"


def parse_clock(text: str) -> float | None:
    """'1:02:03', '12:30', '12:30.5' or '95' to seconds; None if it is none of these."""
    match = CLOCK.match((text or "").strip())
    if not match:
        return None
    if match.group(4) is not None:
        return float(match.group(4))
    hours, minutes, seconds = int(match.group(1) or 0), int(match.group(2)), float(match.group(3))
    if seconds >= 60 or (match.group(1) is not None and minutes >= 60):
        return None
    return hours * 3600 + minutes * 60 + seconds


def format_transcript(segments: list[dict]) -> str:
    """One segment a line: '[0:01.2 → 0:05.8] text'."""
    return "\n".join(
        f"[{format_clock(s['start'], fraction=True)} → {format_clock(s['end'], fraction=True)}] "
        f"{s['text']}"
        for s in segments
    )


def parse_transcript(text: str) -> list[Segment]:
    """The edited transcript back into segments; a bad line is refused with its number."""
    text = text or ""
    bounds.check_transcript_text(text)  # before any line is matched
    segments = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = TRANSCRIPT_LINE.match(line.strip())
        start = parse_clock(match.group(1)) if match else None
        end = parse_clock(match.group(2)) if match else None
        if start is not None and end is not None and end < start and match.group(3).strip():
            raise Refusal(
                "invalid_transcript_line",
                _("第 %(n)d 行的结束时间早于开始时间。", n=number),
                422,
            )
        if start is None or end is None or not match.group(3).strip():
            raise Refusal(
                "invalid_transcript_line",
                _(
                    "第 %(n)d 行格式不对，应为“[开始 → 结束] 文字”，"
                    "例如 [0:01.2 → 0:05.8] 大家好。",
                    n=number,
                ),
                422,
            )
        segments.append(Segment(round(start, 2), round(end, 2), match.group(3).strip()))
    return segments


def _rows(form: Mapping[str, str], prefix: str) -> list[int]:
    found = {int(m.group(1)) for key in form if (m := re.match(rf"^{prefix}-(\d{{1,4}})-", key))}
    return sorted(found)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _kept_rows(form: Mapping[str, str], prefix: str, key: str):
    """(row index, its key field) of rows that are filled in and not marked for deletion."""
    for i in _rows(form, prefix):
        value = form.get(f"{prefix}-{i}-{key}", "").strip()
        if value and not form.get(f"{prefix}-{i}-delete"):
            yield i, value


def parse_chapters(form: Mapping[str, str]) -> list[Chapter]:
    """Chapter rows of the form; empty rows and rows marked for deletion are skipped."""
    chapters = []
    for i, title in _kept_rows(form, "chapter", "title"):
        start = parse_clock(form.get(f"chapter-{i}-start", ""))
        if start is None:
            raise Refusal(
                "invalid_chapter_start",
                _("章节“%(title)s”的开始时间应写成 分:秒，例如 12:30。", title=title),
                422,
            )
        chapters.append(
            Chapter(
                start=start,
                title=title,  # too long is refused when saved, not cut without a word
                summary=form.get(f"chapter-{i}-summary", "").strip(),
                points=_lines(form.get(f"chapter-{i}-points", "")),
            )
        )
    return chapters


def parse_questions(form: Mapping[str, str]) -> list[Question]:
    """Question rows of the form; the answer is given as the number of the right choice."""
    questions = []
    for i, prompt in _kept_rows(form, "question", "prompt"):
        choices = _lines(form.get(f"question-{i}-choices", ""))
        answer = form.get(f"question-{i}-answer", "").strip()
        # compared as text: int() refuses "²" (a digit to isdigit) and 5,000-digit numbers
        if len(choices) < 2 or answer not in [str(n) for n in range(1, len(choices) + 1)]:
            raise Refusal(
                "invalid_question",
                _(
                    "题目“%(prompt)s”须至少两个选项，正确答案填选项序号（1 到 %(n)d）。",
                    prompt=prompt[:20],
                    n=max(len(choices), 2),
                ),
                422,
            )
        questions.append(
            Question(
                kind=form.get(f"question-{i}-kind", "choice") or "choice",
                prompt=prompt,
                choices=choices,
                answer=int(answer) - 1,
                explanation=form.get(f"question-{i}-explanation", "").strip(),
            )
        )
    return questions


def derivation_fields(insight) -> dict:
    """The derivations form's values as the working copy has them, with blank rows after."""
    blank_chapter = {"start": "", "title": "", "summary": "", "points": "", "filled": False}
    blank_question = {
        "kind": "choice",
        "prompt": "",
        "choices": "",
        "answer": "",
        "explanation": "",
        "filled": False,
    }
    chapters = [
        {
            "start": format_clock(chapter["start"]),
            "title": chapter["title"],
            "summary": chapter.get("summary", ""),
            "points": "\n".join(chapter.get("points") or []),
            "filled": True,
        }
        for chapter in insight.chapters
    ]
    questions = [
        {
            "kind": question.get("kind", "choice"),
            "prompt": question["prompt"],
            "choices": "\n".join(question["choices"]),
            "answer": str(question["answer"] + 1),
            "explanation": question.get("explanation", ""),
            "filled": True,
        }
        for question in insight.questions
    ]
    return {
        "keywords": "、".join(insight.keywords),
        "summary": insight.summary,
        "chapters": chapters + [dict(blank_chapter) for _ in range(BLANK_ROWS)],
        "questions": questions + [dict(blank_question) for _ in range(BLANK_ROWS)],
    }


def derivation_fields_as_sent(form: Mapping[str, str]) -> dict:
    """The same values as a refused form sent them, rows marked for deletion still marked, so
    nothing typed is lost."""

    def rows(prefix: str, names: tuple[str, ...]) -> list[dict]:
        found = []
        for i in _rows(form, prefix):
            row = {name: form.get(f"{prefix}-{i}-{name}", "") for name in names}
            row["filled"] = any(row[name].strip() for name in names if name != "kind")
            row["delete"] = bool(form.get(f"{prefix}-{i}-delete"))
            found.append(row)
        return found

    return {
        "keywords": form.get("keywords", ""),
        "summary": form.get("summary", ""),
        "chapters": rows("chapter", ("start", "title", "summary", "points")),
        "questions": rows("question", ("kind", "prompt", "choices", "answer", "explanation")),
    }


def parse_keywords(text: str) -> list[str]:
    """One key phrase a line (commas and 、 also separate), without repeats."""
    keywords: list[str] = []
    for part in re.split(r"[\n,，、]", text or ""):
        if part.strip() and part.strip() not in keywords:
            keywords.append(part.strip())
    return keywords
