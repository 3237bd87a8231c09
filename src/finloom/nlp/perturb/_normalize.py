"""Input normalisation, a cheap defence against surface noise: NFKC (full-width -> half-width),
traditional -> simplified characters (the lexicon's table), emoji removed and runs of whitespace
collapsed."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from finloom.nlp.perturb._lexicon import load_lexicon

__all__ = ["normalize_text"]

_SPACE = re.compile(r"\s+")
# pictographs, dingbats, symbol blocks, regional indicators, skin tones, variation selector 16 and
# the zero-width joiner: the bundled English encoder reads every one of them as [UNK]
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2300-\u23FF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+")


@lru_cache(maxsize=1)
def _simplified() -> dict[int, str]:
    return {ord(t): s for s, t in load_lexicon().traditional.items()}


def normalize_text(text: str) -> str:
    """``text`` in NFKC form, simplified characters, without emoji, single spaces, stripped.

    Examples
    --------
    >>> normalize_text("  Ｃａｒｄ   ｌｏｓｔ\\t轉賬失敗 🙏")
    'Card lost 转账失败'
    """
    text = unicodedata.normalize("NFKC", str(text)).translate(_simplified())
    return _SPACE.sub(" ", _EMOJI.sub(" ", text)).strip()
