"""Stylized-facts report: real vs synthetic returns, as a dict and as a self-contained HTML page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from finloom._serialization import to_jsonable
from finloom.evaluate import _html
from finloom.evaluate._stylized import (
    _as_paths,
    abs_acf,
    acf,
    correlation_error,
    discriminative_score,
    excess_kurtosis,
    gain_loss_asymmetry,
    hill_tail_index,
    leverage_effect,
    predictive_score,
    squared_acf,
)

__all__ = ["StylizedFactsReport", "stylized_facts_report"]

_SUMMARY_KEYS = ("mean", "std", "skew", "excess_kurtosis", "hill_left", "hill_right",
                 "leverage", "gain_loss_asymmetry")


def _summary(r: np.ndarray, leverage_lags: int) -> dict[str, float]:
    flat = r.ravel()
    return {
        "mean": float(flat.mean()), "std": float(flat.std()),
        "skew": float(stats.skew(flat)), "excess_kurtosis": excess_kurtosis(r),
        "hill_left": hill_tail_index(r, tail="left"), "hill_right": hill_tail_index(r, tail="right"),
        "leverage": float(leverage_effect(r, leverage_lags).mean()),
        "gain_loss_asymmetry": gain_loss_asymmetry(r),
    }


@dataclass
class StylizedFactsReport:
    """Stylized facts of real vs synthetic returns (kurtosis is *excess* kurtosis throughout).

    Attributes
    ----------
    real, synthetic : summary statistics (mean, std, skew, excess kurtosis, Hill indices, ...).
    acf_real, acf_synth, abs_acf_real, abs_acf_synth, sq_acf_real, sq_acf_synth : lags 1..max_lag.
    scores : w1, ks, abs_acf_mae, acf_mae, sq_acf_mae, disc_score, pred_score, ...
    """

    real: dict[str, float]
    synthetic: dict[str, float]
    acf_real: np.ndarray
    acf_synth: np.ndarray
    abs_acf_real: np.ndarray
    abs_acf_synth: np.ndarray
    sq_acf_real: np.ndarray
    sq_acf_synth: np.ndarray
    scores: dict[str, float]
    fan: np.ndarray | None = None  # (5, T) price quantiles 5/25/50/75/95 %
    qq: np.ndarray = field(default_factory=lambda: np.zeros((2, 0)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able dictionary of every figure (arrays as lists)."""
        out = {k: v for k, v in vars(self).items() if k not in ("fan", "qq")}
        return to_jsonable(out)  # type: ignore[no-any-return]

    def to_html(self, *, title: str = "Stylized facts: real vs synthetic") -> str:
        """A self-contained HTML page with tables, ACF curves, a QQ plot and a fan chart."""
        rows = [[k, self.real[k], self.synthetic[k]] for k in _SUMMARY_KEYS]
        parts = [
            _html.section("Scores", _html.key_value_table(self.scores),
                          note="disc_score = |accuracy − 0.5| of a classifier on 20-day windows "
                               "(0 is best); abs_acf_mae over lags 1–50."),
            _html.section("Return distribution", _html.table(["statistic", "real", "synthetic"], rows)),
            _html.section("Autocorrelation", self._acf_img()),
            _html.section("QQ plot", self._qq_img()),
        ]
        if self.fan is not None:
            parts.append(_html.section("Fan chart of simulated prices", self._fan_img()))
        return _html.page(title, *parts)

    def _acf_img(self) -> str:
        with _html.new_figure(10, 3) as fig:
            pairs = [("r", self.acf_real, self.acf_synth), ("|r|", self.abs_acf_real, self.abs_acf_synth),
                     ("r²", self.sq_acf_real, self.sq_acf_synth)]
            for i, (name, real, synth) in enumerate(pairs):
                ax = fig.add_subplot(1, 3, i + 1)
                lags = np.arange(1, len(real) + 1)
                ax.plot(lags, real, label="real")
                ax.plot(lags, synth, label="synthetic")
                ax.axhline(0, color="grey", lw=0.5)
                ax.set_title(f"ACF of {name}")
                ax.set_xlabel("lag (days)")
            fig.axes[0].legend()
            return _html.figure_img(fig, "ACF curves real vs synthetic")

    def _qq_img(self) -> str:
        with _html.new_figure(4, 4) as fig:
            ax = fig.add_subplot()
            ax.scatter(self.qq[0], self.qq[1], s=6)
            lo, hi = float(self.qq.min()), float(self.qq.max())
            ax.plot([lo, hi], [lo, hi], color="grey", lw=0.8)
            ax.set_xlabel("real quantiles")
            ax.set_ylabel("synthetic quantiles")
            return _html.figure_img(fig, "QQ plot of daily returns")

    def _fan_img(self) -> str:
        assert self.fan is not None
        with _html.new_figure(8, 3.5) as fig:
            ax = fig.add_subplot()
            t = np.arange(self.fan.shape[1])
            ax.fill_between(t, self.fan[0], self.fan[4], alpha=0.2, label="5–95%")
            ax.fill_between(t, self.fan[1], self.fan[3], alpha=0.35, label="25–75%")
            ax.plot(t, self.fan[2], label="median")
            ax.set_xlabel("business day")
            ax.legend()
            return _html.figure_img(fig, "fan chart of simulated price paths")


