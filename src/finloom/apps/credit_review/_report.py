"""The hold-out comparison as a self-contained HTML page: metrics, calibration curves, score
distributions by outcome (matplotlib PNGs inlined; English labels)."""

from __future__ import annotations

import base64
import html
import io
from typing import Any

__all__ = ["comparison_html"]


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _charts(holdout: dict[str, Any]) -> list[tuple[str, str]]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 4))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="#999", linestyle="--", linewidth=1)
    for name, m in holdout.items():
        cal = m["calibration"]
        ax.plot([c["predicted"] for c in cal], [c["observed"] for c in cal], marker="o", label=name)
    ax.set(
        xlabel="predicted probability of default",
        ylabel="observed default rate",
        title="Calibration",
    )
    ax.legend()
    charts = [("calibration", _png(fig))]
    for name, m in holdout.items():
        dist = m["score_distribution"]
        fig = Figure(figsize=(5, 3))
        ax = fig.add_subplot()
        edges = dist["edges"]
        width = edges[1] - edges[0] if len(edges) > 1 else 1.0
        ax.bar(edges[:-1], dist["good"], width=width, align="edge", alpha=0.6, label="good")
        ax.bar(edges[:-1], dist["bad"], width=width, align="edge", alpha=0.6, label="bad")
        ax.set(xlabel="score", ylabel="applicants", title=f"Score distribution by outcome: {name}")
        ax.legend()
        charts.append((f"distribution-{name}", _png(fig)))
    return charts


def comparison_html(info: dict[str, Any]) -> str:
    """The comparison page of a fitted model's ``info`` (empty page when it has no hold-out).

    Examples
    --------
    >>> comparison_html({}).startswith("<!doctype html>")
    True
    """
    holdout = info.get("holdout", {})
    rows = "".join(
        f"<tr><td>{html.escape(n)}</td>"
        + "".join(f"<td>{m[k]:.4f}</td>" for k in ("auc", "ks", "gini", "brier"))
        + "</tr>"
        for n, m in holdout.items()
    )
    charts = (
        "".join(f'<figure><img alt="{k}" src="{src}"></figure>' for k, src in _charts(holdout))
        if holdout
        else ""
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Credit model comparison</title>'
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em .8em;border-bottom:1px solid #ddd}"
        "figure{display:inline-block;margin:1em}</style></head><body><h1>Scorecard vs challenger on the hold-out</h1>"
        f"<p>{info.get('n_train', 0)} training rows, {info.get('n_holdout', 0)} hold-out rows, bad rate "
        f"{info.get('bad_rate', 0):.2%}.</p><table><tr><th>model</th><th>AUC</th><th>KS</th><th>Gini</th>"
        f"<th>Brier</th></tr>{rows}</table>{charts}</body></html>"
    )
