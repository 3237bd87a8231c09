"""Glyph statistics of printed numbers: core height and stroke width from the ink inside a word box.

An amount typed over a document in another font or size stands out from the other numbers of
the same page in these two measures; that is the editing check of :mod:`._crosscheck`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from PIL import Image

__all__ = ["GlyphStats", "glyph_stats", "is_number"]

_NUMBER = re.compile(r"^[-+]?[\d,.]*\d[\d,.]*$")


@dataclass(frozen=True)
class GlyphStats:
    """Core height (rows holding most of the ink, descenders of commas left out) and the median
    horizontal run of ink (the width of vertical strokes), both in pixels."""

    height: float
    stroke: float


def is_number(text: str) -> bool:
    """Whether ``text`` is printed digits (with separators).

    Examples
    --------
    >>> is_number("4,250.00"), is_number("2026"), is_number("Apr")
    (True, True, False)
    """
    return bool(_NUMBER.match(text)) and sum(c.isdigit() for c in text) >= 2


def glyph_stats(page: Image.Image, box: tuple[int, int, int, int]) -> GlyphStats | None:
    """Core height and stroke width of the dark ink inside ``box`` of a binarised ``page``.

    Examples
    --------
    >>> page = Image.new("L", (60, 40), 255)
    >>> page.paste(0, (10, 10, 14, 30)); page.paste(0, (20, 10, 24, 30))
    >>> glyph_stats(page, (5, 5, 30, 35))
    GlyphStats(height=20.0, stroke=4.0)
    """
    x0, y0, x1, y1 = box
    ink = np.asarray(page.crop((x0, y0, x1, y1)).convert("L")) < 128
    if ink.sum() < 10:
        return None
    rows = ink.sum(axis=1)
    height = float((rows >= 0.2 * rows.max()).sum())
    padded = np.pad(ink.astype(np.int8), ((0, 0), (1, 1)))
    edges = np.diff(padded, axis=1)
    starts, ends = np.nonzero(edges == 1), np.nonzero(edges == -1)
    runs = ends[1] - starts[1]
    return GlyphStats(height, float(np.median(runs)) if runs.size else 0.0)
