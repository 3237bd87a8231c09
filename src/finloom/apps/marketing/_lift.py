"""Gains, lift and expected-profit curves, and the contact list at a budget: pure functions of
scores, outcomes, a contact cost and a margin (no model inside)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from finloom.errors import ConfigError, InvalidDataError

__all__ = ["contact_list", "contacts_for_budget", "gains_table", "profit_curve", "top_decile_lift"]


def _ranked(score: Any, y: Any | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    s = np.asarray(score, dtype=float)
    if s.ndim != 1 or len(s) == 0:
        raise InvalidDataError(f"scores must be a non-empty 1-D sequence; got shape {s.shape}.")
    if not np.isfinite(s).all():
        raise InvalidDataError("scores must be finite numbers; got NaN or infinity. Score every row first.")
    order = np.argsort(-s, kind="mergesort")  # stable: ties keep the input order
    if y is None:
        return order, None
    t = np.asarray(y, dtype=float)
    if t.shape != s.shape:
        raise InvalidDataError(f"outcomes must have one value per score ({len(s)}); got {len(t)}.")
    if not np.isin(t, (0.0, 1.0)).all():
        raise InvalidDataError("outcomes must be 0 or 1; got other values. Encode the response as 1.")
    return order, t


def gains_table(y: Sequence[int] | np.ndarray, score: Sequence[float] | np.ndarray, *, bins: int = 10) -> pd.DataFrame:
    """Cumulative gains and lift by score band (deciles by default), best-scored band first.

    Rows are ranked by score (ties in input order) and cut into ``bins`` bands of equal size (the
    first bands take one row more when ``len(y)`` is not a multiple of ``bins``).

    Parameters
    ----------
    y : 0/1 outcomes.
    score : model scores (higher = more likely to respond).
    bins : number of bands.

    Returns
    -------
    DataFrame with ``band, rows, responders, response_rate, cum_rows, cum_responders, cum_share,
    cum_gain, lift, cum_lift``.

    Examples
    --------
    >>> t = gains_table([1, 0, 1, 0, 0, 0, 1, 0, 0, 0], [.9, .8, .7, .6, .5, .4, .3, .2, .1, .0], bins=5)
    >>> t[["band", "responders", "cum_gain", "lift"]].round(3).values.tolist()
    [[1.0, 1.0, 0.333, 1.667], [2.0, 1.0, 0.667, 1.667], [3.0, 0.0, 0.667, 0.0], [4.0, 1.0, 1.0, 1.667], [5.0, 0.0, 1.0, 0.0]]
    """
    if not isinstance(bins, int) or bins < 1:
        raise ConfigError(f"bins must be an int >= 1; got {bins!r}.")
    order, t = _ranked(score, y)
    n = len(order)
    if bins > n:
        raise InvalidDataError(f"bins must be at most the number of rows ({n}); got {bins}. Use fewer bands.")
    ranked = np.asarray(t)[order]
    band = (np.arange(n) * bins) // n  # equal-size bands by rank
    base = ranked.mean()
    rows = np.bincount(band, minlength=bins).astype(float)
    hits = np.bincount(band, weights=ranked, minlength=bins)
    total = max(hits.sum(), 1e-12)
    cum_rows, cum_hits = rows.cumsum(), hits.cumsum()
    rate = hits / rows
    return pd.DataFrame({
        "band": np.arange(1, bins + 1),
        "rows": rows.astype(int),
        "responders": hits.astype(int),
        "response_rate": rate,
        "cum_rows": cum_rows.astype(int),
        "cum_responders": cum_hits.astype(int),
        "cum_share": cum_rows / n,
        "cum_gain": cum_hits / total,
        "lift": rate / base if base > 0 else np.zeros(bins),
        "cum_lift": (cum_hits / cum_rows) / base if base > 0 else np.zeros(bins),
    })


def top_decile_lift(y: Sequence[int] | np.ndarray, score: Sequence[float] | np.ndarray) -> float:
    """Response rate of the best-scored 10% over the overall rate.

    Examples
    --------
    >>> top_decile_lift([1] + [0] * 9 + [1] + [0] * 9, [1.0] + [0.5] * 18 + [0.0])
    5.0
    """
    return float(gains_table(y, score, bins=10)["lift"].iloc[0])


def _check_money(cost: float, margin: float) -> None:
    if not (isinstance(cost, int | float) and math.isfinite(cost) and cost > 0):
        raise ConfigError(f"cost must be a positive number per contact; got {cost!r}. E.g. cost=2.5.")
    if not (isinstance(margin, int | float) and math.isfinite(margin) and margin > 0):
        raise ConfigError(f"margin must be a positive number per response; got {margin!r}. E.g. margin=120.")


def profit_curve(p: Sequence[float] | np.ndarray, *, cost: float, margin: float) -> pd.DataFrame:
    """Expected profit of contacting the best ``k`` customers, for every ``k`` from 0 to ``n``.

    Each contact costs ``cost`` and a response earns ``margin``, so contacting a customer with
    response probability ``p`` is worth ``p·margin − cost``; customers are taken by that value
    (equivalently by ``p``), best first.

    Returns
    -------
    DataFrame with ``contacts, spend, expected_responses, expected_profit`` (row 0 = nobody).

    Examples
    --------
    >>> curve = profit_curve([0.5, 0.1, 0.2], cost=1.0, margin=10.0)
    >>> curve["expected_profit"].round(2).tolist()
    [0.0, 4.0, 5.0, 5.0]
    """
    _check_money(cost, margin)
    order, _ = _ranked(p)
    prob = np.asarray(p, dtype=float)[order]
    if ((prob < 0) | (prob > 1)).any():
        raise InvalidDataError("probabilities must lie in [0, 1]; got values outside. Use calibrated scores.")
    k = np.arange(len(prob) + 1)
    responses = np.concatenate([[0.0], prob.cumsum()])
    return pd.DataFrame({
        "contacts": k,
        "spend": k * float(cost),
        "expected_responses": responses,
        "expected_profit": responses * float(margin) - k * float(cost),
    })


def contacts_for_budget(budget: float, cost: float, n: int) -> int:
    """How many customers a budget pays for: ``floor(budget / cost)``, at most ``n``.

    Examples
    --------
    >>> contacts_for_budget(100, 3, 50), contacts_for_budget(1000, 3, 50)
    (33, 50)
    >>> contacts_for_budget(0, 3, 50)
    Traceback (most recent call last):
    ...
    finloom.errors.ConfigError: budget must be a positive amount that pays for at least one contact (cost 3); got 0. Raise the budget or lower the cost.
    """
    if not (isinstance(budget, int | float) and math.isfinite(budget)) or budget < cost or budget <= 0:
        raise ConfigError(
            f"budget must be a positive amount that pays for at least one contact (cost {cost:g}); "
            f"got {budget!r}. Raise the budget or lower the cost."
        )
    return int(min(n, math.floor(budget / cost + 1e-9)))


def contact_list(
    ids: Sequence[Any] | np.ndarray,
    p: Sequence[float] | np.ndarray,
    *,
    budget: float,
    cost: float,
    margin: float,
) -> pd.DataFrame:
    """The customers to contact at a budget: the top ``budget // cost`` by expected profit.

    Returns
    -------
    DataFrame ``rank, id, probability, expected_profit, cum_expected_profit`` (best first).

    Examples
    --------
    >>> contact_list(["a", "b", "c"], [0.05, 0.5, 0.2], budget=2, cost=1, margin=10)[["rank", "id"]].values.tolist()
    [[1, 'b'], [2, 'c']]
    """
    _check_money(cost, margin)
    identifiers = np.asarray(ids, dtype=object)
    prob = np.asarray(p, dtype=float)
    if len(identifiers) != len(prob):
        raise InvalidDataError(f"ids must have one value per probability ({len(prob)}); got {len(identifiers)}.")
    n = contacts_for_budget(budget, cost, len(prob))
    order, _ = _ranked(prob)
    top = order[:n]
    value = prob[top] * float(margin) - float(cost)
    return pd.DataFrame({
        "rank": np.arange(1, n + 1),
        "id": identifiers[top],
        "probability": prob[top],
        "expected_profit": value,
        "cum_expected_profit": value.cumsum(),
    })
