"""Trading rules as vectorised position functions: prices (P, T) + a parameter grid → (P, S, T).

Every rule only uses prices up to day t to set the position for day t+1 (no look-ahead).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from finloom.errors import ConfigError

__all__ = ["STRATEGIES", "Strategy", "make_grid", "moving_averages", "positions_for"]

Strategy = Callable[..., np.ndarray]


def moving_averages(prices: np.ndarray, windows: Sequence[int]) -> dict[int, np.ndarray]:
    """Trailing simple moving averages via cumulative sums; NaN before the window is full.

    Prices are divided by their first value before summing so cumulative sums stay small
    (rounding error ≈ 1e-16 × T relative to the price level).

    Examples
    --------
    >>> moving_averages(np.array([[1.0, 2.0, 3.0, 4.0]]), [2])[2].tolist()
    [[nan, 1.5, 2.5, 3.5]]
    """
    base = prices[:, :1]
    scaled = prices / base
    cs = np.concatenate([np.zeros((prices.shape[0], 1)), np.cumsum(scaled, axis=1)], axis=1)
    out: dict[int, np.ndarray] = {}
    for w in sorted(set(int(w) for w in windows)):
        ma = np.full(prices.shape, np.nan)
        ma[:, w - 1:] = (cs[:, w:] - cs[:, :-w]) / w
        out[w] = ma * base
    return out


def _long(flag: np.ndarray, long_short: bool) -> np.ndarray:
    return np.where(flag, 1.0, -1.0 if long_short else 0.0)


def ma_crossover(prices: np.ndarray, grid: Sequence[dict[str, Any]], *, long_short: bool = False) -> np.ndarray:
    """Long (or long/short) while the ``fast`` moving average is above the ``slow`` one.

    Examples
    --------
    >>> px = np.array([[1.0, 2.0, 3.0, 2.0, 1.0]])
    >>> ma_crossover(px, [{"fast": 1, "slow": 2}]).tolist()
    [[[0.0, 1.0, 1.0, 0.0, 0.0]]]
    """
    mas = moving_averages(prices, [g[k] for g in grid for k in ("fast", "slow")])
    out = np.empty((prices.shape[0], len(grid), prices.shape[1]))
    for s, g in enumerate(grid):
        warmup = max(int(g["fast"]), int(g["slow"])) - 1
        np.greater(mas[int(g["fast"])], mas[int(g["slow"])], out=out[:, s])  # NaN compares False
        if long_short:
            out[:, s] = 2.0 * out[:, s] - 1.0
        out[:, s, :warmup] = 0.0
    return out


def momentum(prices: np.ndarray, grid: Sequence[dict[str, Any]], *, long_short: bool = False) -> np.ndarray:
    """Long when the ``lookback``-day return is positive (short when negative if long/short).

    Examples
    --------
    >>> momentum(np.array([[1.0, 2.0, 1.5, 1.0]]), [{"lookback": 1}]).tolist()
    [[[0.0, 1.0, 0.0, 0.0]]]
    """
    out = np.zeros((prices.shape[0], len(grid), prices.shape[1]))
    for s, g in enumerate(grid):
        k = int(g["lookback"])
        out[:, s, k:] = _long(prices[:, k:] > prices[:, :-k], long_short)
    return out


def mean_reversion(prices: np.ndarray, grid: Sequence[dict[str, Any]], *, long_short: bool = True) -> np.ndarray:
    """Long when price is ``z`` rolling standard deviations below its ``lookback`` mean, short above.

    Examples
    --------
    >>> px = np.array([[1.0, 1.0, 1.0, 0.5]])
    >>> mean_reversion(px, [{"lookback": 3, "z": 1.0}]).tolist()
    [[[0.0, 0.0, 0.0, 1.0]]]
    """
    out = np.zeros((prices.shape[0], len(grid), prices.shape[1]))
    for s, g in enumerate(grid):
        k, z = int(g["lookback"]), float(g["z"])
        win = np.lib.stride_tricks.sliding_window_view(prices, k, axis=1)  # (P, T-k+1, k)
        mean, std = win.mean(axis=-1), win.std(axis=-1)
        score = np.where(std > 0, (prices[:, k - 1:] - mean) / np.where(std > 0, std, 1.0), 0.0)
        pos = np.where(score < -z, 1.0, np.where(score > z, -1.0 if long_short else 0.0, 0.0))
        out[:, s, k - 1:] = pos
    return out


def vol_target(prices: np.ndarray, grid: Sequence[dict[str, Any]]) -> np.ndarray:
    """Long with leverage ``target / realised vol`` (``lookback`` days), capped at ``max_leverage``.

    Examples
    --------
    >>> px = 100 * np.exp(np.cumsum(np.full((1, 30), 0.01) * (-1) ** np.arange(30), axis=1))
    >>> float(vol_target(px, [{"target": 0.08, "lookback": 20}])[0, 0, -1].round(3))
    0.504
    """
    logr = np.diff(np.log(prices), axis=1, prepend=np.log(prices[:, :1]))
    cs = np.concatenate([np.zeros((prices.shape[0], 1)), np.cumsum(logr**2, axis=1)], axis=1)
    out = np.zeros((prices.shape[0], len(grid), prices.shape[1]))
    for s, g in enumerate(grid):
        k, target = int(g["lookback"]), float(g["target"])
        cap = float(g.get("max_leverage", 2.0))
        var = (cs[:, k + 1:] - cs[:, 1:-k]) / k  # returns of days t-k+1..t
        vol = np.sqrt(var * 252)
        out[:, s, k:] = np.minimum(np.where(vol > 0, target / np.where(vol > 0, vol, 1.0), cap), cap)
    return out


def buy_and_hold(prices: np.ndarray, grid: Sequence[dict[str, Any]]) -> np.ndarray:
    """Always fully long.

    Examples
    --------
    >>> buy_and_hold(np.ones((1, 3)), [{}]).tolist()
    [[[1.0, 1.0, 1.0]]]
    """
    return np.ones((prices.shape[0], max(len(grid), 1), prices.shape[1]))


STRATEGIES: dict[str, Strategy] = {
    "ma_crossover": ma_crossover,
    "momentum": momentum,
    "mean_reversion": mean_reversion,
    "vol_target": vol_target,
    "buy_and_hold": buy_and_hold,
}


def make_grid(**values: Sequence[Any]) -> list[dict[str, Any]]:
    """Cartesian product of parameter values as a list of dicts.

    Examples
    --------
    >>> make_grid(fast=[5, 10], slow=[50])
    [{'fast': 5, 'slow': 50}, {'fast': 10, 'slow': 50}]
    """
    grid: list[dict[str, Any]] = [{}]
    for name, options in values.items():
        grid = [{**g, name: v} for g in grid for v in options]
    return grid


def positions_for(strategy: str | Strategy, prices: np.ndarray, grid: Sequence[dict[str, Any]]) -> np.ndarray:
    """Positions ``(P, S, T)`` of a named strategy or of a user signal function.

    A user function receives ``(prices (P, T), **params)`` and returns positions ``(P, T)``.

    Examples
    --------
    >>> positions_for(lambda px, k: np.full(px.shape, k), np.ones((2, 4)), [{"k": 0.5}]).shape
    (2, 1, 4)
    """
    if isinstance(strategy, str):
        if strategy not in STRATEGIES:
            raise ConfigError(f"strategy must be one of {sorted(STRATEGIES)} or a callable; got {strategy!r}.")
        return STRATEGIES[strategy](prices, grid)
    out = np.stack([np.asarray(strategy(prices, **g), dtype=np.float64) for g in grid], axis=1)
    if out.shape != (prices.shape[0], len(grid), prices.shape[1]):
        raise ConfigError(f"a signal function must return positions shaped (paths, days) = "
                          f"{prices.shape}; got {out.shape[::2]}. Return one position per price.")
    return out
