"""UI strings in English and Chinese (zh-CN), chosen per request."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

__all__ = ["LANGUAGES", "translator"]

LANGUAGES = ("en", "zh")
_DIR = Path(__file__).with_name("locales")


@lru_cache(maxsize=len(LANGUAGES))
def _strings(lang: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    return data


def translator(lang: str) -> Callable[[str], str]:
    """A function that maps a string id to its text in ``lang`` (English as fallback).

    Examples
    --------
    >>> translator("zh")("nav.datasets")
    '数据集'
    >>> translator("xx")("nav.datasets")
    'Datasets'
    """
    lang = lang if lang in LANGUAGES else "en"
    strings, fallback = _strings(lang), _strings("en")
    return lambda key: strings.get(key) or fallback.get(key) or key
