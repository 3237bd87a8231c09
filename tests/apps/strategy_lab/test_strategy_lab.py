"""Strategy lab: hand-computed metrics, the reference loop, strategies, walk-forward."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from finloom.apps.strategy_lab import (
    backtest,
    compute_metrics,
    make_grid,
    net_returns,
    positions_for,
    reference_ma_crossover,
    walk_forward,
)
from finloom.errors import ConfigError, InvalidDataError
from finloom.synth.market import StationaryBootstrap


def _paths(n: int = 4, t: int = 400, seed: int = 0) -> np.ndarray:
    g = np.random.default_rng(seed)
    return 100 * np.exp(np.cumsum(g.normal(0.0003, 0.01, (n, t)), axis=1))


def test_metrics_hand_computed() -> None:
    rets = np.array([0.01, -0.02, 0.03, 0.0])
    m = compute_metrics(rets, np.array([1.0, 1.0, 0.0, 1.0, 1.0]))
    equity = np.cumprod(1 + rets)
    assert m["total_return"] == pytest.approx(equity[-1] - 1)
    assert m["max_drawdown"] == pytest.approx(0.02)
    assert m["cagr"] == pytest.approx(equity[-1] ** (252 / 4) - 1)
    assert m["volatility"] == pytest.approx(rets.std() * np.sqrt(252))
    assert m["sharpe"] == pytest.approx(rets.mean() / rets.std() * np.sqrt(252))
    assert m["sortino"] == pytest.approx(rets.mean() / np.sqrt(0.02**2 / 4) * np.sqrt(252))
    assert m["calmar"] == pytest.approx(m["cagr"] / 0.02)
    assert m["hit_rate"] == pytest.approx(1 / 3)  # days 1, 2, 4 hold a position; one wins
    assert m["turnover"] == pytest.approx(3 / (4 / 252))


def test_net_returns_charges_costs_on_trades() -> None:
    px = np.array([[100.0, 110.0, 121.0, 121.0]])
    pos = np.array([[[1.0, 0.0, 1.0, 1.0]]])
    out = net_returns(px, pos, cost=0.001, slippage=0.001)
    np.testing.assert_allclose(out[0, 0], [0.1 - 0.002 - 0.002, -0.002, 0.0])


def test_vectorised_engine_matches_reference_loop() -> None:
    px = _paths(3, 300)
    grid = make_grid(fast=[3, 10], slow=[20, 50])
    res = backtest(px, "ma_crossover", grid, cost=2e-4, slippage=1e-4, chunk_size=2, n_jobs=2)
    worst = 0.0
    for p in range(3):
        for s, g in enumerate(grid):
            ref = reference_ma_crossover(px[p], g["fast"], g["slow"], cost=2e-4, slippage=1e-4)
            worst = max(worst, max(abs(v - res.metrics[k][p, s]) for k, v in ref.items()))
    assert worst < 1e-9
    assert res.n_backtests == 12


@pytest.mark.parametrize("name,grid", [
    ("momentum", [{"lookback": 20}]),
    ("mean_reversion", [{"lookback": 20, "z": 1.0}]),
    ("vol_target", [{"target": 0.1, "lookback": 20}]),
    ("buy_and_hold", [{}]),
])
def test_strategies_have_no_lookahead(name: str, grid: list[dict[str, float]]) -> None:
    px = _paths(2, 200)
    pos = positions_for(name, px, grid)
    changed = px.copy()
    changed[:, 150:] *= 1.5  # the future changes; positions up to day 149 must not
    np.testing.assert_array_equal(positions_for(name, changed, grid)[..., :150], pos[..., :150])


def test_buy_and_hold_tracks_the_asset() -> None:
    px = _paths(2, 100)
    res = backtest(px, "buy_and_hold", [{}])
    np.testing.assert_allclose(res.metrics["total_return"][:, 0], px[:, -1] / px[:, 0] - 1)


def test_user_signal_function_and_errors() -> None:
    px = _paths(2, 50)
    res = backtest(px, lambda p, lev: np.full(p.shape, lev), [{"lev": 0.5}, {"lev": 1.0}])
    assert res.metrics["volatility"][0, 1] == pytest.approx(2 * res.metrics["volatility"][0, 0])
    with pytest.raises(ConfigError, match="strategy must be one of"):
        backtest(px, "unknown", [{}])
    with pytest.raises(ConfigError, match="signal function must return"):
        backtest(px, lambda p: np.ones(3), [{}])
    with pytest.raises(InvalidDataError, match="finite and positive"):
        backtest(-px, "buy_and_hold", [{}])


def test_walk_forward_report() -> None:
    idx = pd.bdate_range("2012-01-01", periods=700)
    px = pd.Series(_paths(1, 700)[0], index=idx)
    grid = make_grid(fast=[5, 10], slow=[50])
    res = walk_forward(px, StationaryBootstrap(), "ma_crossover", grid, test_days=100,
                       n_paths=60, warmup_days=60)
    assert res.synthetic["sharpe"].shape == (60, 2)
    real_bh = walk_forward(px, StationaryBootstrap(), "buy_and_hold", [{}], test_days=100,
                           n_paths=5, warmup_days=60, cost=0.0)
    # buy-and-hold on the real window earns exactly the last 100 days' price change
    assert real_bh.real["total_return"][0] == pytest.approx(px.iloc[-1] / px.iloc[-101] - 1)
    risk = res.risk()[0]
    assert 0.0 <= risk["prob_loss"] <= 1.0 and risk["es"] >= risk["var"]
    json.dumps(res.to_dict())
    assert "<img" in res.to_html()
    with pytest.raises(InvalidDataError, match="at least test_days"):
        walk_forward(px.iloc[:100], StationaryBootstrap(), "buy_and_hold", [{}], test_days=100)


def _loop_test_window(px: np.ndarray, pos: np.ndarray, warmup: int, rate: float) -> tuple[float, float]:
    """Plain loop: flat before the test window, every trade (the opening one too) costs ``rate``."""
    held, equity, traded = 0.0, 1.0, 0.0
    opening = abs(pos[warmup])  # trade at the last training close, from flat
    traded += opening
    held = pos[warmup]
    for t in range(warmup + 1, len(px)):
        trade = abs(pos[t] - held)
        r = held * (px[t] / px[t - 1] - 1) - rate * trade - (rate * opening if t == warmup + 1 else 0.0)
        equity *= 1 + r
        traded += trade
        held = pos[t]
    return equity - 1, traded / ((len(px) - 1 - warmup) / 252)


@pytest.mark.parametrize("strategy,grid", [("buy_and_hold", [{}]),
                                           ("ma_crossover", [{"fast": 5, "slow": 20}])])
def test_walk_forward_charges_the_opening_trade(strategy: str, grid: list[dict[str, int]]) -> None:
    # regression: the opening trade of the test window was counted in turnover but never charged,
    # so buy-and-hold with cost 0.01 returned the gross return
    idx = pd.bdate_range("2012-01-01", periods=500)
    px = pd.Series(_paths(1, 500, seed=3)[0], index=idx)
    test_days, warmup, rate = 100, 60, 0.01
    res = walk_forward(px, StationaryBootstrap(), strategy, grid, test_days=test_days, n_paths=3,
                       warmup_days=warmup, cost=rate)
    window = px.to_numpy()[-test_days - warmup - 1:]
    pos = positions_for(strategy, window[None, :], grid)[0, 0]
    total, turnover = _loop_test_window(window, pos, warmup, rate)
    assert res.real["total_return"][0] == pytest.approx(total, abs=1e-12)
    assert res.real["turnover"][0] == pytest.approx(turnover, abs=1e-9)
    if strategy == "buy_and_hold":
        gross = window[-1] / window[warmup] - 1
        assert res.real["total_return"][0] < gross - 0.009
