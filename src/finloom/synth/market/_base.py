"""The market-simulator contract: fit on prices, sample price paths, save/load without pickle."""

from __future__ import annotations

import os
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from finloom._base import BaseEstimator, check_random_state, validate_param
from finloom._serialization import load_state, save_state
from finloom.errors import ConfigError
from finloom.synth.market._data import OHLCV_COLUMNS, close_columns, load_prices
from finloom.synth.market._paths import MarketPaths, Shock
from finloom.synth.market._regimes import label_regimes, regime_code

__all__ = ["ConfiguredSimulator", "MarketSimulator"]

_OHLC_FEATURES = 4  # gap (log O/prevC), up (log H/max(O,C)), down (log min(O,C)/L), log volume ratio


def _ohlcv_features(frame: pd.DataFrame) -> np.ndarray:
    """Per-day shape of the bar relative to the close: (T-1, 4) aligned with returns."""
    o, h, lo, c = (frame[k].to_numpy() for k in ("Open", "High", "Low", "Close"))
    gap = np.log(o[1:] / c[:-1])
    top = np.maximum(o, c)[1:]
    bottom = np.minimum(o, c)[1:]
    up = np.log(np.maximum(h[1:], top) / top)
    down = np.log(bottom / np.maximum(np.minimum(lo[1:], bottom), 1e-12))
    if "Volume" in frame:
        v = np.log(np.maximum(frame["Volume"].to_numpy(), 1.0))
        level = pd.Series(v).rolling(63, min_periods=1).mean().to_numpy()
        vol_ratio = (v - level)[1:]
    else:
        vol_ratio = np.zeros(len(gap))
    return np.column_stack([gap, up, down, vol_ratio])


