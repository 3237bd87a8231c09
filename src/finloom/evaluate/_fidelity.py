"""Fidelity: column shapes (KS / TVD complements) and column pair trends, scored like sdmetrics.

The overall score is the mean of the two property scores, each the mean over columns / pairs
(pairs that cannot be scored or are unrelated in the real data are left out), so the figure
is comparable with sdmetrics' single-table ``QualityReport`` (checked against sdmetrics 0.32).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from finloom.data import Metadata
from finloom.evaluate._common import Roles, check_tables, to_numeric_frame
from finloom.evaluate._html import section, table
from finloom.evaluate._result import EvaluationResult

__all__ = [
    "FidelityResult",
    "contingency_similarity",
    "correlation_similarity",
    "cramers_v",
    "evaluate_fidelity",
    "ks_complement",
    "tv_complement",
]

_KS_DECIMALS = 14  # sdmetrics rounds to sys.float_info.dig - 1 before the KS test
_N_BINS = 10  # bins of a continuous column paired with a discrete one (sdmetrics' default)


def ks_complement(real: pd.Series, synthetic: pd.Series) -> float:
    """``1 - KS statistic`` between two numeric samples (nulls dropped); 1.0 means same shape.

    Examples
    --------
    >>> s = pd.Series([1.0, 2.0, 3.0])
    >>> ks_complement(s, s), ks_complement(s, s + 10)
    (1.0, 0.0)
    """
    from scipy.stats import ks_2samp

    r = pd.to_numeric(real, errors="coerce").dropna().to_numpy(dtype=float)
    s = pd.to_numeric(synthetic, errors="coerce").dropna().to_numpy(dtype=float)
    r, s = np.round(r, _KS_DECIMALS), np.round(s, _KS_DECIMALS)
    if len(r) == 0:
        return float("nan")
    if len(s) == 0:
        return 0.0
    return float(1.0 - ks_2samp(r, s, method="asymp").statistic)


def _frequencies(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "<null>").astype(str).value_counts(normalize=True)


def tv_complement(real: pd.Series, synthetic: pd.Series) -> float:
    """``1 - total variation distance`` between category frequencies (null is a category).

    Examples
    --------
    >>> tv_complement(pd.Series(["a", "b"]), pd.Series(["a", "a"]))
    0.5
    """
    fr, fs = _frequencies(real), _frequencies(synthetic)
    index = fr.index.union(fs.index)
    diff = (fr.reindex(index, fill_value=0.0) - fs.reindex(index, fill_value=0.0)).abs()
    return float(1.0 - 0.5 * diff.sum())


def correlation_similarity(
    real: pd.DataFrame, synthetic: pd.DataFrame, *, real_threshold: float = 0.0
) -> dict[str, float]:
    """``1 - |r_real - r_syn| / 2`` for the Pearson correlation of two numeric columns.

    Rows with a null are dropped. The score is ``nan`` (the pair does not count) when a column
    is constant or when ``real_threshold > 0`` and ``|r_real| <= real_threshold``.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 2.0, 3.5]})
    >>> flipped = df.assign(b=-df["b"])
    >>> round(correlation_similarity(df, flipped)["score"], 2)
    0.01
    """
    nan = float("nan")
    r_df, s_df = real.iloc[:, :2].dropna(), synthetic.iloc[:, :2].dropna()
    if (r_df.nunique() <= 1).any() or (s_df.nunique() <= 1).any():
        return {"score": nan, "real": nan, "synthetic": nan}
    corr = []
    for frame in (r_df, s_df):
        values = frame.to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            corr.append(float(np.corrcoef(values[:, 0], values[:, 1])[0, 1]))
    if np.isnan(corr[0]) or (real_threshold > 0 and abs(corr[0]) <= real_threshold) or np.isnan(corr[1]):
        return {"score": nan, "real": corr[0], "synthetic": corr[1]}
    return {"score": 1.0 - abs(corr[0] - corr[1]) / 2.0, "real": corr[0], "synthetic": corr[1]}


def cramers_v(frame: pd.DataFrame) -> float:
    """Cramér's V (no continuity correction) of two discrete columns; ``nan`` if undefined.

    Examples
    --------
    >>> cramers_v(pd.DataFrame({"a": ["x", "y", "x", "y"], "b": ["u", "v", "u", "v"]}))
    1.0
    """
    from scipy.stats.contingency import association

    cols = list(frame.columns[:2])
    table = frame.groupby(cols, dropna=False).size().unstack(fill_value=0)
    if table.to_numpy().sum() == 0 or min(table.shape) < 2:
        return float("nan")
    return float(association(table.to_numpy(), method="cramer"))


def contingency_similarity(
    real: pd.DataFrame, synthetic: pd.DataFrame, *, real_threshold: float = 0.0
) -> dict[str, float]:
    """``1 - TVD`` between the normalised 2-D contingency tables of two discrete columns.

    The score is ``nan`` (the pair does not count) when ``real_threshold > 0`` and the real
    columns' Cramér's V is undefined or ``<= real_threshold``.

    Examples
    --------
    >>> df = pd.DataFrame({"a": ["x", "y"], "b": ["u", "v"]})
    >>> contingency_similarity(df, df)["score"], contingency_similarity(df, df.assign(b=["v", "u"]))["score"]
    (1.0, 0.0)
    """
    cols = list(real.columns[:2])
    association = float("nan")
    if real_threshold > 0:
        association = cramers_v(real)
        if np.isnan(association) or association <= real_threshold:
            return {"score": float("nan"), "real_association": association}
    tr = real.groupby(cols, dropna=False).size() / len(real)
    ts = synthetic.groupby(cols, dropna=False).size() / len(synthetic)
    index = tr.index.union(ts.index)
    diff = (tr.reindex(index, fill_value=0.0) - ts.reindex(index, fill_value=0.0)).abs()
    return {"score": float(1.0 - diff.fillna(0.0).sum() / 2.0), "real_association": association}


def _discretize(values: pd.Series) -> pd.Series:
    """10 equal-width bins of the table's own range (sdmetrics' ``np.histogram_bin_edges``)."""
    edges = np.histogram_bin_edges(values.dropna().to_numpy(dtype=float), bins=_N_BINS)
    return pd.Series(np.digitize(values.to_numpy(dtype=float), bins=edges), index=values.index)


def _prepare(df: pd.DataFrame, roles: Roles) -> tuple[pd.DataFrame, pd.DataFrame]:
    numeric = to_numeric_frame(df, roles.continuous)
    binned = pd.DataFrame({c: _discretize(numeric[c]) for c in roles.continuous}, index=df.index)
    discrete = df[roles.discrete].astype(object).where(df[roles.discrete].notna(), "<null>")
    return numeric, pd.concat([binned, discrete.astype(str)], axis=1)


def _column_shapes(real: pd.DataFrame, syn: pd.DataFrame, roles: Roles) -> list[dict[str, Any]]:
    rows = []
    r_num, s_num = to_numeric_frame(real, roles.continuous), to_numeric_frame(syn, roles.continuous)
    for col in roles.used:
        if col in roles.continuous:
            rows.append({"column": col, "metric": "KSComplement", "score": ks_complement(r_num[col], s_num[col])})
        else:
            rows.append({"column": col, "metric": "TVComplement", "score": tv_complement(real[col], syn[col])})
    return rows


def _pair_trends(real: pd.DataFrame, syn: pd.DataFrame, roles: Roles, order: list[str],
                 thresholds: tuple[float, float]) -> list[dict[str, Any]]:
    """One row per column pair: ``score`` counts only pairs related in the real data (``nan`` for the
    others, as sdmetrics leaves them out); ``score_all`` is the same similarity for every pair."""
    (r_num, r_disc), (s_num, s_disc) = _prepare(real, roles), _prepare(syn, roles)
    rows = []
    for a, b in itertools.combinations(order, 2):
        if a in roles.continuous and b in roles.continuous:
            res = correlation_similarity(r_num[[a, b]], s_num[[a, b]])
            related = not np.isnan(res["real"]) and abs(res["real"]) > thresholds[0]
            rows.append({"column_1": a, "column_2": b, "metric": "CorrelationSimilarity",
                         "score": res["score"] if related else float("nan"), "score_all": res["score"],
                         "real": res["real"], "synthetic": res["synthetic"]})
        else:
            res = contingency_similarity(r_disc[[a, b]], s_disc[[a, b]])
            association = cramers_v(r_disc[[a, b]]) if thresholds[1] > 0 else float("nan")
            related = thresholds[1] <= 0 or (not np.isnan(association) and association > thresholds[1])
            rows.append({"column_1": a, "column_2": b, "metric": "ContingencySimilarity",
                         "score": res["score"] if related else float("nan"), "score_all": res["score"],
                         "real": association, "synthetic": None})
    return rows


def _mean_score(rows: list[dict[str, Any]], key: str = "score") -> float:
    scores = np.array([r[key] for r in rows], dtype=float)
    scores = scores[~np.isnan(scores)]
    return float(scores.mean()) if len(scores) else float("nan")


@dataclass
class FidelityResult(EvaluationResult):
    """Column shapes and pair trends; ``score`` is their mean (sdmetrics' overall quality score).

    ``score`` and ``pair_trends_score`` count only the column pairs clearly related in the real
    data (sdmetrics' default); ``score_all_pairs`` and ``pair_trends_all_pairs_score`` are the same
    figures over every pair, so a synthesizer that invents or loses weak relations is not let off.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "x"]})
    >>> res = evaluate_fidelity(df, df, Metadata.infer(df))
    >>> res.score, res.column_shapes_score, res.pair_trends_score, res.score_all_pairs
    (1.0, 1.0, 1.0, 1.0)
    """

    title = "Fidelity"
    score: float
    column_shapes_score: float
    pair_trends_score: float
    column_shapes: list[dict[str, Any]] = field(default_factory=list)
    pair_trends: list[dict[str, Any]] = field(default_factory=list)
    score_all_pairs: float = float("nan")  # overall score with every column pair counted
    pair_trends_all_pairs_score: float = float("nan")  # pair trends over every column pair

    def section_html(self) -> str:
        summary = table(["property", "score"], [["Column shapes", self.column_shapes_score],
                                                ["Column pair trends (related pairs)", self.pair_trends_score],
                                                ["Column pair trends (all pairs)", self.pair_trends_all_pairs_score],
                                                ["Overall (related pairs)", self.score],
                                                ["Overall (all pairs)", self.score_all_pairs]])
        shapes = table(["column", "metric", "score"],
                       [[r["column"], r["metric"], r["score"]] for r in self.column_shapes])
        worst = sorted(self.pair_trends, key=lambda r: np.nan_to_num(r.get("score_all", r["score"]), nan=2.0))[:15]
        pairs = table(["column 1", "column 2", "metric", "score (related pairs)", "score (all pairs)"],
                      [[r["column_1"], r["column_2"], r["metric"], r["score"], r.get("score_all")] for r in worst])
        return section(self.title, summary, "<h3>Column shapes</h3>", shapes,
                       "<h3>Least similar column pairs</h3>", pairs,
                       note="1.0 = identical distributions; scored like sdmetrics' QualityReport.")


def evaluate_fidelity(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    metadata: Metadata,
    *,
    correlation_threshold: float = 0.5,
    association_threshold: float = 0.3,
) -> FidelityResult:
    """Score how well ``synthetic`` reproduces ``real``'s marginals and pairwise relations.

    Continuous columns (numerical, datetime) use the KS complement; discrete ones (categorical,
    boolean) the TVD complement. Numerical pairs compare Pearson correlations; other pairs
    compare contingency tables, continuous columns cut into 10 equal-width bins of each table's
    own range. As in sdmetrics >= 0.2x, only pairs related in the real data count towards the
    pair-trend score: ``|Pearson r| > correlation_threshold`` for numerical pairs, Cramér's V
    ``> association_threshold`` for the others (pass 0 to count every pair). The result also
    carries the all-pairs variant (``score_all_pairs``: every pair that can be scored counts,
    whatever the thresholds). Id and text columns are ignored.

    Parameters
    ----------
    real, synthetic : DataFrame
        Tables with the metadata's columns; not modified.
    metadata : Metadata
        Column kinds.
    correlation_threshold, association_threshold : float
        Minimum real relation for a pair to count (sdmetrics QualityReport's defaults).

    Returns
    -------
    FidelityResult

    Raises
    ------
    InvalidDataError
        Empty tables, mismatched columns, inf or non-numeric values in numerical columns.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> real = pd.DataFrame({"x": rng.normal(size=200), "y": rng.normal(size=200)})
    >>> real["y"] = real["x"] + 0.3 * real["y"]
    >>> shuffled = real.assign(y=rng.permutation(real["y"].to_numpy()))
    >>> res = evaluate_fidelity(real, shuffled, Metadata.infer(real))
    >>> res.column_shapes_score, res.pair_trends_score < 0.7
    (1.0, True)
    >>> res.score_all_pairs == res.score  # x and y are related: the only pair counts either way
    True
    """
    roles = check_tables(metadata, {"real": real, "synthetic": synthetic})
    order = [c for c in metadata.names if c in roles.used]
    shapes = _column_shapes(real, synthetic, roles)
    pairs = _pair_trends(real, synthetic, roles, order, (correlation_threshold, association_threshold))
    shapes_score = _mean_score(shapes)
    pairs_score, pairs_all_score = _mean_score(pairs), _mean_score(pairs, "score_all")
    return FidelityResult(
        score=_overall(shapes_score, pairs_score),
        column_shapes_score=shapes_score,
        pair_trends_score=pairs_score,
        column_shapes=shapes,
        pair_trends=pairs,
        score_all_pairs=_overall(shapes_score, pairs_all_score),
        pair_trends_all_pairs_score=pairs_all_score,
    )


def _overall(shapes_score: float, pairs_score: float) -> float:
    parts = [s for s in (shapes_score, pairs_score) if not np.isnan(s)]
    return float(np.mean(parts)) if parts else float("nan")
