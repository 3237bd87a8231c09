"""Containers for simulated market paths and scenario shocks."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from finloom.errors import ConfigError

__all__ = ["MarketPaths", "Shock"]


@dataclass(frozen=True)
class Shock:
    """A scenario shock: a simple return of ``size`` on business day ``day`` (0-based).

    ``asset`` limits the shock to one asset (default: every asset). The simulator then
    continues in a model-consistent way (the shock enters its volatility state).

    Examples
    --------
    >>> round(Shock(day=5, size=-0.2).log_return, 4)
    -0.2231
    """

    day: int
    size: float = -0.2
    asset: str | None = None

    @property
    def log_return(self) -> float:
        return float(np.log1p(self.size))

    def check(self, n_days: int, columns: list[str]) -> None:
        """Raise ConfigError when the shock does not fit the requested paths."""
        if not 0 <= self.day < n_days:
            raise ConfigError(f"shock day must be in [0, {n_days}); got {self.day}. "
                              "Pick a day inside the simulated horizon.")
        if not self.size > -1.0:
            raise ConfigError(f"shock size must be > -1 (a simple return); got {self.size}. "
                              "Use e.g. -0.2 for a 20% fall.")
        if self.asset is not None and self.asset not in columns:
            raise ConfigError(f"shock asset must be one of {columns}; got '{self.asset}'.")

    @classmethod
    def coerce(cls, shock: Shock | dict[str, object] | None) -> Shock | None:
        """Accept a Shock, a dict of its fields, or None."""
        if shock is None or isinstance(shock, Shock):
            return shock
        return cls(**shock)  # type: ignore[arg-type]


@dataclass
class MarketPaths:
    """Simulated paths: log returns and prices shaped ``(paths, days, assets)``.

    ``ohlcv`` (when the model was fitted on OHLCV data) maps Open/High/Low/Close/Volume to
    ``(paths, days)`` arrays for the single asset.

    Examples
    --------
    >>> r = np.zeros((2, 3, 1))
    >>> p = MarketPaths.from_returns(r, np.array([100.0]), pd.Timestamp("2024-01-05"), ["A"])
    >>> p.to_frame(0).index[0].date(), p.prices.shape
    (datetime.date(2024, 1, 8), (2, 3, 1))
    """

    returns: np.ndarray
    prices: np.ndarray
    index: pd.DatetimeIndex
    columns: list[str]
    ohlcv: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def from_returns(cls, returns: np.ndarray, last_prices: np.ndarray, last_date: pd.Timestamp,
                     columns: list[str]) -> MarketPaths:
        """Turn log returns into prices continuing from ``last_prices`` on business days."""
        prices = last_prices[None, None, :] * np.exp(np.cumsum(returns, axis=1))
        index = pd.bdate_range(last_date + pd.offsets.BDay(1), periods=returns.shape[1], name="Date")
        return cls(returns=returns, prices=prices, index=index, columns=list(columns))

    @property
    def n_paths(self) -> int:
        return int(self.returns.shape[0])

    def to_frame(self, path: int = 0) -> pd.DataFrame:
        """One path as a DataFrame on a business-day DatetimeIndex (OHLCV columns when known)."""
        if self.ohlcv:
            return pd.DataFrame({k: v[path] for k, v in self.ohlcv.items()}, index=self.index)
        return pd.DataFrame(self.prices[path], index=self.index, columns=self.columns)

    def to_long(self) -> pd.DataFrame:
        """All paths stacked: columns path, date, then one price column per asset."""
        n_p, n_d, _ = self.prices.shape
        frame = pd.DataFrame(self.prices.reshape(n_p * n_d, -1), columns=self.columns)
        frame.insert(0, "date", np.tile(self.index.values, n_p))
        frame.insert(0, "path", np.repeat(np.arange(n_p), n_d))
        return frame
