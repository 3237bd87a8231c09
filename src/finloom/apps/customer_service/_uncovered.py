"""Bank services the help articles do not cover (safe deposit boxes, vaults, precious metals): a question about one gets "I don't know" and the offer of a person, never the
nearest article, which would only share a word with it ("deposit", 保险)."""

from __future__ import annotations

import re

from finloom.apps.customer_service._lang import normalize_text

__all__ = ["names_uncovered_service"]

_UNCOVERED = re.compile(
    r"\b(?:safe ?deposit (?:box|boxes|locker|lockers)|safety deposit|(?:bank )?(?:vault|locker) (?:rental|hire)|"
    r"rent (?:a |out )?(?:vault|locker)s?|gold (?:bars?|bullion)|bullion|precious metals?)\b"
    r"|保险箱|保管箱|贵金属|金条|实物黄金|纸黄金", re.I)


def names_uncovered_service(text: str) -> bool:
    """True when the message is about a bank service none of the help articles covers.

    Examples
    --------
    >>> names_uncovered_service("can I rent a safe deposit box at my branch?")
    True
    >>> names_uncovered_service("你们卖金条吗"), names_uncovered_service("are my deposits protected?")
    (True, False)
    """
    return bool(_UNCOVERED.search(normalize_text(text)))
