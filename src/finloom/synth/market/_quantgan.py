"""QuantGAN (Wiese et al. 2020): TCN generator and critic on Lambert-W-Gaussianised returns.

Returns are Gaussianised per asset with the inverse heavy-tail Lambert W x F transform (Goerg's
IGMM estimates ``delta``) and standardised; a WGAN-GP learns ``window``-day sequences of them.
The generator is a causal TCN on noise, by default in the paper's stochastic-volatility form
``mu_t + sigma_t * eps_t``; sampling drops a ``receptive_field`` warm-up, so any length works,
and maps the output back through the Lambert W transform and the original scale.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from finloom._base import ProgressCallback, noop_progress, validate_param
from finloom._optional import require
from finloom.errors import ConfigError, InvalidDataError
from finloom.evaluate._stylized import abs_acf, leverage_effect
from finloom.synth.market._base import ConfiguredSimulator
from finloom.synth.market._lambertw import igmm, lambertw_gaussianize, lambertw_transform
from finloom.synth.market._paths import Shock

__all__ = ["QuantGANConfig", "QuantGANSimulator"]

_FEATURE = "QuantGANSimulator"
_CHUNK = 256  # paths generated per forward pass when sampling
_QUANTILES = np.linspace(0.01, 0.99, 99)
_VOL_DAYS = 20  # the critic also sees the trailing 20-day RMS, where volatility clustering shows


@dataclass
class QuantGANConfig:
    """Hyper-parameters of :class:`QuantGANSimulator` (CPU-sized; the paper uses 80 channels)."""

    receptive_field: int = 127  # days the generator sees: 2**k - 1 (dilations 1, 2, .., 2**(k-2))
    channels: int = 32  # hidden channels of the generator and critic TCNs
    noise_dim: int = 3  # extra noise channels per day (besides the A innovation channels)
    svnn: bool = True  # generator = mu_t + sigma_t * eps_t with mu, sigma from noise up to t-1 (paper's SVNN)
    window: int = 64  # days per training sequence judged by the critic
    epochs: int = 16  # passes over the (overlapping) training windows, batch_size windows per step
    batch_size: int = 64
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    critic_steps: int = 1  # critic updates per generator update
    gp_weight: float = 10.0  # WGAN-GP gradient penalty
    eval_every: int = 2  # epochs between checkpoint scores on the training series; 0: keep the last
    patience: int = 0  # stop after this many scores without improvement; 0: train all epochs


# ---------------------------------------------------------------- the temporal convolutional network
def _build_tcn(c_in: int, c_out: int, cfg: QuantGANConfig) -> Any:
    """A TCN with skip connections on the meta device (no global RNG use); see :func:`_init`."""
    torch = require("torch", feature=_FEATURE)
    nn, F = torch.nn, torch.nn.functional
    n_blocks = int(round(math.log2(cfg.receptive_field + 1))) - 1  # rf = 1 + 2 * (2**n_blocks - 1)

    class TemporalBlock(nn.Module):  # type: ignore[misc, name-defined]
        """Two causal dilated convolutions with PReLU, a residual path and a skip output."""

        def __init__(self, c_in: int, hidden: int, kernel: int, dilation: int) -> None:
            super().__init__()
            self.pad = (kernel - 1) * dilation
            self.conv1 = nn.Conv1d(c_in, hidden, kernel, dilation=dilation, device="meta")
            self.conv2 = nn.Conv1d(hidden, hidden, kernel, dilation=dilation, device="meta")
            self.act1, self.act2 = nn.PReLU(device="meta"), nn.PReLU(device="meta")
            self.down = nn.Conv1d(c_in, hidden, 1, device="meta") if c_in != hidden else nn.Identity()

        def forward(self, x: Any) -> tuple[Any, Any]:
            h = self.act1(self.conv1(F.pad(x, (self.pad, 0))))  # (B, H, T), causal: left padding
            h = self.act2(self.conv2(F.pad(h, (self.pad, 0))))  # (B, H, T)
            return self.down(x) + h, h  # residual (B, H, T), skip (B, H, T)

    class TCN(nn.Module):  # type: ignore[misc, name-defined]
        """Block 0 (kernel 1) then kernel-2 blocks with dilations 1, 2, 4, ...; skips summed."""

        def __init__(self) -> None:
            super().__init__()
            sizes = [(c_in, 1, 1)] + [(cfg.channels, 2, 2**i) for i in range(n_blocks)]
            self.blocks = nn.ModuleList(TemporalBlock(c, cfg.channels, k, d) for c, k, d in sizes)
            self.head = nn.Conv1d(cfg.channels, c_out, 1, device="meta")

        def forward(self, x: Any) -> Any:  # (B, C_in, T) -> (B, C_out, T)
            skips = 0
            for block in self.blocks:
                x, skip = block(x)  # (B, H, T) each
                skips = skips + skip
            return self.head(skips)

    return TCN()


def _init(model: Any, gen: Any) -> Any:
    """Materialise ``model`` on the CPU with torch's default init drawn from ``gen``."""
    torch = require("torch", feature=_FEATURE)
    model.to_empty(device="cpu")
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.Conv1d):
                torch.nn.init.kaiming_uniform_(module.weight, a=math.sqrt(5), generator=gen)
                bound = 1 / math.sqrt(module.weight[0].numel())
                module.bias.uniform_(-bound, bound, generator=gen)
            elif isinstance(module, torch.nn.PReLU):
                module.weight.fill_(0.25)
    return model


