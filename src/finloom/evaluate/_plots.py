"""Report figures: marginals real vs synthetic, correlation difference heatmap, 2-D PCA overlay."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from finloom.evaluate._common import Roles, as_text, embed_minmax_onehot, to_numeric_frame
from finloom.evaluate._html import figure_img, new_figure

__all__ = ["correlation_difference_img", "marginals_img", "pca_overlay_img"]

_REAL, _SYN = "#1f77b4", "#ff7f0e"
_MAX_CATEGORIES_SHOWN = 12
_MAX_POINTS = 2_000
# font sizes in points; the report shows figures at about 90 px per inch, so 9 pt reads as ~11 px
TICK_SIZE, LEGEND_SIZE, TITLE_SIZE = 9, 9, 11


def _plot_continuous(ax: object, real: pd.Series, syn: pd.Series) -> None:
    r, s = real.dropna().to_numpy(dtype=float), syn.dropna().to_numpy(dtype=float)
    both = np.r_[r, s]
    if len(both) == 0:
        return
    lo, hi = np.nanpercentile(both, [0.5, 99.5]) if len(both) > 50 else (both.min(), both.max())
    bins = np.linspace(lo, hi if hi > lo else lo + 1.0, 31)
    ax.hist(r, bins=bins, density=True, alpha=0.5, color=_REAL, label="real")  # type: ignore[attr-defined]
    ax.hist(s, bins=bins, density=True, alpha=0.5, color=_SYN, label="synthetic")  # type: ignore[attr-defined]


def _plot_discrete(ax: object, real: pd.Series, syn: pd.Series) -> None:
    fr = as_text(real).value_counts(normalize=True)
    fs = as_text(syn).value_counts(normalize=True)
    cats = list(fr.index[:_MAX_CATEGORIES_SHOWN])
    x = np.arange(len(cats))
    ax.bar(x - 0.2, fr.reindex(cats, fill_value=0).to_numpy(), 0.4, color=_REAL, label="real")  # type: ignore[attr-defined]
    ax.bar(x + 0.2, fs.reindex(cats, fill_value=0).to_numpy(), 0.4, color=_SYN, label="synthetic")  # type: ignore[attr-defined]
    ax.set_xticks(x, [c[:10] for c in cats], rotation=60, fontsize=TICK_SIZE)  # type: ignore[attr-defined]


def marginals_img(real: pd.DataFrame, synthetic: pd.DataFrame, roles: Roles, *, max_columns: int = 40) -> str:
    """One small panel per column: histograms (continuous) or bar charts (discrete), as ``<img>``.

    Examples
    --------
    >>> from finloom.data import Metadata
    >>> from finloom.evaluate._common import roles_of
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "x"]})
    >>> marginals_img(df, df, roles_of(Metadata.infer(df))).startswith("<img")
    True
    """
    columns = roles.used[:max_columns]
    n_cols = min(4, max(1, len(columns)))
    n_rows = math.ceil(len(columns) / n_cols)
    r_num, s_num = to_numeric_frame(real, roles.continuous), to_numeric_frame(synthetic, roles.continuous)
    with new_figure(3.4 * n_cols, 2.8 * n_rows) as fig:
        for i, col in enumerate(columns):
            ax = fig.add_subplot(n_rows, n_cols, i + 1)
            if col in roles.continuous:
                _plot_continuous(ax, r_num[col], s_num[col])
            else:
                _plot_discrete(ax, real[col], synthetic[col])
            ax.set_title(str(col)[:30], fontsize=TITLE_SIZE)
            ax.tick_params(labelsize=TICK_SIZE)
            if i == 0:
                ax.legend(fontsize=LEGEND_SIZE)
        fig.tight_layout()
        return figure_img(fig, "marginal distributions, real vs synthetic")


def _association(df: pd.DataFrame, roles: Roles, ref: pd.DataFrame) -> pd.DataFrame:
    """Pearson correlation of numbers and category codes (codes ordered by real frequency)."""
    frame = to_numeric_frame(df, roles.continuous)
    for col in roles.discrete:
        order = as_text(ref[col]).value_counts().index
        frame[col] = pd.Index(order).get_indexer(as_text(df[col])).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return frame[roles.used].corr().fillna(0.0)


def correlation_difference_img(real: pd.DataFrame, synthetic: pd.DataFrame, roles: Roles) -> str:
    """Heatmap of ``corr(real) - corr(synthetic)`` over all used columns, as ``<img>``.

    Categories enter as codes ordered by their real frequency, so the map is a rough guide for
    them; the pair-trend table gives the exact contingency scores.

    Examples
    --------
    >>> from finloom.data import Metadata
    >>> from finloom.evaluate._common import roles_of
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 3.0, 2.0]})
    >>> correlation_difference_img(df, df, roles_of(Metadata.infer(df))).startswith("<img")
    True
    """
    diff = _association(real, roles, real) - _association(synthetic, roles, real)
    n = len(diff)
    size = min(13.0, 3.0 + 0.4 * n)
    with new_figure(size, size * 0.85) as fig:
        ax = fig.add_subplot()
        im = ax.imshow(diff.to_numpy(), cmap="RdBu_r", vmin=-1, vmax=1)
        labels = [str(c)[:18] for c in diff.columns]
        ax.set_xticks(range(n), labels, rotation=90, fontsize=TICK_SIZE)
        ax.set_yticks(range(n), labels, fontsize=TICK_SIZE)
        ax.tick_params(labelsize=TICK_SIZE)
        ax.set_title("correlation(real) - correlation(synthetic)", fontsize=TITLE_SIZE)
        fig.colorbar(im, ax=ax, shrink=0.7)
        return figure_img(fig, "correlation difference heatmap")


def pca_overlay_img(
    real: pd.DataFrame, synthetic: pd.DataFrame, roles: Roles, *, random_state: int = 0
) -> str:
    """Scatter of real and synthetic rows on the first two principal components of the real rows.

    Examples
    --------
    >>> from finloom.data import Metadata
    >>> from finloom.evaluate._common import roles_of
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 3.0, 2.0]})
    >>> pca_overlay_img(df, df, roles_of(Metadata.infer(df))).startswith("<img")
    True
    """
    rng = np.random.default_rng(random_state)
    r = real.iloc[rng.permutation(len(real))[:_MAX_POINTS]]
    s = synthetic.iloc[rng.permutation(len(synthetic))[:_MAX_POINTS]]
    e_r, e_s = embed_minmax_onehot([r, s], roles, real)
    mean = e_r.mean(axis=0)
    _, _, vt = np.linalg.svd(e_r - mean, full_matrices=False)
    comps = vt[:2].T if vt.shape[0] >= 2 else np.eye(e_r.shape[1], 2)
    p_r, p_s = (e_r - mean) @ comps, (e_s - mean) @ comps
    with new_figure(5.5, 4.5) as fig:
        ax = fig.add_subplot()
        ax.scatter(p_r[:, 0], p_r[:, 1], s=4, alpha=0.4, color=_REAL, label="real")
        ax.scatter(p_s[:, 0], p_s[:, 1], s=4, alpha=0.4, color=_SYN, label="synthetic")
        ax.set_xlabel("PC 1", fontsize=LEGEND_SIZE)
        ax.set_ylabel("PC 2", fontsize=LEGEND_SIZE)
        ax.tick_params(labelsize=TICK_SIZE)
        ax.legend(fontsize=LEGEND_SIZE)
        ax.set_title("2-D PCA of the real rows, synthetic rows projected", fontsize=TITLE_SIZE)
        return figure_img(fig, "PCA overlay")
