"""Monitoring: population and characteristic stability (PSI / CSI), score drift, approval rates by
segment and the adverse impact ratio for a protected attribute the user marks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from finloom.errors import InvalidDataError, did_you_mean

__all__ = [
    "CSI_LEVELS",
    "FOUR_FIFTHS",
    "adverse_impact",
    "approval_by_segment",
    "csi_table",
    "psi",
    "psi_from_counts",
    "score_drift",
]

FOUR_FIFTHS = 0.8  # the usual adverse-impact threshold
CSI_LEVELS = (0.1, 0.25)  # the usual reading of PSI/CSI: below 0.1 stable, 0.1-0.25 watch, above shifted
_EPS = 1e-4


def psi_from_counts(expected: np.ndarray, actual: np.ndarray) -> float:
    """Population stability index of two count vectors over the same bins.

    Examples
    --------
    >>> psi_from_counts(np.array([50, 50]), np.array([50, 50]))
    0.0
    >>> round(psi_from_counts(np.array([50, 50]), np.array([80, 20])), 4)
    0.4159
    """
    e = np.maximum(np.asarray(expected, dtype=float) / max(np.sum(expected), 1), _EPS)
    a = np.maximum(np.asarray(actual, dtype=float) / max(np.sum(actual), 1), _EPS)
    return round(float(np.sum((a - e) * np.log(a / e))), 6)


def psi(expected: np.ndarray, actual: np.ndarray, bins: int = 10) -> float:
    """PSI of a numeric value (a score) on deciles of the development sample.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> psi(rng.normal(size=5000), rng.normal(size=5000)) < 0.01
    True
    """
    e = np.asarray(expected, dtype=float)
    edges = np.unique(np.quantile(e, np.linspace(0, 1, bins + 1))[1:-1])
    a = np.asarray(actual, dtype=float)
    return psi_from_counts(
        np.bincount(np.searchsorted(edges, e, side="right"), minlength=len(edges) + 1),
        np.bincount(np.searchsorted(edges, a, side="right"), minlength=len(edges) + 1),
    )


def score_drift(dev: np.ndarray, new: np.ndarray) -> dict[str, float]:
    """Mean, median and PSI of the score between the development sample and a new batch.

    Examples
    --------
    >>> score_drift(np.array([600.0, 610, 620]), np.array([590.0, 600, 610]))["mean_shift"]
    -10.0
    """
    return {
        "dev_mean": round(float(np.mean(dev)), 4),
        "new_mean": round(float(np.mean(new)), 4),
        "mean_shift": round(float(np.mean(new) - np.mean(dev)), 4),
        "median_shift": round(float(np.median(new) - np.median(dev)), 4),
        "psi": psi(dev, new),
    }


def approval_by_segment(segment: pd.Series, bands: list[str]) -> list[dict[str, Any]]:
    """Applications, approvals and approval rate per value of a segment column.

    Examples
    --------
    >>> approval_by_segment(pd.Series(["a", "a", "b"]), ["approve", "decline", "approve"])
    [{'segment': 'a', 'n': 2, 'approved': 1, 'approval_rate': 0.5}, {'segment': 'b', 'n': 1, 'approved': 1, 'approval_rate': 1.0}]
    """
    df = pd.DataFrame(
        {
            "segment": segment.astype(str).fillna("Missing").to_numpy(),
            "approved": np.asarray(bands) == "approve",
        }
    )
    out = []
    for seg, grp in df.groupby("segment", sort=True):
        n, ok = len(grp), int(grp["approved"].sum())
        out.append({"segment": str(seg), "n": n, "approved": ok, "approval_rate": round(ok / n, 6)})
    return out


def adverse_impact(data: pd.DataFrame, protected: str, bands: list[str]) -> dict[str, Any]:
    """Approval rate of each group of a protected attribute over the best-treated group's;
    groups below the four-fifths ratio are flagged.

    Examples
    --------
    >>> df = pd.DataFrame({"sex": ["f", "f", "m", "m"]})
    >>> out = adverse_impact(df, "sex", ["approve", "decline", "approve", "approve"])
    >>> out["groups"][0]["ratio"], out["flagged"]
    (0.5, ['f'])
    """
    if protected not in data.columns:
        raise InvalidDataError(
            f"protected attribute must be a column of the applications; got '{protected}'."
            f"{did_you_mean(protected, [str(c) for c in data.columns])}"
        )
    rows = approval_by_segment(data[protected], bands)
    best = max((r["approval_rate"] for r in rows), default=0.0)
    for r in rows:
        r["ratio"] = round(r["approval_rate"] / best, 6) if best > 0 else None
    flagged = [r["segment"] for r in rows if r["ratio"] is not None and r["ratio"] < FOUR_FIFTHS]
    return {"attribute": protected, "groups": rows, "threshold": FOUR_FIFTHS, "flagged": flagged}


def csi_table(csi: dict[str, float], *, scale: float = 0.5) -> list[dict[str, Any]]:
    """Per feature, largest first: its CSI, its level (``stable`` below 0.1, ``watch`` up to 0.25,
    ``shifted`` above) and the share of a bar of ``scale`` CSI it fills (what the page draws).

    Examples
    --------
    >>> [(r["feature"], r["level"], r["bar"]) for r in csi_table({"PAY_0": 0.02, "income": 0.3})]
    [('income', 'shifted', 0.6), ('PAY_0', 'stable', 0.04)]
    """
    rows = []
    for feature, value in sorted(csi.items(), key=lambda kv: (-kv[1], kv[0])):
        level = "stable" if value < CSI_LEVELS[0] else "watch" if value < CSI_LEVELS[1] else "shifted"
        rows.append(
            {
                "feature": feature,
                "csi": value,
                "level": level,
                "bar": round(min(max(value, 0.0) / scale, 1.0), 4),
            }
        )
    return rows
