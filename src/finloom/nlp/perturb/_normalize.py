"""Input normalisation, a cheap defence against surface noise: NFKC (full-width -> half-width),
traditional -> simplified characters (the lexicon's table) and runs of whitespace collapsed."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from finloom.nlp.perturb._lexicon import load_lexicon

__all__ = ["normalize_text"]

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _simplified() -> dict[int, str]:
    return {ord(t): s for s, t in load_lexicon().traditional.items()}


def normalize_text(text: str) -> str:
    """``text`` in NFKC form, simplified characters, single spaces, stripped.

    Examples
    --------
    >>> normalize_text("  Ｃａｒｄ   ｌｏｓｔ\\t轉賬失敗 ")
    'Card lost 转账失败'
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", str(text)).translate(_simplified())).strip()
