"""Review questions (要点回顾) drawn from the lecture's own sentences, with explanations.

Two kinds, both answered by choosing: 'blank' hides a key phrase in a key sentence and offers it
among three other key phrases of the lecture; 'choice' asks which of four statements the lecture
makes, the three wrong ones being other sentences of the lecture with a key phrase swapped. Each
explanation quotes the source sentence and says where the wrong options belong instead, as the
NASBA self-study standard asks (why the right answer is right and the wrong ones are wrong).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from academy.insights.text.sentences import (
    TERMINALS,
    as_written_sentence,
    is_navigation,
    needs_predecessor,
    timed_sentences,
)
from academy.insights.text.words import (
    cut_words,
    is_traditional,
    to_simplified,
    to_traditional,
)
from academy.insights.types import Question, Segment

BLANK = "（    ）"
MIN_QUESTION_CHARS = 14
MAX_QUESTION_CHARS = 70
#: the phrase must leave this many characters of context around the blank
MIN_CONTEXT_CHARS = 8
#: every third question is a 'choice' question when the lecture has enough material
CHOICE_EVERY = 3
QUOTE_CHARS = 28
#: sentences on either side of a statement whose key phrases are not swapped into it
NEARBY = 3


@dataclass(frozen=True)
class _Source:
    """A sentence fit for a question and the key phrase it is about."""

    index: int
    sentence: str
    phrase: str


def make_questions(
    segments: Sequence[Segment],
    *,
    keywords: Sequence[str],
    count: int = 5,
    seed: int | None = None,
) -> list[Question]:
    """Up to count questions on the lecture's key sentences, the same for the same seed."""
    rng = random.Random(seed)
    sentences = [as_written_sentence(s.text) for s in timed_sentences(segments)]
    phrases = [k for k in dict.fromkeys(keywords) if k.strip()]
    sources = _sources(sentences, phrases)
    words = _Wording(is_traditional("".join(sentences)))
    questions: list[Question] = []
    used_sentences: set[int] = set()
    used_phrases: set[str] = set()
    rank = {phrase: i for i, phrase in enumerate(phrases)}
    for source in _spread(sources, len(sentences), rank):
        if len(questions) >= count:
            break
        if source.index in used_sentences or source.phrase in used_phrases:
            continue
        wants_choice = (len(questions) + 1) % CHOICE_EVERY == 0
        question = None
        if wants_choice:
            question = _statement_question(
                source, sources, sentences, phrases, used_sentences, rng, words
            )
        if question is None:
            question = _blank_question(source, sentences, phrases, rng, words)
        if question is None:
            continue
        questions.append(question)
        used_sentences.add(source.index)
        used_phrases.add(source.phrase)
    return questions


def _sources(sentences: Sequence[str], phrases: Sequence[str]) -> list[_Source]:
    """Sentences that state something about a key phrase, best phrase first."""
    found = []
    for index, sentence in enumerate(sentences):
        body = sentence.rstrip(TERMINALS)
        if not MIN_QUESTION_CHARS <= len(body) <= MAX_QUESTION_CHARS:
            continue
        if needs_predecessor(sentence) or is_navigation(sentence) or sentence.endswith(("？", "?")):
            continue
        present = [phrase for phrase in phrases if phrase in sentence]
        bounds = _word_bounds(sentence) if present else set()
        for phrase in present:
            # Blank the whole term: 客户生命周期 rather than the 生命周期 inside it, and never
            # part of a word (老年客户 in 中老年客户).
            if any(phrase in other and phrase != other for other in present):
                continue
            at = sentence.find(phrase)
            if at not in bounds or at + len(phrase) not in bounds:
                continue
            if len(body) - len(phrase) >= MIN_CONTEXT_CHARS:
                found.append(_Source(index, sentence, phrase))
                break
    return found


def _word_bounds(sentence: str) -> set[int]:
    """Offsets in the sentence where a word starts or ends."""
    return {offset for word in cut_words(sentence) for offset in (word.start, word.end)}


