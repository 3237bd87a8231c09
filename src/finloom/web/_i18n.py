"""UI strings in English and Chinese (zh-CN), chosen per request."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

__all__ = ["LANGUAGES", "translate_message", "translator"]

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


@lru_cache(maxsize=len(LANGUAGES))
def _message_rules(lang: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Ordered (pattern, replacement) pairs that put engine progress messages into ``lang``."""
    path = _DIR / f"messages.{lang}.json"
    if not path.is_file():
        return ()
    pairs: list[list[str]] = json.loads(path.read_text(encoding="utf-8"))
    return tuple((re.compile(pattern), replacement) for pattern, replacement in pairs)


def translate_message(lang: str, message: str | None) -> str:
    """A job's progress or final message in ``lang`` (engines write them in English).

    Each known phrase is replaced in turn, so composed messages ("epoch 2/5 val loss 0.41")
    are translated piece by piece; numbers and names pass through unchanged.

    Examples
    --------
    >>> translate_message("zh", "epoch 2/5 val loss 0.413")
    '第 2/5 轮 验证损失 0.413'
    >>> translate_message("en", "epoch 2/5")
    'epoch 2/5'
    """
    text = message or ""
    for pattern, replacement in _message_rules(lang):
        text = pattern.sub(replacement, text)
    return text
