"""Which courses an article relates to: shared words, the course's title counting most."""

from __future__ import annotations

from dataclasses import dataclass

from academy.search.tokens import STOP_WORDS, index_text

#: a shared word of the course's title counts this much; one of its key phrases counts 1
TITLE_WEIGHT = 2
#: single characters (的, 税) match nearly everything: a word must be at least this long
MIN_WORD_CHARS = 2


@dataclass(frozen=True)
class Candidate:
    """A published course as the ranking sees it: its title and its lessons' key phrases."""

    course_id: int
    title: str
    keywords: tuple[str, ...] = ()


def words_of(text: str) -> set[str]:
    """jieba's words of a text (search mode, simplified, lower-case), without the tiny ones."""
    return {
        word
        for word in index_text(text).split()
        if len(word) >= MIN_WORD_CHARS and word not in STOP_WORDS
    }


def rank_related(article_words: set[str], candidates: list[Candidate], limit: int = 4) -> list[int]:
    """Ids of the courses sharing words with the article, most shared first (ties: newest id);
    a course sharing nothing is not related."""
    scored = []
    for candidate in candidates:
        score = TITLE_WEIGHT * len(words_of(candidate.title) & article_words) + len(
            words_of(" ".join(candidate.keywords)) & article_words
        )
        if score > 0:
            scored.append((-score, -candidate.course_id))
    return [-course_id for _, course_id in sorted(scored)[:limit]]
