"""Report charts as PNG data URIs (matplotlib, Agg backend, no global style changes)."""

from __future__ import annotations

import base64
import functools
import io
import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import numpy as np
import pandas as pd

__all__ = ["bar_chart", "correlation_heatmap", "drawdown_chart", "line_chart"]

_F = TypeVar("_F", bound=Callable[..., str])
_FONTS = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei"]
_CJK_FILES = ("notosanscjk", "notosanssc", "wqy-zenhei")  # font files that hold the names above


@functools.lru_cache(maxsize=1)
def _installed_fonts() -> frozenset[str]:
    """Font names matplotlib can use, adding CJK fonts installed after its font cache was built
    (matplotlib scans the system once and would otherwise draw Chinese as empty boxes)."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    if names.isdisjoint(_FONTS[1:]):
        for path in font_manager.findSystemFonts():
            if any(key in os.path.basename(path).lower() for key in _CJK_FILES):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError):  # an unreadable font file is skipped, not fatal
                    continue
        names = {f.name for f in font_manager.fontManager.ttflist}
    return frozenset(names)


def _cjk_fonts(func: _F) -> _F:
    """Draw with a font list that falls back to a CJK font for Chinese labels."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        import matplotlib

        installed = _installed_fonts()
        fonts = [f for f in _FONTS if f in installed] or ["DejaVu Sans"]
        with matplotlib.rc_context({"font.family": fonts}):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _figure(width: float = 7.0, height: float = 3.0):  # type: ignore[no-untyped-def]
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    return fig, fig.add_subplot(1, 1, 1)


def _uri(fig) -> str:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


@_cjk_fonts
def line_chart(series: pd.DataFrame, title: str, labels: Mapping[str, str]) -> str:
    """Lines rebased to 100 at the first date.

    Examples
    --------
    >>> df = pd.DataFrame({"A": [1.0, 2.0]}, index=pd.date_range("2024-01-01", periods=2))
    >>> line_chart(df, "t", {}).startswith("data:image/png;base64,")
    True
    """
    fig, ax = _figure()
    rebased = series / series.iloc[0] * 100
    for col in rebased.columns:
        ax.plot(rebased.index, rebased[col], label=labels.get(str(col), str(col)), linewidth=1.2)
    ax.set_title(title)
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return _uri(fig)


@_cjk_fonts
def drawdown_chart(series: pd.DataFrame, title: str, labels: Mapping[str, str]) -> str:
    """Drawdown from the running peak, in percent."""
    fig, ax = _figure()
    dd = (series / series.cummax() - 1) * 100
    for col in dd.columns:
        ax.plot(dd.index, dd[col], label=labels.get(str(col), str(col)), linewidth=1.0)
    ax.set_title(title)
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return _uri(fig)


@_cjk_fonts
def correlation_heatmap(corr: pd.DataFrame, title: str, labels: Mapping[str, str]) -> str:
    """Correlation matrix heatmap with values."""
    n = len(corr)
    fig, ax = _figure(1.6 + 1.1 * n, 1.2 + 1.0 * n)
    values = corr.to_numpy(dtype=float)
    ax.imshow(values, vmin=-1, vmax=1, cmap="RdBu_r")
    names = [labels.get(str(c), str(c)) for c in corr.columns]
    ax.set_xticks(np.arange(n), names, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(np.arange(n), names, fontsize=8)
    for i in range(n):
        for j in range(n):
            ax.text(j, i, f"{values[i, j]:.2f}", ha="center", va="center", fontsize=8)
    ax.set_title(title)
    return _uri(fig)


@_cjk_fonts
def bar_chart(values: Mapping[str, float], title: str, labels: Mapping[str, str]) -> str:
    """Horizontal bars (e.g. contributions)."""
    fig, ax = _figure(6.0, 0.8 + 0.5 * len(values))
    names = [labels.get(str(k), str(k)) for k in values]
    vals = list(values.values())
    ax.barh(names, vals, color=["#2a7" if v >= 0 else "#c33" for v in vals])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_title(title)
    return _uri(fig)