def stylized_facts_report(
    real: np.ndarray,
    synthetic: np.ndarray,
    *,
    synthetic_prices: np.ndarray | None = None,
    max_lag: int = 50,
    leverage_lags: int = 10,
    window: int = 20,
    random_state: int | None = 0,
) -> StylizedFactsReport:
    """Compare one real return series ``(T,)`` with synthetic paths ``(P, T')`` (log returns).

    ``real`` may be ``(T, A)`` and ``synthetic`` ``(P, T', A)``: univariate facts use the first
    asset and the cross-asset correlation error is added to ``scores``.

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> rep = stylized_facts_report(g.normal(0, .01, 600), g.normal(0, .01, (20, 100)))
    >>> abs(rep.synthetic["excess_kurtosis"]) < 0.5, "<html" in rep.to_html()
    (True, True)
    """
    real_arr, synth_arr = np.asarray(real, dtype=np.float64), np.asarray(synthetic, dtype=np.float64)
    extra: dict[str, float] = {}
    if real_arr.ndim == 2 and synth_arr.ndim == 3:
        if real_arr.shape[1] > 1:
            extra["correlation_error"] = correlation_error(real_arr, synth_arr)
        real_arr, synth_arr = real_arr[:, 0], synth_arr[..., 0]
    r, s = _as_paths(real_arr)[0], _as_paths(synth_arr)
    acfs = {f"{name}_{who}": fn(x, max_lag) for name, fn in
            (("acf", acf), ("abs_acf", abs_acf), ("sq_acf", squared_acf)) for who, x in
            (("real", r), ("synth", s))}
    pred = predictive_score(r, s)
    scores = {
        "w1": float(stats.wasserstein_distance(r, s.ravel())),
        "ks": float(stats.ks_2samp(r, s.ravel()).statistic),
        "acf_mae": float(np.abs(acfs["acf_real"] - acfs["acf_synth"]).mean()),
        "abs_acf_mae": float(np.abs(acfs["abs_acf_real"] - acfs["abs_acf_synth"]).mean()),
        "sq_acf_mae": float(np.abs(acfs["sq_acf_real"] - acfs["sq_acf_synth"]).mean()),
        "disc_score": discriminative_score(r, s, window=window, random_state=random_state),
        "pred_score": pred["tstr_mae"], "pred_score_real_baseline": pred["trtr_mae"], **extra,
    }
    probs = np.linspace(0.005, 0.995, 199)
    fan = None
    if synthetic_prices is not None:
        sp = np.asarray(synthetic_prices, dtype=np.float64)
        sp = sp[..., 0] if sp.ndim == 3 else sp
        fan = np.quantile(sp, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    return StylizedFactsReport(
        real=_summary(r[None, :], leverage_lags), synthetic=_summary(s, leverage_lags),
        acf_real=acfs["acf_real"], acf_synth=acfs["acf_synth"],
        abs_acf_real=acfs["abs_acf_real"], abs_acf_synth=acfs["abs_acf_synth"],
        sq_acf_real=acfs["sq_acf_real"], sq_acf_synth=acfs["sq_acf_synth"], scores=scores,
        fan=fan, qq=np.vstack([np.quantile(r, probs), np.quantile(s, probs)]),
    )
