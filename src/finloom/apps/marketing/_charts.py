"""The campaign's charts as PNG bytes (matplotlib, Agg): cumulative gains with lift, and the
expected-profit curve with the budget marked."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

__all__ = ["gains_chart_png", "profit_chart_png"]

_LABELS = {
    "en": {"share": "share of customers contacted", "gain": "share of responders reached", "model": "model",
           "random": "random", "contacts": "customers contacted", "profit": "expected profit", "budget": "budget"},
    "zh": {"share": "Contacted share", "gain": "Responders reached", "model": "Model", "random": "Random",
           "contacts": "Customers contacted", "profit": "Expected profit", "budget": "Budget"},
}


def _png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def gains_chart_png(gains: pd.DataFrame, *, lang: str = "en") -> bytes:
    """Cumulative gains of the model against random contact (the lift is the gap), as PNG bytes.

    Examples
    --------
    >>> t = pd.DataFrame({"cum_share": [0.5, 1.0], "cum_gain": [0.8, 1.0], "lift": [1.6, 0.4]})
    >>> gains_chart_png(t)[:4] == b"\\x89PNG"
    True
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    words = _LABELS["zh" if lang == "zh" else "en"]
    fig, ax = plt.subplots(figsize=(5.5, 3.4), dpi=100)
    x = [0.0, *gains["cum_share"].tolist()]
    ax.plot(x, [0.0, *gains["cum_gain"].tolist()], marker="o", color="#2471a3", label=words["model"])
    ax.plot([0, 1], [0, 1], ls="--", color="#7f8c8d", label=words["random"])
    ax.set_xlabel(words["share"])
    ax.set_ylabel(words["gain"])
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    return _png(fig)


def profit_chart_png(curve: pd.DataFrame, *, budget_contacts: int, lang: str = "en") -> bytes:
    """Expected profit against the number of customers contacted, the budget's count marked.

    Examples
    --------
    >>> c = pd.DataFrame({"contacts": [0, 1, 2], "expected_profit": [0.0, 4.0, 5.0]})
    >>> profit_chart_png(c, budget_contacts=1)[:4] == b"\\x89PNG"
    True
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    words = _LABELS["zh" if lang == "zh" else "en"]
    step = max(1, len(curve) // 400)  # at most ~400 points drawn
    part = curve.iloc[::step]
    fig, ax = plt.subplots(figsize=(5.5, 3.4), dpi=100)
    ax.plot(part["contacts"], part["expected_profit"], color="#1e8449")
    ax.axvline(budget_contacts, color="#c0392b", ls="--", lw=1.2, label=words["budget"])
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xlabel(words["contacts"])
    ax.set_ylabel(words["profit"])
    ax.legend(loc="lower left", fontsize=8)
    ax.grid(alpha=0.3)
    return _png(fig)
