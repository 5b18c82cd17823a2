"""Document frequencies over all transcripts of the platform, for how specific a term is."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from academy.insights.text.phrases import candidate_phrases
from academy.insights.text.words import background, cut_words, to_simplified


class Corpus:
    """How many transcripts contain each word and phrase candidate (simplified characters)."""

    def __init__(self, documents: int = 0, frequencies: dict[str, int] | None = None):
        self.documents = documents
        #: term (simplified) -> number of documents that contain it
        self.frequencies: Counter[str] = Counter(frequencies or {})

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Corpus:
        """A corpus counted from transcript texts (slow part: segmenting, ~50 ms per lecture)."""
        corpus = cls()
        for text in texts:
            corpus.add_text(text)
        return corpus

    def add_text(self, text: str) -> None:
        """Count one more transcript."""
        words = cut_words(text)
        terms = {phrase.simple for phrase in candidate_phrases(words)}
        terms.update(word.simple for word in words if len(word.simple) >= 2)
        self.documents += 1
        self.frequencies.update(terms)

    def idf(self, term: str) -> float:
        """Smoothed IDF, 1 + ln((N+1)/(df+1)); unseen terms get the most, background words 1."""
        simple = to_simplified(term)
        shipped = background()
        if simple in shipped.generic or simple in shipped.filler:
            return 1.0
        found = self.frequencies.get(simple, 0)
        return 1.0 + math.log((self.documents + 1) / (found + 1))

    def share(self, simple: str) -> float:
        """The share of transcripts that contain a term given in simplified characters (0 for
        an empty corpus): how much of the platform's everyday language it is."""
        if self.documents == 0:
            return 0.0
        return self.frequencies.get(simple, 0) / self.documents

    def specificity(self, term: str) -> float:
        """idf scaled to 0..1 (1: in no transcript); 1 for an empty corpus, which knows nothing."""
        if self.documents == 0:
            return 1.0
        return self.idf(term) / (1.0 + math.log(self.documents + 1))

    def to_dict(self, min_documents: int = 1) -> dict:
        """A JSON-ready dict; terms in fewer than min_documents transcripts are left out."""
        kept = {term: n for term, n in self.frequencies.items() if n >= min_documents}
        return {
            "version": 1,
            "documents": self.documents,
            "frequencies": dict(sorted(kept.items())),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Corpus:
        """The corpus stored by to_dict."""
        return cls(int(data.get("documents", 0)), dict(data.get("frequencies", {})))
