"""Streaks written as ordinal words: "the third straight monthly increase", "a fifth consecutive hold".

An ordinal streak is a count of periods ("three months in a row") and so a number the text states;
the facts support it only when they give that count (``losing_streak_days: 10``). Two periods'
values (this month and the one before) cannot tell a third straight rise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["ordinal_streaks", "unsupported_streaks"]

_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12}
_STREAK = re.compile(rf"\b({'|'.join(_ORDINALS)})\s+(?:straight|consecutive|successive)\b", re.I)


def ordinal_streaks(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, count)`` of each ordinal streak in ``text``.

    Examples
    --------
    >>> ordinal_streaks("CPI rose again, the third straight monthly increase.")
    [(20, 34, 3)]
    >>> ordinal_streaks("The third quarter was strong.")
    []
    """
    return [(m.start(), m.end(), _ORDINALS[m.group(1).lower()]) for m in _STREAK.finditer(text)]


def unsupported_streaks(text: str, values: Iterable[float]) -> list[tuple[int, int, int]]:
    """The ordinal streaks whose count none of ``values`` (the facts' counts, not rates or amounts) gives.

    Examples
    --------
    >>> unsupported_streaks("the eighth straight hold", [4.35, 8])
    []
    >>> unsupported_streaks("the third straight monthly increase", [2, 12])
    [(4, 18, 3)]
    """
    counts = {abs(v) for v in values if float(v).is_integer()}
    return [s for s in ordinal_streaks(text) if s[2] not in counts]