def _score(real: np.ndarray, synth: np.ndarray) -> float:
    """Stylized-facts distance on the training series: |r| ACF + leverage + scaled quantiles.

    ``real`` is (T, A) and ``synth`` (P, T', A); lower is better; used to pick the checkpoint.
    """
    total = 0.0
    for a in range(real.shape[1]):
        r, s = real[:, a], synth[:, :, a]
        lags = min(50, len(r) // 4, s.shape[1] // 4)
        total += float(np.abs(abs_acf(r, lags) - abs_acf(s, lags)).mean())
        total += float(np.abs(leverage_effect(r, 10) - leverage_effect(s, 10)).mean())
        total += float(np.abs(np.quantile(r, _QUANTILES) - np.quantile(s, _QUANTILES)).mean() / r.std())
    return total / real.shape[1]


class QuantGANSimulator(ConfiguredSimulator):
    """QuantGAN: WGAN-GP with TCN generator and critic on Lambert-W-Gaussianised returns.

    Fit: per-asset IGMM Lambert W Gaussianisation and standardisation, then WGAN-GP on
    overlapping ``window``-day sequences; the critic sees each sequence with its absolute value
    and trailing 20-day RMS. Every ``eval_every`` epochs 64 generated paths are scored against
    the *training* series (|r| ACF, leverage, quantiles) and the best generator is kept; its
    output mean and std are stored and standardised away when sampling (the paper's rescaling).
    Several assets are modelled jointly as channels of one generator. The generator is
    unconditional: ``sample`` rejects ``regime`` and ``shock`` (use ``HybridFHSSimulator``).

    Parameters
    ----------
    config : a :class:`QuantGANConfig` (or a dict of its fields).
    random_state : seed of the torch Generator used for initialisation and training; None: fresh.
    regime_method : ``"volatility"`` or ``"hmm"`` labels stored with the fit (not used to sample).

    Examples
    --------
    >>> g = np.random.default_rng(0)
    >>> idx = pd.bdate_range("2015-01-01", periods=300)
    >>> px = pd.DataFrame({"A": 100 * np.exp(np.cumsum(g.standard_t(4, 300) * .01))}, index=idx)
    >>> cfg = {"receptive_field": 15, "channels": 8, "window": 32, "epochs": 1}
    >>> sim = QuantGANSimulator(config=cfg).fit(px)
    >>> sim.sample(2, 40, random_state=0).prices.shape
    (2, 40, 1)
    """

    config_class = QuantGANConfig
    _tensor_names: ClassVar[tuple[str, ...]] = ("lambert_", "norm_", "bounds_", "calib_", "weights_")

    def __init__(self, *, config: QuantGANConfig | dict[str, Any] | None = None,
                 random_state: int | None = 0, regime_method: str = "volatility") -> None:
        self.config = config
        self.random_state = random_state
        self.regime_method = regime_method

    def get_params(self) -> dict[str, Any]:
        """Constructor parameters (the config as a plain dict, so it saves as JSON)."""
        return {"config": asdict(self._cfg()), "random_state": self.random_state,
                "regime_method": self.regime_method}

    def _validate_params(self) -> None:
        try:
            cfg = self._cfg()
        except TypeError as exc:
            raise ConfigError(f"config of QuantGANSimulator must hold QuantGANConfig fields; {exc}.") from exc
        for name in ("channels", "noise_dim", "epochs", "batch_size", "critic_steps"):
            validate_param(_FEATURE, name, getattr(cfg, name), lambda v: isinstance(v, int) and v >= 1,
                           "an int >= 1")
        validate_param(_FEATURE, "receptive_field", cfg.receptive_field,
                       lambda v: isinstance(v, int) and v >= 3 and (v + 1) & v == 0,
                       "an int of the form 2**k - 1 (3, 7, 15, 31, 63, 127, 255)")
        validate_param(_FEATURE, "window", cfg.window, lambda v: isinstance(v, int) and v >= 8, "an int >= 8")
        for name in ("lr_g", "lr_d"):
            validate_param(_FEATURE, name, getattr(cfg, name), lambda v: v > 0, "a float > 0")
        validate_param(_FEATURE, "gp_weight", cfg.gp_weight, lambda v: v >= 0, "a float >= 0")
        for name in ("eval_every", "patience"):
            validate_param(_FEATURE, name, getattr(cfg, name), lambda v: isinstance(v, int) and v >= 0,
                           "an int >= 0")
        validate_param(_FEATURE, "random_state", self.random_state,
                       lambda v: v is None or (isinstance(v, int) and v >= 0), "None or an int >= 0")

    def fit(self, prices: pd.DataFrame | pd.Series, *, input_kind: str = "prices",
            progress: ProgressCallback | None = None) -> QuantGANSimulator:
        """Validate ``prices`` (or log returns with ``input_kind="log_returns"``) and train the GAN.

        Parameters
        ----------
        prices : one column per asset, or an OHLCV table.
        input_kind : ``"prices"`` or ``"log_returns"``.
        progress : ``progress(fraction, message)`` called after every epoch.

        Returns
        -------
        self
        """
        self._progress = progress or noop_progress
        try:
            super().fit(prices, input_kind=input_kind)
        finally:
            del self._progress
        return self

    # ----------------------------------------------------------------- fit steps
    def _fit_returns(self, returns: np.ndarray) -> None:
        torch = require("torch", feature=_FEATURE)
        cfg = self._cfg()
        n_min = max(2 * cfg.window, 100)
        if len(returns) < n_min:
            raise InvalidDataError(f"the series must have at least max(2 * window, 100) = {n_min} returns for "
                                   f"QuantGANSimulator; got {len(returns)}. Lower config window or use a "
                                   "longer history.")
        z = self._gaussianize(returns)  # (T, A)
        self.bounds_ = np.stack([z.min(axis=0), z.max(axis=0)])  # (2, A): generated values are clipped here
        seed = self.random_state if self.random_state is not None else np.random.default_rng().integers(2**62)
        gen = torch.Generator().manual_seed(int(seed))
        n_assets = returns.shape[1]
        generator = _init(_build_tcn(n_assets + cfg.noise_dim, (2 if cfg.svnn else 1) * n_assets, cfg), gen)
        critic = _init(_build_tcn(3 * n_assets, 1, cfg), gen)  # judges [x, |x|, trailing RMS]
        view = np.lib.stride_tricks.sliding_window_view(z, cfg.window, axis=0)  # (N, A, W)
        self._train(generator, critic, torch.tensor(np.ascontiguousarray(view), dtype=torch.float32), gen)
        self._generator = generator
        self.weights_ = self._flat_weights(generator)

    def _gaussianize(self, returns: np.ndarray) -> np.ndarray:
        """Per asset: IGMM Lambert W parameters, Gaussianised and standardised returns (T, A)."""
        self.lambert_ = np.array([igmm(returns[:, a]) for a in range(returns.shape[1])])  # (A, 3)
        mu, sigma, delta = self.lambert_.T
        u = np.column_stack([lambertw_gaussianize((returns[:, a] - mu[a]) / sigma[a], delta[a])
                             for a in range(returns.shape[1])])
        self.norm_ = np.stack([u.mean(axis=0), u.std(axis=0)])  # (2, A)
        return (u - self.norm_[0]) / self.norm_[1]

    def _to_returns(self, z: np.ndarray, calib: np.ndarray) -> np.ndarray:
        """Inverse of :meth:`_gaussianize` for generated (P, T, A) values.

        ``calib`` (2, A) is the generator's own mean and std: outputs are standardised with it
        (the training data are), then clipped to the fitted range.
        """
        mu, sigma, delta = self.lambert_.T
        z = np.clip((z - calib[0]) / calib[1], self.bounds_[0], self.bounds_[1])
        u = z * self.norm_[1] + self.norm_[0]
        return mu + sigma * np.stack([lambertw_transform(u[..., a], delta[a]) for a in range(u.shape[-1])], -1)

    def _fake(self, generator: Any, noise: Any) -> Any:
        """Generated days after the warm-up: noise (B, A + noise_dim, rf + T) -> (B, A, T).

        Noise channels ``:A`` are the innovations ``eps``; the TCN output for day ``t`` is computed
        from the noise of days ``<= t - 1``, so ``eps_t`` moves later volatility (leverage).
        """
        torch = require("torch", feature=_FEATURE)
        cfg = self._cfg()
        n_assets = len(self.lambert_)
        h = generator(noise[:, :, :-1])  # (B, A or 2A, rf - 1 + T)
        if cfg.svnn:
            eps = noise[:, :n_assets, 1:]  # (B, A, rf - 1 + T)
            h = h[:, :n_assets] + torch.nn.functional.softplus(h[:, n_assets:]) * eps
        return h[:, :, cfg.receptive_field - 1:]

    @staticmethod
    def _judge(critic: Any, x: Any) -> Any:
        """Critic score per sequence from returns, their size and trailing RMS: (B, A, W) -> (B,)."""
        torch = require("torch", feature=_FEATURE)
        F = torch.nn.functional
        sq = F.pad(x**2, (_VOL_DAYS - 1, 0), mode="replicate")  # (B, A, W + 19)
        rms = (F.avg_pool1d(sq, _VOL_DAYS, stride=1) + 1e-6).sqrt()  # (B, A, W)
        return critic(torch.cat([x, x.abs(), rms], dim=1)).mean(dim=(1, 2))  # (B, 3A, W) -> (B,)

    def _noise(self, n: int, days: int, gen: Any) -> Any:
        torch = require("torch", feature=_FEATURE)
        cfg = self._cfg()
        return torch.randn((n, len(self.lambert_) + cfg.noise_dim, cfg.receptive_field + days), generator=gen)

    def _critic_step(self, generator: Any, critic: Any, x: Any, gen: Any, opt: Any) -> float:
        """One WGAN-GP critic update; returns the Wasserstein estimate E[D(real)] - E[D(fake)]."""
        torch = require("torch", feature=_FEATURE)
        cfg = self._cfg()
        real = x[torch.randint(len(x), (cfg.batch_size,), generator=gen)]  # (B, A, W)
        with torch.no_grad():
            fake = self._fake(generator, self._noise(cfg.batch_size, cfg.window, gen))  # (B, A, W)
        eps = torch.rand((cfg.batch_size, 1, 1), generator=gen)
        mix = (eps * real + (1 - eps) * fake).requires_grad_(True)
        grad = torch.autograd.grad(self._judge(critic, mix).sum(), mix, create_graph=True)[0]  # (B, A, W)
        penalty = ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
        distance = self._judge(critic, real).mean() - self._judge(critic, fake).mean()
        loss = -distance + cfg.gp_weight * penalty
        opt.zero_grad()
        loss.backward()
        opt.step()
        return float(distance.detach())

    def _generator_step(self, generator: Any, critic: Any, gen: Any, opt: Any) -> None:
        cfg = self._cfg()
        loss = -self._judge(critic, self._fake(generator, self._noise(cfg.batch_size, cfg.window, gen))).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    def _train(self, generator: Any, critic: Any, x: Any, gen: Any) -> None:
        """WGAN-GP epochs; every ``eval_every`` epochs score samples and keep the best generator."""
        torch = require("torch", feature=_FEATURE)
        cfg = self._cfg()
        opt_g = torch.optim.Adam(generator.parameters(), lr=cfg.lr_g, betas=(0.5, 0.9))
        opt_d = torch.optim.Adam(critic.parameters(), lr=cfg.lr_d, betas=(0.5, 0.9))
        eval_noise = self._noise(64, min(len(self.returns_), 504), gen)
        steps = max(len(x) // cfg.batch_size, 1)
        best, best_state, stale = math.inf, None, 0
        self.loss_history_, self.score_history_, self.best_epoch_ = [], [], cfg.epochs
        for epoch in range(cfg.epochs):
            distance = 0.0
            for _ in range(steps):
                for _ in range(cfg.critic_steps):
                    distance += self._critic_step(generator, critic, x, gen, opt_d) / (steps * cfg.critic_steps)
                self._generator_step(generator, critic, gen, opt_g)
            self.loss_history_.append(distance)
            message = f"epoch {epoch + 1}/{cfg.epochs} wasserstein {distance:.3f}"
            if cfg.eval_every and ((epoch + 1) % cfg.eval_every == 0 or epoch + 1 == cfg.epochs):
                score = self._evaluate(generator, eval_noise)
                self.score_history_.append(score)
                message += f" score {score:.4f}"
                if score < best:
                    best, stale, self.best_epoch_ = score, 0, epoch + 1
                    best_state = {k: v.clone() for k, v in generator.state_dict().items()}
                else:
                    stale += 1
            self._progress((epoch + 1) / cfg.epochs, message)
            if cfg.patience and stale >= cfg.patience:
                break
        if best_state is not None:
            generator.load_state_dict(best_state)
        self.calib_ = self._moments(self._generate(generator, eval_noise))

    def _generate(self, generator: Any, noise: Any) -> np.ndarray:
        """Generated standardised values (P, T, A) for ``noise`` (P, A + noise_dim, rf + T)."""
        torch = require("torch", feature=_FEATURE)
        with torch.no_grad():
            z = self._fake(generator, noise)  # (P, A, T)
        return z.numpy().astype(np.float64).transpose(0, 2, 1)

    @staticmethod
    def _moments(z: np.ndarray) -> np.ndarray:
        return np.stack([z.mean(axis=(0, 1)), np.maximum(z.std(axis=(0, 1)), 1e-12)])  # (2, A)

    def _evaluate(self, generator: Any, noise: Any) -> float:
        z = self._generate(generator, noise)
        synth = self._to_returns(z, self._moments(z))
        if not np.isfinite(synth).all() or (synth.std(axis=(0, 1)) == 0).any():
            return math.inf  # a collapsed generator is never the best checkpoint
        with np.errstate(invalid="ignore", divide="ignore"):
            score = _score(self.returns_, synth)
        return score if math.isfinite(score) else math.inf

    # ----------------------------------------------------------------- sampling
    def _restore(self) -> None:
        require("torch", feature=_FEATURE)
        cfg, n_assets = self._cfg(), len(self.lambert_)
        model = _build_tcn(n_assets + cfg.noise_dim, (2 if cfg.svnn else 1) * n_assets, cfg).to_empty(device="cpu")
        self._generator = self._load_flat_weights(model, self.weights_)

    def _simulate(self, n_paths: int, n_days: int, rng: np.random.Generator,
                  regime: int | None, shock: Shock | None) -> np.ndarray:
        torch = require("torch", feature=_FEATURE)
        if regime is not None:
            raise ConfigError(f"regime must be None for QuantGANSimulator, an unconditional generator; got "
                              f"{('calm', 'stressed')[regime]!r}. Use HybridFHSSimulator (model 'fhs') "
                              "for regime-conditional paths.")
        if shock is not None:
            raise ConfigError(f"shock must be None for QuantGANSimulator, an unconditional generator; got "
                              f"{shock!r}. Use HybridFHSSimulator (model 'fhs') for shocked paths.")
        gen = torch.Generator().manual_seed(int(rng.integers(2**62)))
        chunks = [self._generate(self._generator, self._noise(min(_CHUNK, n_paths - start), n_days, gen))
                  for start in range(0, n_paths, _CHUNK)]
        return self._to_returns(np.concatenate(chunks), self.calib_)  # (P, T, A)
