"""The person a text addresses or names with a title ("王先生您好", "Dear Ms Patel", "Mr. Okafor, your ISA")
must be the customer the facts are about.

A client letter written from ``{"client": "李先生", ...}`` that greets 王先生 gives Mr Li's figures to
someone else. Only titled names are read (先生 / 女士 / 小姐 / Mr / Mrs / Ms / Dr + surname), and
only when the facts name a titled person too, so a bank, a fund or an adviser is never mistaken for
the customer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["titled_names", "wrong_addressees"]

_ZH_TITLE = re.compile(r"(?<=[\u4e00-\u9fff])(先生|女士|小姐|太太)")
_EN_TITLED = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+([A-Z][A-Za-z-]+(?:\s+[A-Z][A-Za-z-]+){0,2})")
_ZH_PREFIX = re.compile(r"^(?:客户|尊敬的|亲爱的|敬的|的|致)")


def _zh_before(text: str, at: int) -> str:
    """The up to three Chinese characters before a title: the name is among them (尊敬的王先生, 王建国先生)."""
    m = re.search(r"[\u4e00-\u9fff]{1,3}$", text[max(0, at - 3) : at])
    return m.group(0) if m else ""


def titled_names(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, name)`` of each titled person in ``text``: for Chinese the characters before
    the title (the surname among them), for English the surname.

    Examples
    --------
    >>> [n for *_, n in titled_names("王先生您好，尊敬的李女士")]
    ['王', '敬的李']
    >>> [n for *_, n in titled_names("Dear Mr. Haddad, thanks. Ms Patel agreed. Ms. Rachel Kim")]
    ['haddad', 'patel', 'rachel kim']
    """
    out = [(m.start() - len(b), m.end(), b) for m in _ZH_TITLE.finditer(text) if (b := _zh_before(text, m.start()))]
    out += [(m.start(), m.end(), m.group(2).lower()) for m in _EN_TITLED.finditer(text)]
    return sorted(out)


def _matches(said: str, known: str) -> bool:
    """Whether a titled name in the text (``said``) can be the facts' titled person (``known``)."""
    if said.isascii() != known.isascii():
        return False
    if said.isascii():  # "Ms Kim" of "Ms. Rachel Kim", "Ms Grace Wong" of "Ms Grace Wong"
        return said.split()[0] in known.split() or said.split()[-1] in known.split()
    name = _ZH_PREFIX.sub("", known) or known  # 客户张先生 → 张
    return name[0] in said


def wrong_addressees(text: str, names: Iterable[str]) -> list[tuple[int, int, str]]:
    """Titled names in ``text`` that are none of the titled people the facts name.

    Examples
    --------
    >>> wrong_addressees("王先生您好，您的组合今年以来收益6.4%。", ["李先生"])
    [(0, 3, '王')]
    >>> wrong_addressees("尊敬的客户李先生，您的组合今年以来收益6.4%。", ["李先生", "稳健组合"])
    []
    >>> wrong_addressees("王建国先生，您好", ["王建国先生"]), wrong_addressees("王先生，您好", ["王建国先生"])
    ([], [])
    >>> wrong_addressees("Dear Mr Haddad, your portfolio returned 4.1%.", ["Mr. Haddad"])
    []
    >>> wrong_addressees("Mrs. Grant's card spend", ["Mrs. Grant"]), wrong_addressees("Dear Ms Kim,", ["Ms. Rachel Kim"])
    ([], [])
    >>> wrong_addressees("张先生您好", ["客户张先生"]), wrong_addressees("Dear Ms Kim,", ["Ms. Rachel Lee"])
    ([], [(5, 11, 'kim')])
    >>> wrong_addressees("Dear Mr Haddad, your fund returned 4.1%.", ["Harbor Fund"])
    []
    """
    known = [name for n in names for *_, name in titled_names(n)]
    if not known:
        return []
    return [t for t in titled_names(text) if not any(_matches(t[2], k) for k in known)]
