"""A percentage the text states as a share of a whole, not as a change between two figures.

"You saved 20% of your income" and "结余率为30%" give a part over a whole. One simple step from
``income`` and ``expenses`` gives their ratio (80 %) or their relative difference (−20 %); the
share saved is the difference *then* a ratio — two steps — so a relative difference that happens
to equal it in size must not be read as the share.
"""

from __future__ import annotations

import re

__all__ = ["stated_as_share"]

# a share named before the figure: 结余率 / 储蓄率 / "savings rate" / utilisation
_SHARE_NAME = re.compile(r"(?:结余|储蓄|盈余|节余)(?:率|比例|占比)[^，,。；;\d]{0,4}$|"
                         r"\b(?:savings?|saving) (?:rate|ratio)\b[^,;.\d]{0,12}$|"
                         r"\butili[sz]ation(?: rate)?\b[^,;.\d]{0,12}$", re.I)
# "20% of your income", "30% of the total": the whole named right after the figure
_OF_WHOLE = re.compile(r"^\s*of\s+(?:your|their|his|her|its|our|the|total|all|monthly|net|gross|take-home|\s)*"
                       r"(?:income|salary|pay|earnings|budget|total|spending|portfolio|assets|balance|收入)\b", re.I)


def stated_as_share(text: str, start: int, end: int, clause_start: int) -> bool:
    """Whether the percentage at ``text[start:end]`` is stated as a part of a whole.

    Examples
    --------
    >>> t = "Nice work: you saved 20% of your income in September."
    >>> stated_as_share(t, t.index("20%"), t.index("20%") + 3, 0)
    True
    >>> t = "您10月的结余率为30%。"
    >>> stated_as_share(t, t.index("30%"), t.index("30%") + 3, 0)
    True
    >>> t = "Your spending was 20% below your income in September."
    >>> stated_as_share(t, t.index("20%"), t.index("20%") + 3, 0)
    False
    """
    before = text[max(clause_start, start - 24) : start]
    return bool(_SHARE_NAME.search(before) or _OF_WHOLE.match(text[end : end + 40]))