class MarketSimulator(BaseEstimator):
    """Base class: subclasses implement ``_fit_returns``, ``_simulate`` and their state.

    ``fit(prices)`` accepts one column per asset or an OHLCV table (Open/High/Low/Close/Volume);
    ``sample`` returns :class:`MarketPaths` on business days after the last fitted date.
    """

    _tensor_names: ClassVar[tuple[str, ...]] = ()
    _config_names: ClassVar[tuple[str, ...]] = ()
    regime_method: str = "volatility"

    # ----------------------------------------------------------------- contract
    def fit(self, prices: pd.DataFrame | pd.Series, *, input_kind: str = "prices") -> MarketSimulator:
        """Validate ``prices`` (or log returns with ``input_kind="log_returns"``) and learn.

        Returns
        -------
        self
        """
        self._validate_params()
        if input_kind == "prices":
            frame = load_prices(prices)
            closes = frame[close_columns(frame)]
            returns = np.diff(np.log(closes.to_numpy()), axis=0)
            last_prices = closes.iloc[-1].to_numpy()
            ohlc = set(frame.columns) >= set(OHLCV_COLUMNS[:4]) and len(frame.columns) <= 5
        elif input_kind == "log_returns":
            levels = pd.DataFrame(prices).cumsum()
            frame = load_prices(pd.DataFrame(np.exp(levels.to_numpy()), index=levels.index, columns=levels.columns))
            closes, ohlc = frame, False
            logs = np.log(frame.to_numpy())
            returns = np.diff(np.vstack([np.zeros((1, logs.shape[1])), logs]), axis=0)
            last_prices = np.ones(frame.shape[1])
        else:
            raise ConfigError(f"input_kind must be 'prices' or 'log_returns'; got {input_kind!r}.")
        self.columns_ = [str(c) for c in closes.columns]
        self.last_prices_ = np.asarray(last_prices, dtype=np.float64)
        self.last_date_ = pd.Timestamp(frame.index[-1])
        self.returns_ = np.asarray(returns, dtype=np.float64)
        self.regimes_ = label_regimes(self.returns_, method=self.regime_method)
        self.ohlc_features_ = _ohlcv_features(frame) if ohlc else np.zeros((0, _OHLC_FEATURES))
        self.has_volume_ = bool(ohlc and "Volume" in frame)
        self.last_volume_ = float(frame["Volume"].iloc[-63:].pipe(np.log).mean()) if self.has_volume_ else 0.0
        self._fit_returns(self.returns_)
        return self

    def sample(
        self,
        n_paths: int,
        n_days: int,
        *,
        random_state: int | np.random.Generator | None = None,
        regime: str | None = None,
        shock: Shock | dict[str, Any] | None = None,
    ) -> MarketPaths:
        """Simulate ``n_paths`` price paths of ``n_days`` business days.

        Parameters
        ----------
        n_paths, n_days : batch shape.
        random_state : seed or Generator; same seed → same paths.
        regime : ``"calm"``, ``"stressed"`` or None (unconditional).
        shock : a :class:`Shock` (or dict) applied on its day, followed by model-consistent paths.
        """
        self._check_is_fitted("sample")
        owner = type(self).__name__
        validate_param(owner, "n_paths", n_paths, lambda v: isinstance(v, int) and v >= 1, "an int >= 1")
        validate_param(owner, "n_days", n_days, lambda v: isinstance(v, int) and v >= 1, "an int >= 1")
        shock_obj = Shock.coerce(shock)
        if shock_obj is not None:
            shock_obj.check(n_days, self.columns_)
        rng = check_random_state(random_state)
        returns = self._simulate(n_paths, n_days, rng, regime_code(regime), shock_obj)
        paths = MarketPaths.from_returns(returns, self.last_prices_, self.last_date_, self.columns_)
        if len(self.ohlc_features_):
            paths.ohlcv = self._ohlcv(paths, rng)
        return paths

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the fitted model to directory ``path`` (safetensors + JSON)."""
        self._check_is_fitted("save")
        tensors = {"returns_": self.returns_, "regimes_": self.regimes_,
                   "ohlc_features_": self.ohlc_features_, "last_prices_": self.last_prices_}
        tensors.update({n: np.asarray(getattr(self, n)) for n in self._tensor_names})
        config = {"params": self.get_params(), "columns_": self.columns_,
                  "last_date_": self.last_date_.isoformat(), "has_volume_": self.has_volume_,
                  "last_volume_": self.last_volume_}
        config.update({n: getattr(self, n) for n in self._config_names})
        save_state(path, kind=type(self).__name__, config=config, tensors=tensors)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> MarketSimulator:
        """Read a model written by :meth:`save`."""
        state = load_state(path, kind=cls.__name__)
        config, tensors = state["config"], state["tensors"]
        model = cls(**config["params"])
        for name, value in tensors.items():
            setattr(model, name, value)
        model.columns_ = list(config["columns_"])
        model.last_date_ = pd.Timestamp(config["last_date_"])
        model.has_volume_ = bool(config["has_volume_"])
        model.last_volume_ = float(config["last_volume_"])
        for name in cls._config_names:
            setattr(model, name, config[name])
        model._restore()
        return model

    # ----------------------------------------------------------------- hooks
    def _validate_params(self) -> None:
        """Check constructor parameters (subclasses extend)."""

    def _fit_returns(self, returns: np.ndarray) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _simulate(self, n_paths: int, n_days: int, rng: np.random.Generator,
                  regime: int | None, shock: Shock | None) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _restore(self) -> None:
        """Rebuild derived state after :meth:`load` (subclasses override when needed)."""

    # ----------------------------------------------------------------- helpers
    def _shock_vector(self, shock: Shock) -> np.ndarray:
        """Boolean mask of shocked assets."""
        if shock.asset is None:
            return np.ones(len(self.columns_), dtype=bool)
        return np.array([c == shock.asset for c in self.columns_])

    def _ohlcv(self, paths: MarketPaths, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Attach historical bar shapes drawn from days with a similar |return| (decile match)."""
        feats = self.ohlc_features_
        hist_abs = np.abs(self.returns_[:, 0])
        edges = np.quantile(hist_abs, np.linspace(0, 1, 11)[1:-1])
        hist_bucket = np.searchsorted(edges, hist_abs)
        r = paths.returns[:, :, 0]
        bucket = np.searchsorted(edges, np.abs(r))
        pick = np.empty(r.shape, dtype=np.int64)
        for b in range(10):
            pool = np.flatnonzero(hist_bucket == b)
            mask = bucket == b
            pick[mask] = pool[rng.integers(0, len(pool), size=int(mask.sum()))]
        gap, up, down, vol_ratio = (feats[pick, k] for k in range(_OHLC_FEATURES))
        close = paths.prices[:, :, 0]
        prev = np.concatenate([np.full((r.shape[0], 1), self.last_prices_[0]), close[:, :-1]], axis=1)
        gap = np.clip(gap, -np.abs(r) - 0.01, np.abs(r) + 0.01)
        open_ = prev * np.exp(gap)
        high = np.maximum(open_, close) * np.exp(up)
        low = np.minimum(open_, close) * np.exp(-down)
        out = {"Open": open_, "High": high, "Low": low, "Close": close}
        if self.has_volume_:
            out["Volume"] = np.exp(self.last_volume_ + vol_ratio)
        return out


class ConfiguredSimulator(MarketSimulator):
    """A simulator whose ``config`` is a dataclass (``config_class``), a plain dict of its fields or None."""

    config_class: ClassVar[type]
    config: Any

    def _cfg(self) -> Any:
        if isinstance(self.config, self.config_class):
            return self.config
        return self.config_class(**(self.config or {}))

    @staticmethod
    def _flat_weights(model: Any) -> np.ndarray:
        """All parameters of a torch module as one flat float array (saved as one safetensors tensor)."""
        return np.concatenate([p.detach().numpy().ravel() for p in model.parameters()])

    @staticmethod
    def _load_flat_weights(model: Any, flat: np.ndarray) -> Any:
        """Copy a :meth:`_flat_weights` array back into ``model``'s parameters; returns ``model``."""
        import torch

        values, offset = torch.tensor(np.asarray(flat)), 0
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(values[offset:offset + p.numel()].view_as(p))
                offset += p.numel()
        return model