def _spread(sources: Sequence[_Source], total: int, rank: dict[str, int]) -> list[_Source]:
    """Sources ordered so that consecutive questions come from different parts of the lecture."""
    parts: dict[int, list[_Source]] = {}
    for source in sources:
        parts.setdefault(source.index * 5 // max(1, total), []).append(source)
    for part in parts.values():
        part.sort(key=lambda source: rank[source.phrase])
    ordered = []
    while any(parts.values()):
        for key in sorted(parts):
            if parts[key]:
                ordered.append(parts[key].pop(0))
    return ordered


def _distractors(
    answer: str,
    phrases: Sequence[str],
    sentence: str,
    rng: random.Random,
    *,
    alike: bool = True,
) -> list[str]:
    """Three other key phrases like the answer (last character, length), or unlike it."""
    simple_answer = to_simplified(answer)
    options = []
    for phrase in phrases:
        simple = to_simplified(phrase)
        if simple == simple_answer or simple in simple_answer or simple_answer in simple:
            continue
        if phrase in sentence:
            continue
        same_kind = simple[-1] == simple_answer[-1]
        options.append((same_kind != alike, abs(len(phrase) - len(answer)), rng.random(), phrase))
    options.sort()
    return [phrase for *_, phrase in options[:3]]


class _Wording:
    """The fixed words of questions, in the characters the lecture is written in."""

    def __init__(self, traditional: bool):
        self.traditional = traditional

    def __call__(self, text: str) -> str:
        return to_traditional(text) if self.traditional else text


def _blank_question(
    source: _Source,
    sentences: Sequence[str],
    phrases: Sequence[str],
    rng: random.Random,
    words: _Wording,
) -> Question | None:
    wrong = _distractors(source.phrase, phrases, source.sentence, rng)
    if len(wrong) < 3:
        return None
    choices = [source.phrase, *wrong]
    rng.shuffle(choices)
    prompt = words("根据讲座内容填空：") + source.sentence.replace(source.phrase, BLANK)
    explanation = (
        words("讲座原话是：")
        + f"「{source.sentence}」"
        + words("所以空格处应填")
        + f"「{source.phrase}」。"
        + _why_not(wrong, sentences, source.index, words)
    )
    return Question("blank", prompt, choices, choices.index(source.phrase), explanation)


def _statement_question(
    source: _Source,
    sources: Sequence[_Source],
    sentences: Sequence[str],
    phrases: Sequence[str],
    used: set[int],
    rng: random.Random,
    words: _Wording,
) -> Question | None:
    """Which statement did the lecture make? Three others have a key phrase swapped."""
    others = [s for s in sources if s.index != source.index and s.index not in used]
    rng.shuffle(others)
    wrong, notes = [], []
    for other in others:
        if len(wrong) == 3:
            break
        # A term discussed next to this one may fit its sentence just as truly (固收类产品 and
        # 净值型产品 both fall in value): swap in only terms from elsewhere in the lecture.
        nearby = "".join(sentences[max(0, other.index - NEARBY) : other.index + NEARBY + 1])
        swap = _distractors(other.phrase, phrases, nearby, rng, alike=False)
        if not swap:
            continue
        wrong.append(other.sentence.replace(other.phrase, swap[0]))
        notes.append(
            f"「{_short(other.sentence, other.phrase)}」"
            + words("讲的是")
            + f"「{other.phrase}」"
            + words("，不是")
            + f"「{swap[0]}」"
        )
    if len(wrong) < 3:
        return None
    choices = [source.sentence, *wrong]
    rng.shuffle(choices)
    explanation = (
        words("讲座原话是：")
        + f"「{source.sentence}」"
        + words("其余三项把讲座里的关键词换掉了：")
        + "；".join(notes)
        + "。"
    )
    prompt = words("下列说法中，哪一项与讲座内容一致？")
    return Question("choice", prompt, choices, choices.index(source.sentence), explanation)


def _why_not(wrong: Sequence[str], sentences: Sequence[str], skip: int, words: _Wording) -> str:
    """Where each wrong option belongs in the lecture instead, quoted briefly."""
    notes = []
    for phrase in wrong:
        home = next(
            (s for i, s in enumerate(sentences) if i != skip and phrase in s),
            None,
        )
        if home:
            notes.append(
                f"「{phrase}」" + words("在讲座中说的是另一回事：") + f"「{_short(home, phrase)}」"
            )
        else:
            notes.append(f"「{phrase}」" + words("放进这句话与讲座原意不符"))
    return "；".join(notes) + "。"


def _short(sentence: str, around: str = "") -> str:
    """At most QUOTE_CHARS characters of a sentence, around a phrase when given."""
    body = sentence.rstrip(TERMINALS)
    if len(body) <= QUOTE_CHARS:
        return body
    at = max(0, body.find(around) - 8) if around else 0
    start = min(at, len(body) - QUOTE_CHARS)
    clip = body[start : start + QUOTE_CHARS]
    return ("…" if start else "") + clip + ("…" if start + QUOTE_CHARS < len(body) else "")
