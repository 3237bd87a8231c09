"""One small matplotlib chart per insight, as a PNG data URI (Agg, no global style changes)."""

from __future__ import annotations

import base64
import functools
import io
import os
from typing import Any

import numpy as np
import pandas as pd

from finloom.apps.insights._stats import Candidate

__all__ = ["insight_chart"]

_FONTS = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei"]
_CJK_FILES = ("notosanscjk", "notosanssc", "wqy-zenhei")
_UP, _DOWN, _BASE = "#c0392b", "#2471a3", "#7f8c8d"


@functools.lru_cache(maxsize=1)
def _fonts() -> tuple[str, ...]:
    """Fonts matplotlib can use, with CJK fonts installed after its cache was built added."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    if names.isdisjoint(_FONTS[1:]):
        for path in font_manager.findSystemFonts():
            if any(key in os.path.basename(path).lower() for key in _CJK_FILES):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError):
                    continue
        names = {f.name for f in font_manager.fontManager.ttflist}
    return tuple(f for f in _FONTS if f in names) or ("DejaVu Sans",)


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _series(ax: Any, c: Candidate, spec: dict[str, Any]) -> None:
    x, y = spec["x"], np.asarray(spec["y"], dtype=float)
    pos = np.arange(len(x))
    ax.plot(pos, y, color=_BASE, linewidth=1.3, marker="o", markersize=2.5)
    if "mark" in spec:
        k = int(spec["mark"])
        ax.hlines(
            [np.nanmean(y[:k]), np.nanmean(y[k:])],
            [0, k],
            [k - 1, len(y) - 1],
            colors=[_BASE, _UP],
            linewidth=2,
        )
        ax.axvline(k - 0.5, color=_UP, linestyle="--", linewidth=1)
    if spec.get("fit"):
        ok = np.isfinite(y)
        slope, icept = np.polyfit(pos[ok], y[ok], 1)
        ax.plot(pos, icept + slope * pos, color=_UP, linewidth=1.5)
    for i in spec.get("highlight", []):
        ax.plot([i], [y[i]], "o", color=_UP, markersize=6)
    step = max(1, len(x) // 8)
    ax.set_xticks(pos[::step], [str(v) for v in x[::step]], rotation=30, ha="right", fontsize=7)


def _bars(ax: Any, c: Candidate, spec: dict[str, Any]) -> None:
    y = np.asarray(spec["y"], dtype=float)
    colors = [_BASE] * len(y)
    if "mark" in spec:
        colors[int(spec["mark"])] = _UP if c.direction == "up" else _DOWN
    ax.bar(range(len(y)), y, color=colors)
    if "rest" in spec:
        ax.axhline(spec["rest"], color="black", linestyle="--", linewidth=1)
    ax.set_xticks(range(len(y)), spec["x"], rotation=30, ha="right", fontsize=7)
    if spec.get("xlabel"):
        ax.set_xlabel(spec["xlabel"], fontsize=8)


def _contrib(ax: Any, c: Candidate, spec: dict[str, Any]) -> None:
    y = np.asarray(spec["y"], dtype=float)
    ax.barh(spec["x"][::-1], y[::-1], color=[_UP if v >= 0 else _DOWN for v in y[::-1]])
    ax.axvline(0, color="black", linewidth=0.8)


def _scatter(ax: Any, c: Candidate, data: pd.DataFrame | None) -> None:
    if data is None or c.other is None:
        return
    sample = data.loc[:, [c.measure, c.other]].dropna()
    sample = sample.sample(min(len(sample), 2000), random_state=0)
    ax.scatter(sample[c.measure], sample[c.other], s=4, alpha=0.4, color=_BASE)
    ax.set_xlabel(c.measure, fontsize=8)
    ax.set_ylabel(str(c.other), fontsize=8)


def insight_chart(c: Candidate, title: str, data: pd.DataFrame | None = None) -> str:
    """The chart of one insight (series, bars, contributions or scatter) as a PNG data URI.

    Examples
    --------
    >>> c = Candidate("trend_break", "y", 1e-5, 1.0, 1.0, chart={"type": "series", "x": list("abcdef"),
    ...               "y": [1, 1, 1, 2, 2, 2], "mark": 3})
    >>> insight_chart(c, "y").startswith("data:image/png;base64,")
    True
    """
    import matplotlib
    from matplotlib.figure import Figure

    spec = c.chart
    with matplotlib.rc_context({"font.family": list(_fonts()), "font.size": 8}):
        fig = Figure(figsize=(6.0, 2.6), dpi=100)
        ax = fig.add_subplot(1, 1, 1)
        kind = spec.get("type")
        if kind == "series":
            _series(ax, c, spec)
        elif kind == "bars":
            _bars(ax, c, spec)
        elif kind == "contrib":
            _contrib(ax, c, spec)
        else:
            _scatter(ax, c, data)
        ax.set_title(title, fontsize=9)
        ax.grid(alpha=0.3)
        return _png(fig)
