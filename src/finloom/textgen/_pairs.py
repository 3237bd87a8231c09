"""Currency pairs the text names besides the facts' own: EUR/JPY beside a USD/JPY close, 英镑兑人民币
beside a 欧元兑人民币 fixing.

A rate is about the two currencies of its pair, whichever way round it is quoted; a pair written in
codes (``EUR/JPY``, ``EURJPY``) or in Chinese (英镑兑人民币) whose two currencies are not those of any
pair the facts are about names another entity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from finloom.textgen._extract import Mention
from finloom.textgen._lexicon import PAIR_QUOTE_WORDS

__all__ = ["other_pairs", "pair_set"]

_ISO = {*PAIR_QUOTE_WORDS, "CNH", "SEK", "NOK", "DKK", "KRW", "INR", "BRL", "MXN", "ZAR", "TRY", "RUB", "TWD",
        "THB", "MYR", "IDR", "PLN", "HUF", "CZK", "ILS"}
_CODES = re.compile(r"(?<![A-Za-z])([A-Z]{3})\s?/\s?([A-Z]{3})(?![A-Za-z])|(?<![A-Za-z])([A-Z]{3})([A-Z]{3})(?![A-Za-z])")
_ZH_CODES = {w: code for code, words in PAIR_QUOTE_WORDS.items() for w in words if not w.isascii() and len(w) >= 2}
_ZH_WORD = "|".join(sorted(_ZH_CODES, key=len, reverse=True))
_ZH = re.compile(rf"(?:离岸|在岸)?({_ZH_WORD})(?:兑|/|／)(?:离岸|在岸)?({_ZH_WORD})")


def _code(c: str) -> str:
    return "CNY" if c == "CNH" else c


def _pairs(text: str) -> list[tuple[int, int, frozenset[str]]]:
    out: list[tuple[int, int, frozenset[str]]] = []
    for m in _CODES.finditer(text):
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if a in _ISO and b in _ISO and _code(a) != _code(b):
            out.append((m.start(), m.end(), frozenset({_code(a), _code(b)})))
    for m in _ZH.finditer(text):
        a, b = _ZH_CODES[m.group(1)], _ZH_CODES[m.group(2)]
        if a != b:
            out.append((m.start(), m.end(), frozenset({a, b})))
    return out


def pair_set(names: Iterable[str]) -> set[frozenset[str]]:
    """The currency pairs (as sets of codes, CNH as CNY) that ``names`` speak of.

    Examples
    --------
    >>> sorted(sorted(p) for p in pair_set(["USD/JPY", "欧元兑人民币中间价", "Harbor Bank"]))
    [['CNY', 'EUR'], ['JPY', 'USD']]
    """
    return {p for name in names for _, _, p in _pairs(name)}


def other_pairs(text: str, own: set[frozenset[str]], taken: list[bool]) -> list[Mention]:
    """Mentions (value ``"?" + name``) of the pairs in ``text`` that are none of the ``own`` pairs and
    stand where no known name does.

    Examples
    --------
    >>> own = pair_set(["USD/JPY"])
    >>> [(m.text, m.value) for m in other_pairs("EUR/JPY rose; JPY/USD and USDJPY held.", own, [False] * 39)]
    [('EUR/JPY', '?EUR/JPY')]
    """
    out: list[Mention] = []
    for a, b, codes in _pairs(text) if own else ():
        if codes not in own and not any(taken[a:b]):
            out.append(Mention(a, b, text[a:b], "?" + text[a:b]))
    return out
