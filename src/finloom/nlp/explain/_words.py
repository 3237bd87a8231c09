"""Words of a text with their character offsets (Chinese per character) and word deletion."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Word", "delete_words", "split_words"]

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# one CJK character | a run of letters/digits (apostrophes inside) | any other visible character
WORD_RE = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])\w)+(?:['’](?:(?![{_CJK}])\w)+)*|[^\s\w]")


@dataclass(frozen=True)
class Word:
    """A word of a text: its ``text`` and character span ``[start, end)``."""

    text: str
    start: int
    end: int


def split_words(text: str) -> list[Word]:
    """Split ``text`` into words: letter/digit runs, single CJK characters, single symbols.

    Examples
    --------
    >>> [w.text for w in split_words("I can't pay, 卡丢了 👍")]
    ['I', "can't", 'pay', ',', '卡', '丢', '了', '👍']
    >>> split_words("lost card")[1]
    Word(text='card', start=5, end=9)
    """
    return [Word(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def delete_words(text: str, words: list[Word], drop: Iterable[int]) -> str:
    """``text`` without the words at positions ``drop`` (the text between words is kept, so
    Chinese stays unspaced; runs of spaces left behind are collapsed).

    Examples
    --------
    >>> t = "please block my card"
    >>> delete_words(t, split_words(t), [1])
    'please my card'
    >>> t = "我的卡丢了"
    >>> delete_words(t, split_words(t), [2])
    '我的丢了'
    """
    gone = set(drop)
    parts, pos = [], 0
    for i, w in enumerate(words):
        parts.append(text[pos:w.start])
        if i not in gone:
            parts.append(w.text)
        pos = w.end
    parts.append(text[pos:])
    return re.sub(r"[ \t]{2,}", " ", "".join(parts)).strip()
