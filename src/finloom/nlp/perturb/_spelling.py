"""Typo correction against a vocabulary learnt from the training texts.

A word the training texts never use is replaced by the most frequent training word within a small
Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions and
adjacent swaps), looked up through a symmetric-delete index (SymSpell, Garbe 2012) so each query
costs a few dictionary look-ups. Numbers, words glued to digits or ``$`` (amounts, account numbers,
tickers), entity names from the project lexicon and capitalised or upper-case words inside a
sentence (names, acronyms) are left as they are.

Why: the frozen MiniLM's word pieces split a misspelt word into unrelated pieces (``crad`` ->
``cr ##ad``), which moves the sentence vector far more than the one-letter edit suggests; a
corrector that knows the task's words undoes most keyboard, deletion and swap typos before
encoding (BANKING77 figures in ``docs/robustness.md``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from finloom.errors import ConfigError

__all__ = ["SpellingCorrector", "edit_distance", "vocabulary_words"]

# a run of letters not glued to digits, "$", "_" or other letters' word characters
_TOKEN = re.compile(r"(?<![\w$])[A-Za-z]+(?![\w])")
_SENTENCE_END = re.compile(r"[.!?。！？]\s*$")


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance between ``a`` and ``b``; ``limit + 1`` once it exceeds ``limit``.

    Examples
    --------
    >>> edit_distance("card", "crad"), edit_distance("card", "cad"), edit_distance("card", "bank", limit=2)
    (1, 1, 3)
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


def vocabulary_words(encoder: Any, min_length: int = 4) -> list[str]:
    """Whole words of at least ``min_length`` letters in ``encoder``'s tokenizer vocabulary (none when
    it has no tokenizer): a general word list that keeps real words the training texts never use
    (``hang``, ``format``) from being "corrected". Shorter words are left out, since a dropped letter
    often turns a short word into another short vocabulary entry (``the`` -> ``te``).

    Examples
    --------
    >>> class Tok:
    ...     def get_vocab(self): return {"card": 0, "##ed": 1, "te": 2, "format": 3, "[UNK]": 4}
    >>> class Enc:
    ...     tokenizer = Tok()
    >>> vocabulary_words(Enc())
    ['card', 'format']
    """
    tokenizer = getattr(encoder, "tokenizer", None)
    if tokenizer is None or not hasattr(tokenizer, "get_vocab"):
        return []
    return sorted(w for w in tokenizer.get_vocab() if len(w) >= min_length and w.isascii() and w.isalpha())


def _deletes(word: str, depth: int) -> set[str]:
    """``word`` and every string made from it by deleting up to ``depth`` characters."""
    out, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


@lru_cache(maxsize=1)
def _lexicon_names() -> frozenset[str]:
    from finloom.nlp.perturb._lexicon import load_lexicon

    names = (n for names in load_lexicon().entities.values() for n in names)
    return frozenset(w.lower() for n in names for w in _TOKEN.findall(n))


class SpellingCorrector:
    """Replace out-of-vocabulary words by the most frequent close vocabulary word.

    Parameters
    ----------
    max_distance : largest edit distance corrected for words of at least ``long_word`` letters
        (1 or 2); shorter words are corrected at distance 1 only, since short words have many
        neighbours. 1 by default: on the BANKING77 dev split distance 2 restored no more typos
        and changed more correct words (``benchmarks/nlp_robust_dev.py``).
    min_count : vocabulary words must occur at least this often in the training texts.
    long_word : length from which ``max_distance`` applies.

    Examples
    --------
    >>> sc = SpellingCorrector().fit(["my card was declined", "the card is lost", "card declined again"])
    >>> sc.correct("my crad was delcined")
    'my card was declined'
    >>> sc.correct("Crad 1234 at ACME")  # sentence-initial words are corrected; digits, acronyms are not
    'Card 1234 at ACME'
    """

    def __init__(self, *, max_distance: int = 1, min_count: int = 1, long_word: int = 5) -> None:
        if max_distance not in (1, 2):
            raise ConfigError(f"max_distance must be 1 or 2; got {max_distance!r}.")
        if not isinstance(min_count, int) or min_count < 1:
            raise ConfigError(f"min_count must be an int in [1, inf); got {min_count!r}.")
        self.max_distance = max_distance
        self.min_count = min_count
        self.long_word = long_word
        self.counts: dict[str, int] = {}
        self.known: frozenset[str] = frozenset()
        self._index: dict[str, list[str]] = {}

    def fit(self, texts: Iterable[str], known: Iterable[str] = ()) -> SpellingCorrector:
        """Learn the vocabulary (lower-cased letter words) of ``texts``; ``known`` words (e.g. a general
        word list) are never corrected but are not offered as corrections either."""
        counts = Counter(w.lower() for text in texts for w in _TOKEN.findall(str(text)))
        self.counts = {w: c for w, c in sorted(counts.items()) if c >= self.min_count}
        self.known = frozenset(w.lower() for w in known) - set(self.counts)
        self._build()
        return self

    def _build(self) -> None:
        index: dict[str, list[str]] = {}
        for word in self.counts:
            for d in _deletes(word, self.max_distance):
                index.setdefault(d, []).append(word)
        self._index = index

    def suggest(self, word: str) -> str | None:
        """The vocabulary word for ``word`` (lower case), ``word`` itself if known, None if nothing is close."""
        low = word.lower()
        if low in self.counts:
            return low
        limit = self.max_distance if len(low) >= self.long_word else 1
        best: tuple[int, bool, bool, int, str] | None = None
        for d in _deletes(low, limit):
            for cand in self._index.get(d, ()):
                dist = edit_distance(low, cand, limit)
                # fewest edits; then a kept first letter and no dropped letter (typists rarely miss
                # the first letter, and omit letters more often than they add them); then frequency
                key = (dist, cand[0] != low[0], len(cand) < len(low), -self.counts[cand], cand)
                if dist <= limit and (best is None or key < best):
                    best = key
        return None if best is None else best[-1]

    def correct(self, text: str) -> str:
        """``text`` with its unknown words corrected (case pattern kept)."""
        if not self.counts:
            return text
        names = _lexicon_names()

        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            low = word.lower()
            if len(word) < 2 or low in self.counts or low in self.known or low in names:
                return word
            before = text[: m.start()]
            initial = not before.strip() or bool(_SENTENCE_END.search(before))
            if (word.isupper() and len(word) > 1) or (word[0].isupper() and not initial):
                return word  # an acronym or a name
            new = self.suggest(word)
            if new is None:
                return word
            return new.upper() if word.isupper() else (new[0].upper() + new[1:] if word[0].isupper() else new)

        return _TOKEN.sub(fix, text)

    def correct_many(self, texts: Sequence[str]) -> list[str]:
        """:meth:`correct` for each text."""
        return [self.correct(t) for t in texts]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form (settings and word counts), read back by :meth:`from_dict`."""
        return {"max_distance": self.max_distance, "min_count": self.min_count, "long_word": self.long_word,
                "counts": dict(self.counts)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, known: Iterable[str] = ()) -> SpellingCorrector | None:
        """The corrector written by :meth:`to_dict` (None for None); ``known`` as in :meth:`fit`
        (not saved: callers derive it again, e.g. from the encoder's vocabulary).

        Examples
        --------
        >>> sc = SpellingCorrector(max_distance=1).fit(["lost card"])
        >>> SpellingCorrector.from_dict(sc.to_dict()).correct("lsot card")
        'lost card'
        """
        if not data:
            return None
        out = cls(max_distance=int(data["max_distance"]), min_count=int(data["min_count"]),
                  long_word=int(data["long_word"]))
        out.counts = {str(k): int(v) for k, v in data["counts"].items()}
        out.known = frozenset(w.lower() for w in known) - set(out.counts)
        out._build()
        return out
