"""A text prepared once for every detector: normalised characters, sentences, clauses, quotes.

Normalisation maps one character to one character (full-width ASCII, curly quotes, no-break
spaces), so every offset found in ``Doc.norm`` is an offset in the caller's text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

__all__ = ["Doc", "Sentence", "detect_lang"]

_FULL_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u3000": " ",
           "\u2032": "'", "\u300c": '"', "\u300d": '"', "\u300e": '"', "\u300f": '"'}
_TABLE = str.maketrans({**_FULL_WIDTH, **_QUOTES, "（": "(", "）": ")"})
_ABBREV = r"(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)(?<!\bSt)(?<!\bCo)"
# a full stop ends a sentence unless it closes an abbreviation, an initial or "No." before a number
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+|" + _ABBREV + r"(?<![A-Z])(?<!\bNo)\.(?=\s|$)|(?<=\bNo)\.(?=\s+\D|$)")
_CLAUSE_END = re.compile(r"[，,、:：—–()（）\"]|\s-\s")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def detect_lang(text: str) -> str:
    """``"zh"`` when Chinese characters outnumber Latin words, else ``"en"``.

    Examples
    --------
    >>> detect_lang("本产品保本保收益"), detect_lang("Hi 阿姨, this fund is great"), detect_lang("123")
    ('zh', 'en', 'en')
    """
    return "zh" if len(_CJK.findall(text)) > 2 * len(_LATIN_WORD.findall(text)) else "en"


@dataclass(frozen=True)
class Sentence:
    """One sentence: its offsets in the text and its normalised characters."""

    start: int
    end: int
    text: str

    @property
    def is_question(self) -> bool:
        """Ends with a question mark (a question asks; it promises nothing)."""
        return self.text.rstrip().rstrip(" \"')]").endswith(("?", "？"))


@dataclass
class Doc:
    """A text split for the detectors; build with ``Doc(text)``.

    Examples
    --------
    >>> d = Doc("Returns are not guaranteed. 理财非存款！")
    >>> [s.text for s in d.sentences]
    ['Returns are not guaranteed.', ' 理财非存款!']
    """

    raw: str
    norm: str = field(init=False)

    def __post_init__(self) -> None:
        self.norm = self.raw.translate(_TABLE)

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Sentences in reading order (a question mark, 。, ; or a line break ends one)."""
        cuts = [0] + [m.end() for m in _SENTENCE_END.finditer(self.norm)] + [len(self.norm)]
        spans = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if self.norm[a:b].strip()]
        return [Sentence(a, b, self.norm[a:b]) for a, b in spans]

    @cached_property
    def _starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_index(self, pos: int) -> int:
        """Index of the sentence holding character ``pos``."""
        return max(0, bisect_right(self._starts, pos) - 1)

    def sentence_at(self, pos: int) -> Sentence:
        """The sentence holding character ``pos``."""
        return self.sentences[self.sentence_index(pos)]

    def clause_before(self, pos: int) -> str:
        """Text from the start of ``pos``'s clause (a comma, colon or dash opens one) up to ``pos``."""
        sentence = self.sentence_at(pos)
        head = self.norm[sentence.start : pos]
        cut = [m.end() for m in _CLAUSE_END.finditer(head)]
        return head[cut[-1] :] if cut else head

    def asks(self, pos: int) -> bool:
        """Whether ``pos`` sits in the clause that a question mark closes ("…, why wait?" asks
        only "why wait").

        Examples
        --------
        >>> d = Doc("Best fund in town, why wait? Is it safe?")
        >>> d.asks(0), d.asks(d.norm.index("safe"))
        (False, True)
        """
        sentence = self.sentence_at(pos)
        if not sentence.is_question:
            return False
        return not _CLAUSE_END.search(self.norm[pos : sentence.end])

    def quoted(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` sits inside a pair of quotation marks of its sentence."""
        sentence = self.sentence_at(start)
        before = self.norm[sentence.start : start]
        after = self.norm[end : sentence.end]
        for q in ('"', "'"):
            opens = before.count(q) if q == '"' else len(re.findall(r"(?:^|[\s(])'", before))
            if opens % 2 == 1 and q in after:
                return True
        return False
