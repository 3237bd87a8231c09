"""DDPM on return windows, chained window by window on the previous window's realised volatility.

A small MLP denoiser learns ``eps(x_t, t, c)`` for standardized return windows ``x`` of
``window`` days (all assets), conditioned on ``c`` = log realised volatility of the preceding
window. Paths are generated window after window, so volatility persists across windows; a
``regime`` picks the first condition from calm or stressed days; a shock is written into its
window and feeds the next window's condition.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

import numpy as np

from finloom._base import validate_param
from finloom._optional import require
from finloom.errors import InvalidDataError
from finloom.synth.market._base import ConfiguredSimulator
from finloom.synth.market._paths import Shock

__all__ = ["DiffusionConfig", "DiffusionSimulator"]

_CLIP = 12.0  # standardized returns beyond ±12 sd are clipped while denoising


@dataclass
class DiffusionConfig:
    """Hyper-parameters of :class:`DiffusionSimulator`."""

    window: int = 32  # days per generated window
    hidden: int = 128  # width of the denoiser MLP
    steps: int = 100  # diffusion steps T
    epochs: int = 200  # passes over the windows
    batch_size: int = 256
    lr: float = 2e-3


def _betas(steps: int) -> np.ndarray:
    """Cosine noise schedule (Nichol & Dhariwal), clipped at 0.999."""
    s = 0.008
    t = np.linspace(0, steps, steps + 1) / steps
    alpha_bar = np.cos((t + s) / (1 + s) * math.pi / 2) ** 2
    return np.clip(1 - alpha_bar[1:] / alpha_bar[:-1], 1e-5, 0.999)


def _build(dim: int, hidden: int) -> Any:
    nn = require("torch.nn", feature="the diffusion market simulator")
    torch = require("torch", feature="the diffusion market simulator")

    class Denoiser(nn.Module):  # type: ignore[misc, name-defined]
        """eps-prediction MLP: [x_t (D), cond (1), time embedding (16)] → eps (D)."""

        def __init__(self) -> None:
            super().__init__()
            self.net = nn.Sequential(nn.Linear(dim + 17, hidden), nn.SiLU(), nn.Linear(hidden, hidden),
                                     nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(), nn.Linear(hidden, dim))

        def forward(self, x: Any, t: Any, c: Any) -> Any:
            freqs = torch.exp(torch.arange(8, dtype=x.dtype) * (-math.log(1000.0) / 8))  # (8,)
            angle = t[:, None].to(x.dtype) * freqs[None, :]  # (B, 8)
            emb = torch.cat([torch.sin(angle), torch.cos(angle)], dim=1)  # (B, 16)
            return self.net(torch.cat([x, c, emb], dim=1))  # (B, D)

    return Denoiser()


class DiffusionSimulator(ConfiguredSimulator):
    """Conditional DDPM on ``window``-day return windows (torch; see module doc).

    Parameters
    ----------
    config : a :class:`DiffusionConfig` (or dict of its fields).
    regime_method : ``"volatility"`` or ``"hmm"`` labels for ``regime`` in ``sample``.

    Examples
    --------
    >>> import pandas as pd
    >>> g = np.random.default_rng(0)
    >>> idx = pd.bdate_range("2015-01-01", periods=300)
    >>> px = pd.DataFrame({"A": 100 * np.exp(np.cumsum(g.normal(0, .01, 300)))}, index=idx)
    >>> sim = DiffusionSimulator(config={"window": 8, "epochs": 2, "steps": 10}).fit(px)
    >>> sim.sample(2, 20, random_state=0).prices.shape
    (2, 20, 1)
    """

    config_class = DiffusionConfig
    _tensor_names: ClassVar[tuple[str, ...]] = ("mean_", "std_", "conds_", "weights_")

    def __init__(self, *, config: DiffusionConfig | dict[str, Any] | None = None,
                 seed: int = 0, regime_method: str = "volatility") -> None:
        self.config = config
        self.seed = seed
        self.regime_method = regime_method

    def _validate_params(self) -> None:
        cfg = self._cfg()
        for name in ("window", "hidden", "steps", "epochs", "batch_size"):
            validate_param("DiffusionSimulator", name, getattr(cfg, name),
                           lambda v: isinstance(v, int) and v >= 1, "an int >= 1")

    def get_params(self) -> dict[str, Any]:
        """Constructor parameters (the config as a plain dict, so it saves as JSON)."""
        return {"config": asdict(self._cfg()), "seed": self.seed, "regime_method": self.regime_method}

    def _windows(self, x: np.ndarray, w: int) -> tuple[np.ndarray, np.ndarray]:
        """Windows (N, w*A) starting at day w.., and the log vol of each preceding window (N,)."""
        view = np.lib.stride_tricks.sliding_window_view(x, w, axis=0)  # (T-w+1, A, w)
        wins = view.transpose(0, 2, 1).reshape(len(view), -1)
        log_vol = np.log(np.sqrt((wins**2).mean(axis=1)) + 1e-6)
        return wins[w:], log_vol[:-w]

    def _fit_returns(self, returns: np.ndarray) -> None:
        torch = require("torch", feature="the diffusion market simulator")
        cfg = self._cfg()
        if len(returns) < 4 * cfg.window:
            raise InvalidDataError(f"the series must have at least 4 * window = {4 * cfg.window} returns; "
                                   f"got {len(returns)}. Lower config window or use a longer history.")
        self.mean_, self.std_ = returns.mean(axis=0), returns.std(axis=0)
        x = (returns - self.mean_) / self.std_
        wins, cond = self._windows(x, cfg.window)
        cs = np.concatenate([[0.0], np.cumsum((x**2).mean(axis=1))])
        trailing = (cs[cfg.window:] - cs[:-cfg.window]) / cfg.window  # window ending on each day
        self.conds_ = np.log(np.sqrt(np.r_[np.full(cfg.window - 1, trailing[0]), trailing]) + 1e-6)
        with torch.random.fork_rng():
            torch.manual_seed(int(self.seed))
            model = _build(wins.shape[1], cfg.hidden)
        gen = torch.Generator().manual_seed(int(self.seed))
        self.loss_history_ = self._train(model, torch.tensor(wins, dtype=torch.float32),
                                         torch.tensor(cond[:, None], dtype=torch.float32), gen)
        self._model = model
        self.weights_ = self._flat_weights(model)
        self.n_assets_ = returns.shape[1]

    def _train(self, model: Any, wins: Any, cond: Any, gen: Any) -> list[float]:
        torch = require("torch", feature="the diffusion market simulator")
        cfg = self._cfg()
        alpha_bar = torch.tensor(np.cumprod(1 - _betas(cfg.steps)), dtype=torch.float32)
        opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr)
        history = []
        for _ in range(cfg.epochs):
            order = torch.randperm(len(wins), generator=gen)
            total = 0.0
            for start in range(0, len(wins), cfg.batch_size):
                idx = order[start:start + cfg.batch_size]
                x0, c = wins[idx], cond[idx]  # (B, D), (B, 1)
                t = torch.randint(0, cfg.steps, (len(idx),), generator=gen)
                noise = torch.randn(x0.shape, generator=gen)
                ab = alpha_bar[t][:, None]
                loss = ((model(ab.sqrt() * x0 + (1 - ab).sqrt() * noise, t, c) - noise) ** 2).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += float(loss.detach()) * len(idx)
            history.append(total / len(wins))
        return history

    def _restore(self) -> None:
        require("torch", feature="the diffusion market simulator")
        cfg = self._cfg()
        self.n_assets_ = len(self.mean_)
        model = _build(cfg.window * self.n_assets_, cfg.hidden)
        self._model = self._load_flat_weights(model, self.weights_)

    def _denoise(self, cond: np.ndarray, gen: Any) -> np.ndarray:
        """One batch of windows (P, w, A) by ancestral DDPM sampling."""
        torch = require("torch", feature="the diffusion market simulator")
        cfg = self._cfg()
        betas = _betas(cfg.steps)
        alpha_bar = np.cumprod(1 - betas)
        prev_bar = np.r_[1.0, alpha_bar[:-1]]
        c = torch.tensor(cond[:, None], dtype=torch.float32)
        x = torch.randn((len(cond), cfg.window * self.n_assets_), generator=gen)
        with torch.no_grad():
            for t in range(cfg.steps - 1, -1, -1):
                eps = self._model(x, torch.full((len(cond),), t), c)
                # predict x0, clip it to the data range, then take the posterior mean (stable)
                x0 = ((x - math.sqrt(1 - alpha_bar[t]) * eps) / math.sqrt(alpha_bar[t])).clamp(-_CLIP, _CLIP)
                x = (math.sqrt(prev_bar[t]) * betas[t] * x0
                     + math.sqrt(1 - betas[t]) * (1 - prev_bar[t]) * x) / (1 - alpha_bar[t])
                if t > 0:
                    var = betas[t] * (1 - prev_bar[t]) / (1 - alpha_bar[t])
                    x = x + math.sqrt(var) * torch.randn(x.shape, generator=gen)
        return x.numpy().astype(np.float64).reshape(len(cond), cfg.window, self.n_assets_)

    def _simulate(self, n_paths: int, n_days: int, rng: np.random.Generator,
                  regime: int | None, shock: Shock | None) -> np.ndarray:
        torch = require("torch", feature="the diffusion market simulator")
        w = self._cfg().window
        gen = torch.Generator().manual_seed(int(rng.integers(2**31)))
        pool = np.arange(len(self.conds_)) if regime is None else np.flatnonzero(self.regimes_ == regime)
        if regime is None:
            last = (self.returns_[-w:] - self.mean_) / self.std_
            cond = np.full(n_paths, np.log(np.sqrt((last**2).mean()) + 1e-6))
        else:
            cond = self.conds_[pool[rng.integers(0, len(pool), size=n_paths)]]
        chunks, day = [], 0
        while day < n_days:
            x = self._denoise(cond, gen)
            if shock is not None and day <= shock.day < day + w:
                mask = self._shock_vector(shock)
                x[:, shock.day - day, mask] = ((shock.log_return - self.mean_) / self.std_)[mask]
            chunks.append(x)
            cond = np.log(np.sqrt((x**2).mean(axis=(1, 2))) + 1e-6)
            day += w
        z = np.concatenate(chunks, axis=1)[:, :n_days]
        return z * self.std_ + self.mean_
