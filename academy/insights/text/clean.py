"""Cleaning a Chinese lecture's transcript before anything is derived from it; checking the output.

Whisper base, unsure of what it hears, writes stray words of other languages into a Chinese
lecture (istically, pueden, Parker) and loops on a character (来欺欺欺欺). Neither may become a
key phrase, a chapter title or a question's answer. `clean_segments` removes them from the copy
of the transcript the derivations read (the transcript itself stays as heard, for the instructor
to correct); `is_clean_phrase` and `is_clean_text` check what the derivations made, whatever
made it. A word of another script is kept when the course's glossary has it (ETF, CFP), and so
is a well-formed acronym the lecture says at least twice (ETF, ESG, QDII, CRS, the APP of
个人所得税APP, the C3 of C3类信息): capitals and digits, 2-6 of them, as finance lectures name
their instruments. Lowercase or mixed-case fragments (istically, pueden, Parker) still go.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from academy.insights.types import Segment

#: a letter that is not a Chinese character (Latin with accents, kana, hangul, Cyrillic ...)
_FOREIGN_LETTER = r"[^\W\d_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007]"
#: a word of such letters, with inner digits, apostrophes or hyphens (don't, e-mail, C3, G20)
FOREIGN_WORD = re.compile(
    rf"{_FOREIGN_LETTER}(?:{_FOREIGN_LETTER}|\d)*(?:['’\-]{_FOREIGN_LETTER}+)*"
)
#: an acronym or code: 2-6 capital letters and digits, opening with a letter (ETF, QDII, C3)
ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,5}")
#: a lecture that says an acronym this often means it; Whisper's stray words are one-offs
ACRONYM_MIN_COUNT = 2
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: one to four Chinese characters said three or more times in a row: Whisper looping
#: (的的的的); two in a row are ordinary Chinese (看看, 谢谢), so they stay. A short stutter
#: collapses to one; from LOOP_REPEATS on (来欺欺欺欺) nothing of it can be trusted: it goes.
RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff]{1,4}?)\1{2,}")
LOOP_REPEATS = 5
#: a line needs this many Chinese characters, once cleaned, to say anything worth deriving from
MIN_HAN_CHARS = 2
_SPACES = re.compile(r"[ \t\u3000]{2,}")
#: what may be left dangling where a word was cut out of a title
_JOINERS = "与與和及、，, "


def allowed_words(glossary: Iterable[str]) -> frozenset[str]:
    """The foreign-script words the glossary holds (casefolded), which cleaning keeps."""
    return frozenset(
        word.casefold() for term in glossary for word in FOREIGN_WORD.findall(term or "")
    )


def repeated_acronyms(texts: Iterable[str]) -> frozenset[str]:
    """The well-formed acronyms said at least ACRONYM_MIN_COUNT times in these texts (a
    transcript's lines), exactly as written: cleaning keeps them."""
    said = Counter(
        word for text in texts for word in FOREIGN_WORD.findall(text) if ACRONYM.fullmatch(word)
    )
    return frozenset(word for word, count in said.items() if count >= ACRONYM_MIN_COUNT)


def _kept(word: str, allowed: frozenset[str], acronyms: frozenset[str]) -> bool:
    """Whether a foreign-script word may stay: the glossary's, or an acronym the lecture uses."""
    return word.casefold() in allowed or word in acronyms


def clean_text(
    text: str,
    glossary: Iterable[str] = (),
    *,
    allowed: frozenset[str] | None = None,
    acronyms: frozenset[str] = frozenset(),
):
    """The text without foreign-script words the glossary lacks (acronyms the lecture repeats
    stay: repeated_acronyms), and with loops collapsed."""
    allowed = allowed_words(glossary) if allowed is None else allowed
    kept = FOREIGN_WORD.sub(
        lambda match: match.group(0) if _kept(match.group(0), allowed, acronyms) else " ", text
    )
    kept = RUN.sub(_collapse, kept)
    return _SPACES.sub(" ", kept).strip()


def _collapse(run: re.Match) -> str:
    """A stutter as one, a loop as nothing."""
    unit = run.group(1)
    return unit if len(run.group(0)) < LOOP_REPEATS * len(unit) else " "


def clean_segments(segments: Sequence[Segment], glossary: Sequence[str] = ()) -> list[Segment]:
    """The lines the derivations read: cleaned, and without lines that say nothing in Chinese
    once cleaned (第462-2-2-3, a lone 嗯)."""
    allowed = allowed_words(glossary)
    acronyms = repeated_acronyms(segment.text for segment in segments)
    cleaned = []
    for segment in segments:
        text = clean_text(segment.text, allowed=allowed, acronyms=acronyms)
        if len(HAN.findall(text)) >= MIN_HAN_CHARS or _only_kept(text, allowed, acronyms):
            cleaned.append(replace(segment, text=text))
    return cleaned


def _only_kept(text: str, allowed: frozenset[str], acronyms: frozenset[str]) -> bool:
    """A line that is just a glossary term or acronym of another script ("ETF") still says
    something."""
    words = FOREIGN_WORD.findall(text)
    return bool(words) and all(_kept(word, allowed, acronyms) for word in words)


def is_clean_text(
    text: str, glossary: Iterable[str] = (), *, acronyms: frozenset[str] = frozenset()
) -> bool:
    """Whether the text holds no loop and no foreign-script word but the glossary's and the
    lecture's repeated acronyms (repeated_acronyms of its transcript)."""
    allowed = allowed_words(glossary)
    if any(not _kept(word, allowed, acronyms) for word in FOREIGN_WORD.findall(text)):
        return False
    return RUN.search(text) is None


def is_clean_phrase(
    phrase: str, glossary: Iterable[str] = (), *, acronyms: frozenset[str] = frozenset()
) -> bool:
    """Whether a key phrase, title or answer may be shown: a glossary term, an acronym the
    lecture repeats (ETF), or clean Chinese, which may hold such an acronym (ESG投资)."""
    glossary = list(glossary)
    stripped = phrase.strip()
    if stripped.casefold() in {term.strip().casefold() for term in glossary}:
        return True
    shown = bool(HAN.search(stripped)) or stripped in acronyms
    return shown and is_clean_text(stripped, glossary, acronyms=acronyms)


def clean_title(
    title: str, glossary: Iterable[str] = (), *, acronyms: frozenset[str] = frozenset()
) -> str:
    """A title with what may not be shown cut out, and no joiner left dangling ('' if nothing
    is left)."""
    return clean_text(title, glossary, acronyms=acronyms).strip(_JOINERS)
