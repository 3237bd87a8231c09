"""Strategy lab: vectorised back-tests over many synthetic market paths, walk-forward reports."""

from finloom.apps.strategy_lab._backtest import BacktestResult, backtest, reference_ma_crossover
from finloom.apps.strategy_lab._engine import METRICS, compute_metrics, net_returns
from finloom.apps.strategy_lab._strategies import STRATEGIES, make_grid, positions_for
from finloom.apps.strategy_lab.service import LabResult, run_lab, walk_forward

__all__ = [
    "METRICS",
    "STRATEGIES",
    "BacktestResult",
    "LabResult",
    "backtest",
    "compute_metrics",
    "make_grid",
    "net_returns",
    "positions_for",
    "reference_ma_crossover",
    "run_lab",
    "walk_forward",
]
