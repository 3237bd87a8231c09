"""TabDDPM-style diffusion: Gaussian diffusion on scalars, multinomial diffusion on one-hot blocks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from finloom._base import ProgressCallback, validate_param
from finloom._optional import require
from finloom.synth.tabular._conditions import Condition
from finloom.synth.tabular._torch import TorchSynthesizer, check_common

__all__ = ["DiffusionConfig", "DiffusionSynthesizer"]


@dataclass
class DiffusionConfig:
    """Settings of :class:`DiffusionSynthesizer`."""

    epochs: int = 300
    batch_size: int = 256  # 1024 left a 1,000-row table one step per epoch (quality 0.63 on attrition)
    lr: float = 2e-3
    hidden: int = 256  # width of the MLP denoiser
    depth: int = 3  # hidden layers of the denoiser
    timesteps: int = 100  # diffusion steps (training and sampling)
    numerical: str = "quantile"  # TabDDPM normalises numericals with a quantile transform
    max_discrete: int = 100
    patience: int = 0  # early stopping on the epoch loss (0 = never)
    weight_decay: float = 1e-5

    def validate(self, owner: str) -> None:
        check_common(owner, self)
        for name in ("hidden", "depth", "timesteps"):
            validate_param(owner, name, getattr(self, name), lambda v: isinstance(v, int) and v >= 1, "an int >= 1")
        validate_param(owner, "patience", self.patience, lambda v: isinstance(v, int) and v >= 0, "an int >= 0")


def cosine_alpha_bar(timesteps: int) -> np.ndarray:
    """Cumulative signal level alpha_bar_t of the cosine schedule (Nichol & Dhariwal), t=1..T.

    Examples
    --------
    >>> a = cosine_alpha_bar(10)
    >>> bool(a[0] > 0.9 and a[-1] < 0.01 and (np.diff(a) < 0).all())
    True
    """
    s = 0.008
    t = np.arange(timesteps + 1) / timesteps
    f = np.cos((t + s) / (1 + s) * math.pi / 2) ** 2
    bar = f / f[0]
    alphas = np.clip(bar[1:] / bar[:-1], 1e-4, 0.9999)
    return np.cumprod(alphas)


def _denoiser(width: int, n_cond: int, cfg: DiffusionConfig) -> Any:
    torch = require("torch", feature="DiffusionSynthesizer")
    nn = torch.nn

    class Denoiser(nn.Module):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            super().__init__()
            self.time = nn.Sequential(nn.Linear(64, cfg.hidden), nn.SiLU(), nn.Linear(cfg.hidden, cfg.hidden))
            self.label = nn.Embedding(max(n_cond, 1), cfg.hidden)
            self.proj = nn.Linear(width, cfg.hidden)
            layers: list[Any] = []
            for _ in range(cfg.depth):
                layers += [nn.Linear(cfg.hidden, cfg.hidden), nn.SiLU()]
            self.body = nn.Sequential(*layers)
            self.head = nn.Linear(cfg.hidden, width)

        def forward(self, x: Any, t: Any, y: Any) -> Any:  # x: (B, width), t: (B,), y: (B,)
            freqs = torch.exp(-math.log(10_000) * torch.arange(32) / 32)  # (32,)
            angle = t[:, None].float() * freqs[None]  # (B, 32)
            emb = self.time(torch.cat([angle.sin(), angle.cos()], dim=1))  # (B, hidden)
            h = self.proj(x) + emb + self.label(y)  # (B, hidden)
            return self.head(self.body(h))  # (B, width): eps for scalars, x0 logits for one-hots

    return Denoiser()


class DiffusionSynthesizer(TorchSynthesizer):
    """TabDDPM-style synthesizer: a class-conditional MLP denoiser over a mixed diffusion.

    Scalars (quantile-normalised numericals) follow Gaussian diffusion with a cosine schedule;
    each one-hot block (categories, null/spike/mode indicators) follows multinomial diffusion
    towards the uniform distribution. The target, when categorical, is the class label.

    Examples
    --------
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"x": rng.normal(size=60), "y": rng.integers(0, 2, 60)})
    >>> cfg = DiffusionConfig(epochs=1, batch_size=30, timesteps=5)
    >>> DiffusionSynthesizer(cfg, random_state=0).fit(df).sample(4, random_state=0).shape
    (4, 2)
    """

    config_class = DiffusionConfig

    def __init__(self, config: DiffusionConfig | None = None, *, constraints: Any = None,
                 random_state: int | None = None, relations: bool = True) -> None:
        super().__init__(config, constraints=constraints, random_state=random_state, relations=relations)

    def _build(self, width: int, n_cond: int) -> dict[str, Any]:
        return {"denoiser": _denoiser(width, n_cond, self.config_)}

    def _layout(self) -> tuple[np.ndarray, list[tuple[int, int]]]:
        scalars = np.asarray([b.start for b in self.encoder_.blocks if b.scalar], dtype=np.int64)
        cats = [(b.onehot_start, b.end) for b in self.encoder_.blocks]
        return scalars, cats

    def _train(self, x: Any, cond: Any, progress: ProgressCallback, gen: Any) -> None:
        torch = require("torch", feature="DiffusionSynthesizer")
        cfg: DiffusionConfig = self.config_
        scalars, _ = self._layout()
        x = x.clone()
        self.mean_ = x[:, scalars].mean(dim=0).numpy().astype(np.float64) if len(scalars) else np.zeros(0)
        self.std_ = x[:, scalars].std(dim=0).clamp(min=1e-3).numpy().astype(np.float64) if len(scalars) else np.zeros(0)
        if len(scalars):
            x[:, scalars] = (x[:, scalars] - torch.from_numpy(self.mean_).float()) / torch.from_numpy(self.std_).float()
        net = self.modules_["denoiser"]
        opt = torch.optim.AdamW(net.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
        batch = min(cfg.batch_size, len(x))
        n_steps = cfg.epochs * max(len(x) // batch, 1)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1.0 - s / max(n_steps, 1))
        best, stale = np.inf, 0
        for epoch in range(cfg.epochs):
            net.train()
            perm = torch.randperm(len(x), generator=gen)
            total = 0.0
            for i in range(0, len(x) - batch + 1, batch):
                idx = perm[i : i + batch]
                loss = self._loss(net, x[idx], cond[idx], gen)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                total += float(loss.detach()) * len(idx)
            self.loss_history_.append(total / (len(x) // batch * batch))
            progress((epoch + 1) / cfg.epochs, f"epoch {epoch + 1}/{cfg.epochs} loss {self.loss_history_[-1]:.3f}")
            best, stale = (self.loss_history_[-1], 0) if self.loss_history_[-1] < best - 1e-3 else (best, stale + 1)
            if cfg.patience and stale >= cfg.patience:
                break

    def _loss(self, net: Any, x0: Any, y: Any, gen: Any) -> Any:
        torch = require("torch", feature="DiffusionSynthesizer")
        scalars, cats = self._layout()
        bar = torch.from_numpy(cosine_alpha_bar(self.config_.timesteps)).float()
        t = torch.randint(self.config_.timesteps, (len(x0),), generator=gen)
        a = bar[t][:, None]  # (B, 1)
        xt = x0.clone()
        noise = torch.randn(len(x0), len(scalars), generator=gen)
        if len(scalars):
            xt[:, scalars] = a.sqrt() * x0[:, scalars] + (1 - a).sqrt() * noise
        for s, e in cats:  # q(x_t | x_0) = Cat(a x_0 + (1 - a) / K)
            probs = a * x0[:, s:e] + (1 - a) / (e - s)
            pick = torch.multinomial(probs, 1, generator=gen).squeeze(1)
            xt[:, s:e] = torch.nn.functional.one_hot(pick, e - s).float()
        out = net(xt, t, y)
        loss = ((out[:, scalars] - noise) ** 2).mean() * len(scalars) if len(scalars) else 0.0
        for s, e in cats:
            loss = loss + torch.nn.functional.cross_entropy(out[:, s:e], x0[:, s:e].argmax(dim=1))
        return loss / max(len(scalars) + len(cats), 1)

    def _decode_rows(self, n: int, cond: Any, gen: Any, rng: np.random.Generator,
                     conditions: list[Condition]) -> np.ndarray:
        torch = require("torch", feature="DiffusionSynthesizer")
        net = self.modules_["denoiser"]
        scalars, cats = self._layout()
        T = self.config_.timesteps
        bar = torch.from_numpy(cosine_alpha_bar(T)).float()
        x = torch.zeros(n, self.encoder_.width)
        x[:, scalars] = torch.randn(n, len(scalars), generator=gen)
        for s, e in cats:
            x[:, s:e] = torch.nn.functional.one_hot(torch.randint(e - s, (n,), generator=gen), e - s).float()
        for step in reversed(range(T)):
            out = net(x, torch.full((n,), step), cond)
            x = self._reverse_step(x, out, step, bar, scalars, cats, gen)
        if len(scalars):
            x[:, scalars] = x[:, scalars] * torch.from_numpy(self.std_).float() + torch.from_numpy(self.mean_).float()
        return x.numpy()

    def _reverse_step(self, x: Any, out: Any, step: int, bar: Any, scalars: np.ndarray,
                      cats: list[tuple[int, int]], gen: Any) -> Any:
        torch = require("torch", feature="DiffusionSynthesizer")
        a_bar = bar[step]
        a_prev = bar[step - 1] if step > 0 else torch.tensor(1.0)
        alpha = a_bar / a_prev
        new = x.clone()
        if len(scalars):
            # x0 from the predicted noise, clipped to the encoder's range, then the posterior
            # q(x_{t-1} | x_t, x0): dividing by sqrt(alpha) of the last steps (alpha -> 1e-4) would
            # blow a small error up 100x and collapse every row onto one value (mlc_churn).
            eps = out[:, scalars]
            xt = x[:, scalars]
            x0 = (xt - (1 - a_bar).sqrt() * eps) / a_bar.sqrt()
            mean_, std_ = torch.from_numpy(self.mean_).float(), torch.from_numpy(self.std_).float()
            x0 = torch.maximum(torch.minimum(x0, (1 - mean_) / std_), (-1 - mean_) / std_)
            beta = 1 - alpha
            mean = (a_prev.sqrt() * beta * x0 + alpha.sqrt() * (1 - a_prev) * xt) / (1 - a_bar)
            if step > 0:
                var = (1 - a_prev) / (1 - a_bar) * beta
                mean = mean + var.sqrt() * torch.randn(mean.shape, generator=gen)
            new[:, scalars] = mean
        if not cats:
            return new
        cols = torch.from_numpy(np.concatenate([np.arange(s, e) for s, e in cats]))  # (Wc,)
        block = torch.from_numpy(np.repeat(np.arange(len(cats)), [e - s for s, e in cats]))
        k = torch.tensor([float(e - s) for s, e in cats])[block]  # (Wc,) width of own block
        idx = block.expand(len(x), -1)  # (B, Wc)
        logits = out[:, cols]
        x0_hat = torch.exp(logits - _segment_max(logits, idx, len(cats))[:, block])
        x0_hat = x0_hat / torch.zeros(len(x), len(cats)).scatter_add_(1, idx, x0_hat)[:, block]
        if step == 0:
            probs = x0_hat
        else:  # q(x_{t-1} | x_t, x0_hat) for multinomial diffusion
            probs = (alpha * x[:, cols] + (1 - alpha) / k) * (a_prev * x0_hat + (1 - a_prev) / k)
        u = torch.rand(probs.shape, generator=gen).clamp_(1e-10, 1.0)
        score = torch.log(probs + 1e-30) - torch.log(-torch.log(u))  # Gumbel-max within blocks
        new[:, cols] = (score == _segment_max(score, idx, len(cats))[:, block]).float()
        return new

    def _extra_state(self) -> dict[str, Any]:
        return {"mean": self.mean_.tolist(), "std": self.std_.tolist()}

    def _load_extra(self, extra: dict[str, Any]) -> None:
        self.mean_ = np.asarray(extra["mean"], dtype=np.float64)
        self.std_ = np.asarray(extra["std"], dtype=np.float64)


def _segment_max(values: Any, idx: Any, n_segments: int) -> Any:
    """Row-wise max of ``values`` (B, W) within segments ``idx`` (B, W) -> (B, n_segments)."""
    torch = require("torch", feature="DiffusionSynthesizer")
    out = torch.full((values.shape[0], n_segments), -torch.inf)
    return out.scatter_reduce(1, idx, values, reduce="amax", include_self=True)
