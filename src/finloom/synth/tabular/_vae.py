"""TVAE-style variational autoencoder synthesizer, conditioned on the target, with optional DP-SGD."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from finloom._base import ProgressCallback, validate_param
from finloom._optional import require
from finloom.synth.tabular._conditions import Condition
from finloom.synth.tabular._torch import TorchSynthesizer, block_loss, check_common, sample_blocks

__all__ = ["VAEConfig", "VAESynthesizer"]


@dataclass
class VAEConfig:
    """Settings of :class:`VAESynthesizer` (defaults follow TVAE)."""

    epochs: int = 300
    batch_size: int = 500
    lr: float = 1e-3
    hidden: int = 128  # width of the two hidden layers of encoder and decoder
    latent: int = 128  # size of the latent code
    loss_factor: float = 2.0  # weight of reconstruction vs KL
    weight_decay: float = 1e-5
    numerical: str = "gmm"  # "gmm" (mode-specific normalisation) or "quantile"
    max_discrete: int = 100  # numericals with at most this many values are modelled as categories
    patience: int = 0  # stop after this many epochs without a lower loss (0 = never)
    dp: bool = False  # train with DP-SGD (per-example clipping + noise)
    noise_multiplier: float = 1.0
    max_grad_norm: float = 1.0
    delta: float = 1e-5

    def validate(self, owner: str) -> None:
        check_common(owner, self)
        for name in ("hidden", "latent"):
            validate_param(owner, name, getattr(self, name), lambda v: isinstance(v, int) and v >= 1, "an int >= 1")
        validate_param(owner, "patience", self.patience, lambda v: isinstance(v, int) and v >= 0, "an int >= 0")
        validate_param(owner, "noise_multiplier", self.noise_multiplier, lambda v: v > 0, "a float > 0")
        validate_param(owner, "max_grad_norm", self.max_grad_norm, lambda v: v > 0, "a float > 0")
        validate_param(owner, "delta", self.delta, lambda v: 0 < v < 1, "a float in (0, 1)")


def _vae_modules(width: int, n_cond: int, cfg: VAEConfig) -> dict[str, Any]:
    torch = require("torch", feature="VAESynthesizer")
    nn = torch.nn

    class Encoder(nn.Module):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            super().__init__()
            self.body = nn.Sequential(nn.Linear(width + n_cond, cfg.hidden), nn.ReLU(),
                                      nn.Linear(cfg.hidden, cfg.hidden), nn.ReLU())
            self.mu = nn.Linear(cfg.hidden, cfg.latent)
            self.logvar = nn.Linear(cfg.hidden, cfg.latent)

        def forward(self, x: Any) -> tuple[Any, Any]:  # x: (B, width + n_cond)
            h = self.body(x)  # (B, hidden)
            return self.mu(h), self.logvar(h)  # (B, latent) each

    class Decoder(nn.Module):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            super().__init__()
            self.body = nn.Sequential(nn.Linear(cfg.latent + n_cond, cfg.hidden), nn.ReLU(),
                                      nn.Linear(cfg.hidden, cfg.hidden), nn.ReLU(),
                                      nn.Linear(cfg.hidden, width))
            self.sigma = nn.Parameter(torch.full((width,), 0.1))

        def forward(self, z: Any) -> Any:  # z: (B, latent + n_cond)
            return self.body(z)  # (B, width) raw scalars + logits

    class VAE(nn.Module):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            super().__init__()
            self.encoder, self.decoder = Encoder(), Decoder()

    return {"vae": VAE()}


class VAESynthesizer(TorchSynthesizer):
    """TVAE-style synthesizer: mode-specific normalisation, CVAE on the target, early stopping.

    The target's class rate is kept by drawing it from its training marginal (or from the
    condition) and decoding conditionally. ``VAEConfig(dp=True)`` trains with DP-SGD and sets
    ``epsilon_``, which covers the network's updates only: the encoder's value grids and the
    target's class rate are kept exactly (:func:`~finloom.synth.tabular.dp_guarantee`).

    Examples
    --------
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"x": rng.normal(size=60), "y": rng.integers(0, 2, 60)})
    >>> synth = VAESynthesizer(VAEConfig(epochs=1, batch_size=30), random_state=0).fit(df)
    >>> synth.sample(5, random_state=0).shape
    (5, 2)
    """

    config_class = VAEConfig

    def __init__(self, config: VAEConfig | None = None, *, constraints: Any = None,
                 random_state: int | None = None, relations: bool = True) -> None:
        super().__init__(config, constraints=constraints, random_state=random_state, relations=relations)

    def _build(self, width: int, n_cond: int) -> dict[str, Any]:
        return _vae_modules(width, n_cond, self.config_)

    def _row_loss(self, vae: Any, x: Any, c: Any, eps: Any) -> Any:
        torch = require("torch", feature="VAESynthesizer")
        mu, logvar = vae.encoder(torch.cat([x, c], dim=1))
        z = mu + eps * torch.exp(0.5 * logvar)  # (B, latent)
        raw = vae.decoder(torch.cat([z, c], dim=1))
        sigma = vae.decoder.sigma.clamp(0.01, 1.0)
        recon = block_loss(raw, x, self.encoder_.blocks, sigma)
        kl = -0.5 * (1 + logvar - mu**2 - logvar.exp()).sum(dim=1)
        return self.config_.loss_factor * recon + kl  # (B,)

    def _train(self, x: Any, cond: Any, progress: ProgressCallback, gen: Any) -> None:
        torch = require("torch", feature="VAESynthesizer")
        cfg: VAEConfig = self.config_
        vae = self.modules_["vae"]
        c_all = torch.nn.functional.one_hot(cond, self._n_cond()).float() if self._n_cond() else torch.zeros(len(x), 0)
        opt = torch.optim.Adam(vae.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
        batch = min(cfg.batch_size, len(x))
        accountant = _accountant(cfg, batch / len(x)) if cfg.dp else None
        best, stale = np.inf, 0
        for epoch in range(cfg.epochs):
            vae.train()
            perm = torch.randperm(len(x), generator=gen)
            total = 0.0
            for i in range(0, len(x) - batch + 1, batch):
                idx = perm[i : i + batch]
                eps = torch.randn(len(idx), cfg.latent, generator=gen)
                total += self._step(vae, opt, (x[idx], c_all[idx], eps), gen, accountant) * len(idx)
            self.loss_history_.append(total / len(x))
            progress((epoch + 1) / cfg.epochs, f"epoch {epoch + 1}/{cfg.epochs} loss {self.loss_history_[-1]:.3f}")
            best, stale = (self.loss_history_[-1], 0) if self.loss_history_[-1] < best - 1e-3 else (best, stale + 1)
            if cfg.patience and stale >= cfg.patience:
                break
        if accountant is not None:
            self.epsilon_ = accountant.epsilon(cfg.delta)

    def _step(self, vae: Any, opt: Any, batch: tuple[Any, ...], gen: Any, accountant: Any) -> float:
        torch = require("torch", feature="VAESynthesizer")
        opt.zero_grad()
        if accountant is None:
            loss = self._row_loss(vae, *batch).mean()
            loss.backward()
        else:
            from finloom.synth.tabular._dp import dp_gradients

            def loss_one(params: dict[str, Any], x: Any, c: Any, eps: Any) -> Any:
                return _functional_loss(self, vae, params, x[None], c[None], eps[None])

            with torch.no_grad():
                loss = self._row_loss(vae, *batch).mean()
            dp_gradients(vae, loss_one, batch, max_grad_norm=self.config_.max_grad_norm,
                         noise_multiplier=self.config_.noise_multiplier, gen=gen)
            accountant.step()
        opt.step()
        return float(loss.detach())

    def _decode_rows(self, n: int, cond: Any, gen: Any, rng: np.random.Generator,
                     conditions: list[Condition]) -> np.ndarray:
        torch = require("torch", feature="VAESynthesizer")
        vae = self.modules_["vae"]
        c = torch.nn.functional.one_hot(cond, self._n_cond()).float() if self._n_cond() else torch.zeros(n, 0)
        z = torch.randn(n, self.config_.latent, generator=gen)
        raw = vae.decoder(torch.cat([z, c], dim=1))
        sigma = vae.decoder.sigma.clamp(0.01, 1.0)
        blocks = self.encoder_.blocks
        out = torch.zeros_like(raw)
        for b in blocks:
            if b.scalar:
                noise = torch.randn(n, generator=gen) * sigma[b.start]
                out[:, b.start] = torch.tanh(raw[:, b.start]) + noise
            out[:, b.onehot_start : b.end] = torch.softmax(raw[:, b.onehot_start : b.end], dim=1)
        return sample_blocks(out.numpy(), blocks, rng)


def _functional_loss(synth: VAESynthesizer, vae: Any, params: dict[str, Any], *batch: Any) -> Any:
    from torch.func import functional_call

    class _Bound:
        """Runs ``vae``'s sub-modules with ``params`` substituted."""

    bound = _Bound()
    bound.encoder = lambda inp: functional_call(  # type: ignore[attr-defined]
        vae.encoder, {k[8:]: v for k, v in params.items() if k.startswith("encoder.")}, (inp,))
    decoder_params = {k[8:]: v for k, v in params.items() if k.startswith("decoder.")}
    dec = lambda inp: functional_call(vae.decoder, decoder_params, (inp,))  # noqa: E731
    dec.sigma = decoder_params["sigma"]  # type: ignore[attr-defined]
    bound.decoder = dec  # type: ignore[attr-defined]
    return synth._row_loss(bound, *batch).sum()


def _accountant(cfg: VAEConfig, sample_rate: float) -> Any:
    from finloom.synth.tabular._dp import DPAccountant

    return DPAccountant(noise_multiplier=cfg.noise_multiplier, sample_rate=sample_rate)
