"""CTGAN-style GAN synthesizer: conditional vector with training-by-sampling, PacGAN, WGAN-GP."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from finloom._base import ProgressCallback, validate_param
from finloom._optional import require
from finloom.synth.tabular._conditions import Condition
from finloom.synth.tabular._encoding import Block
from finloom.synth.tabular._torch import TorchSynthesizer, block_activation, check_common

__all__ = ["GANConfig", "GANSynthesizer"]


@dataclass
class GANConfig:
    """Settings of :class:`GANSynthesizer` (defaults follow CTGAN)."""

    epochs: int = 300
    batch_size: int = 500  # must be a multiple of ``pac``
    lr: float = 2e-4
    noise_dim: int = 128
    hidden: int = 256  # width of generator residual layers and discriminator layers
    pac: int = 10  # PacGAN: the critic judges ``pac`` rows at a time
    critic_steps: int = 1
    gp_weight: float = 10.0  # WGAN-GP gradient penalty
    tau: float = 0.2  # Gumbel-softmax temperature
    numerical: str = "gmm"
    max_discrete: int = 100
    dp: bool = False  # DP-SGD on the critic (the only network that sees real rows)
    noise_multiplier: float = 1.0
    max_grad_norm: float = 1.0
    delta: float = 1e-5

    def validate(self, owner: str) -> None:
        check_common(owner, self)
        validate_param(owner, "pac", self.pac, lambda v: isinstance(v, int) and v >= 1, "an int >= 1")
        validate_param(owner, "batch_size", self.batch_size, lambda v: v % self.pac == 0,
                       f"a multiple of pac={self.pac}")
        for name in ("noise_dim", "hidden", "critic_steps"):
            validate_param(owner, name, getattr(self, name), lambda v: isinstance(v, int) and v >= 1, "an int >= 1")
        validate_param(owner, "tau", self.tau, lambda v: v > 0, "a float > 0")


def _gan_modules(width: int, cond_width: int, cfg: GANConfig) -> dict[str, Any]:
    torch = require("torch", feature="GANSynthesizer")
    nn = torch.nn

    class Residual(nn.Module):  # type: ignore[name-defined,misc]
        def __init__(self, d_in: int, d_out: int) -> None:
            super().__init__()
            self.fc, self.bn = nn.Linear(d_in, d_out), nn.BatchNorm1d(d_out)

        def forward(self, x: Any) -> Any:  # (B, d_in) -> (B, d_in + d_out)
            return torch.cat([torch.relu(self.bn(self.fc(x))), x], dim=1)

    d0 = cfg.noise_dim + cond_width
    generator = nn.Sequential(Residual(d0, cfg.hidden), Residual(d0 + cfg.hidden, cfg.hidden),
                              nn.Linear(d0 + 2 * cfg.hidden, width))
    critic = nn.Sequential(nn.Linear(cfg.pac * (width + cond_width), cfg.hidden), nn.LeakyReLU(0.2),
                           nn.Linear(cfg.hidden, cfg.hidden), nn.LeakyReLU(0.2),
                           nn.Linear(cfg.hidden, 1))
    return {"generator": generator, "critic": critic}


class CondSampler:
    """Training-by-sampling: pick a discrete column, a category by log-frequency, a matching row."""

    def __init__(self, x: np.ndarray, blocks: list[Block], rng: np.random.Generator) -> None:
        self.blocks = [b for b in blocks if not b.scalar]
        self.offsets = np.cumsum([0] + [b.width for b in self.blocks])
        self.rng = rng
        self.rows: list[list[np.ndarray]] = []
        self.logp: list[np.ndarray] = []
        for b in self.blocks:
            cats = x[:, b.onehot_start : b.end].argmax(axis=1)
            self.rows.append([np.flatnonzero(cats == k) for k in range(b.width)])
            logf = np.log1p(np.bincount(cats, minlength=b.width).astype(float))
            self.logp.append(logf / logf.sum())

    @property
    def width(self) -> int:
        return int(self.offsets[-1])

    def draw(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """cond (n, width), mask (n, n_blocks), real row indices (n,), chosen column (n,)."""
        cond = np.zeros((n, self.width), dtype=np.float32)
        col = self.rng.integers(len(self.blocks), size=n)
        rows = np.empty(n, dtype=np.int64)
        for j in np.unique(col):
            idx = np.flatnonzero(col == j)
            cats = self.rng.choice(len(self.logp[j]), size=len(idx), p=self.logp[j])
            cond[idx, self.offsets[j] + cats] = 1.0
            for k in np.unique(cats):
                sel = idx[cats == k]
                pool = self.rows[j][k]
                rows[sel] = pool[self.rng.integers(len(pool), size=len(sel))]
        mask = np.zeros((n, len(self.blocks)), dtype=np.float32)
        mask[np.arange(n), col] = 1.0
        return cond, mask, rows, col


class GANSynthesizer(TorchSynthesizer):
    """CTGAN-style synthesizer; a condition on one categorical column is met exactly.

    Sampling draws the conditional vector from the target's training marginal (or from the
    condition), so the class rate is kept. ``GANConfig(dp=True)`` trains the critic with DP-SGD
    (per-example clipping + noise; ``pac`` is then 1) and sets ``epsilon_``, which covers the
    critic's updates only: the model also keeps exact category counts and the encoder's value
    grids (:func:`~finloom.synth.tabular.dp_guarantee` says what is and is not covered).

    Examples
    --------
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"x": rng.normal(size=60), "c": rng.choice(["a", "b"], 60)})
    >>> synth = GANSynthesizer(GANConfig(epochs=1, batch_size=20), random_state=0).fit(df)
    >>> set(synth.sample(10, conditions={"c": "a"}, random_state=0)["c"])
    {'a'}
    """

    config_class = GANConfig
    force_target = False

    def __init__(self, config: GANConfig | None = None, *, constraints: Any = None,
                 random_state: int | None = None, relations: bool = True) -> None:
        super().__init__(config, constraints=constraints, random_state=random_state, relations=relations)

    def _cond_width(self) -> int:
        return sum(b.width for b in self.encoder_.blocks if not b.scalar)

    def _build(self, width: int, n_cond: int) -> dict[str, Any]:
        cfg = self.config_
        if cfg.dp and cfg.pac != 1:
            from dataclasses import replace

            cfg = replace(cfg, pac=1)
        return _gan_modules(width, self._cond_width(), cfg)

    def _pac(self) -> int:
        return 1 if self.config_.dp else self.config_.pac

    def _train(self, x: Any, cond: Any, progress: ProgressCallback, gen: Any) -> None:
        torch = require("torch", feature="GANSynthesizer")
        cfg: GANConfig = self.config_
        g, d = self.modules_["generator"], self.modules_["critic"]
        rng = np.random.default_rng(int(torch.randint(2**62, (1,), generator=gen)))
        sampler = CondSampler(x.numpy(), self.encoder_.blocks, rng) if self._cond_width() else None
        self.cat_counts_ = {
            b.name: np.bincount(x[:, b.onehot_start : b.end].argmax(dim=1).numpy(), minlength=b.width).tolist()
            for b in self.encoder_.blocks if not b.scalar
        }
        opt_g = torch.optim.Adam(g.parameters(), lr=cfg.lr, betas=(0.5, 0.9), weight_decay=1e-6)
        opt_d = torch.optim.Adam(d.parameters(), lr=cfg.lr, betas=(0.5, 0.9), weight_decay=1e-6)
        pac = self._pac()
        batch = max(pac, min(cfg.batch_size, len(x)) // pac * pac)
        steps = max(len(x) // batch, 1)
        accountant = None
        if cfg.dp:
            from finloom.synth.tabular._dp import DPAccountant

            accountant = DPAccountant(noise_multiplier=cfg.noise_multiplier, sample_rate=batch / len(x))
        for epoch in range(cfg.epochs):
            g.train()
            d.train()
            for _ in range(steps):
                for _ in range(cfg.critic_steps):
                    loss_d = self._critic_step(x, sampler, batch, gen, opt_d, accountant)
                loss_g = self._generator_step(sampler, batch, gen, opt_g)
            self.loss_history_.append(loss_g)
            progress((epoch + 1) / cfg.epochs,
                     f"epoch {epoch + 1}/{cfg.epochs} loss_g {loss_g:.3f} loss_d {loss_d:.3f}")
        if accountant is not None:
            self.epsilon_ = accountant.epsilon(cfg.delta)

    def _fake(self, c: Any, n: int, gen: Any, tau: float) -> Any:
        torch = require("torch", feature="GANSynthesizer")
        z = torch.randn(n, self.config_.noise_dim, generator=gen)
        raw = self.modules_["generator"](torch.cat([z, c], dim=1))  # (B, width)
        return raw, block_activation(raw, self.encoder_.blocks, gen=gen, tau=tau)

    def _draw(self, sampler: CondSampler | None, n: int) -> tuple[Any, Any, np.ndarray, np.ndarray]:
        torch = require("torch", feature="GANSynthesizer")
        if sampler is None:
            return torch.zeros(n, 0), torch.zeros(n, 0), np.arange(n), np.zeros(n, dtype=np.int64)
        cond, mask, rows, col = sampler.draw(n)
        return torch.from_numpy(cond), torch.from_numpy(mask), rows, col

    def _critic_step(self, x: Any, sampler: CondSampler | None, n: int, gen: Any, opt: Any,
                     accountant: Any) -> float:
        torch = require("torch", feature="GANSynthesizer")
        d, pac = self.modules_["critic"], self._pac()
        c, _, rows, _ = self._draw(sampler, n)
        if sampler is None:
            rows = torch.randint(len(x), (n,), generator=gen).numpy()
        with torch.no_grad():
            _, fake = self._fake(c, n, gen, self.config_.tau)
        real = torch.cat([x[torch.from_numpy(rows)], c], dim=1).view(n // pac, -1)
        fake = torch.cat([fake, c], dim=1).view(n // pac, -1)
        opt.zero_grad()
        if accountant is None:
            alpha = torch.rand(n // pac, 1, generator=gen)
            mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
            grads = torch.autograd.grad(d(mixed).sum(), mixed, create_graph=True)[0]
            penalty = ((grads.view(-1, pac * real.shape[1] // pac).norm(dim=1) - 1) ** 2).mean()
            loss = d(fake).mean() - d(real).mean() + self.config_.gp_weight * penalty
            loss.backward()
        else:
            loss = self._dp_critic(d, real, fake, gen, accountant)
        opt.step()
        return float(loss.detach())

    def _dp_critic(self, d: Any, real: Any, fake: Any, gen: Any, accountant: Any) -> Any:
        """Wasserstein loss with per-real-row clipped, noised gradients (weight clipping for 1-Lipschitz)."""
        torch = require("torch", feature="GANSynthesizer")
        from torch.func import functional_call

        from finloom.synth.tabular._dp import dp_gradients

        def loss_one(params: dict[str, Any], r: Any, f: Any) -> Any:
            out = functional_call(d, params, (torch.stack([r, f]),))
            return (out[1] - out[0]).sum()

        with torch.no_grad():
            loss = d(fake).mean() - d(real).mean()
        dp_gradients(d, loss_one, (real, fake), max_grad_norm=self.config_.max_grad_norm,
                     noise_multiplier=self.config_.noise_multiplier, gen=gen)
        accountant.step()
        with torch.no_grad():
            for p in d.parameters():
                p.clamp_(-0.05, 0.05)
        return loss

    def _generator_step(self, sampler: CondSampler | None, n: int, gen: Any, opt: Any) -> float:
        torch = require("torch", feature="GANSynthesizer")
        d, pac = self.modules_["critic"], self._pac()
        c, mask, _, _ = self._draw(sampler, n)
        raw, fake = self._fake(c, n, gen, self.config_.tau)
        loss = -d(torch.cat([fake, c], dim=1).view(n // pac, -1)).mean()
        if sampler is not None:
            loss = loss + self._cond_loss(raw, c, mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return float(loss.detach())

    def _cond_loss(self, raw: Any, c: Any, mask: Any) -> Any:
        """Cross-entropy between the generated category and the conditional vector."""
        torch = require("torch", feature="GANSynthesizer")
        losses, offset = [], 0
        for b in (b for b in self.encoder_.blocks if not b.scalar):
            labels = c[:, offset : offset + b.width].argmax(dim=1)
            losses.append(torch.nn.functional.cross_entropy(
                raw[:, b.onehot_start : b.end], labels, reduction="none"))
            offset += b.width
        return (torch.stack(losses, dim=1) * mask).sum() / len(raw)

    def _decode_rows(self, n: int, cond: Any, gen: Any, rng: np.random.Generator,
                     conditions: list[Condition]) -> np.ndarray:
        torch = require("torch", feature="GANSynthesizer")
        from finloom.synth.tabular._torch import sample_blocks

        dblocks = [b for b in self.encoder_.blocks if not b.scalar]
        offsets = np.cumsum([0] + [b.width for b in dblocks])
        c = np.zeros((n, self._cond_width()), dtype=np.float32)
        name, codes = self._cond_choice(conditions, cond.numpy(), rng, n)
        if name is not None:
            j = [b.name for b in dblocks].index(name)
            c[np.arange(n), offsets[j] + codes] = 1.0
        elif dblocks:  # no target: CTGAN's original-frequency conditional vector
            col = rng.integers(len(dblocks), size=n)
            for j, b in enumerate(dblocks):
                rows = np.flatnonzero(col == j)
                p = np.asarray(self.cat_counts_[b.name], dtype=float) + 1e-9
                c[rows, offsets[j] + rng.choice(b.width, size=len(rows), p=p / p.sum())] = 1.0
        _, fake = self._fake(torch.from_numpy(c), n, gen, 0.0)
        out = fake.numpy()
        if name is not None:
            b = dblocks[j]
            out[:, b.onehot_start : b.end] = np.eye(b.width, dtype=np.float32)[codes]
        return sample_blocks(out, [b for b in self.encoder_.blocks if b.name != name], rng)

    def _cond_choice(self, conditions: list[Condition], target_codes: np.ndarray,
                     rng: np.random.Generator, n: int) -> tuple[str | None, np.ndarray]:
        """The column the conditional vector fixes: a discrete condition first, else the target."""
        for cond in conditions:
            if cond.codes is not None:
                counts = np.asarray(self.cat_counts_[cond.name], dtype=float)[list(cond.codes)] + 1e-9
                pick = rng.choice(np.asarray(cond.codes), size=n, p=counts / counts.sum())
                return cond.name, pick
        if self.cond_name_:
            return self.cond_name_, target_codes
        return None, np.zeros(n, dtype=np.int64)

    def _extra_state(self) -> dict[str, Any]:
        return {"cat_counts": self.cat_counts_}

    def _load_extra(self, extra: dict[str, Any]) -> None:
        self.cat_counts_ = extra["cat_counts"]
