"""A small class-conditional DDPM: UNet noise predictor, cosine schedule, classifier-free guidance,
deterministic strided (DDIM) sampling and an exponential moving average of the weights."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from finloom._base import ProgressCallback, validate_param
from finloom._optional import require
from finloom.synth.images._base import BaseImageSynthesizer, batches, check_common, int_in

__all__ = ["DDPMConfig", "DDPMSynthesizer", "cosine_alpha_bar"]


def cosine_alpha_bar(timesteps: int, s: float = 0.008) -> np.ndarray:
    """Cumulative signal fraction ``alpha_bar[t]`` of the cosine schedule (Nichol & Dhariwal), t = 0..T-1.

    Examples
    --------
    >>> ab = cosine_alpha_bar(100)
    >>> bool(ab[0] > 0.99 and ab[-1] < 0.01 and np.all(np.diff(ab) < 0))
    True
    """
    t = np.arange(timesteps + 1, dtype=np.float64) / timesteps
    f = np.cos((t + s) / (1 + s) * math.pi / 2) ** 2
    betas = np.clip(1 - f[1:] / f[:-1], 0.0, 0.999)
    return np.cumprod(1 - betas)


@dataclass
class DDPMConfig:
    """Settings of :class:`DDPMSynthesizer`."""

    epochs: int = 100
    batch_size: int = 64
    lr: float = 1e-3
    width: int = 32  # channels of the UNet's first level (doubled below it)
    timesteps: int = 400  # steps of the noising process
    sample_steps: int = (
        40  # denoising steps at sampling (evenly strided DDIM, deterministic given the noise)
    )
    guidance: float = 1.0  # classifier-free guidance weight (0 = plain conditional model)
    label_dropout: float = 0.1  # share of training images shown without their class (for guidance)
    ema: float = 0.995  # decay of the weight average used for sampling (0 = no average)

    def validate(self, owner: str) -> None:
        check_common(owner, self)
        validate_param(
            owner,
            "timesteps",
            self.timesteps,
            lambda v: int_in(v, 2, 4000),
            "an int in [2, 4000]",
        )
        validate_param(
            owner,
            "sample_steps",
            self.sample_steps,
            lambda v: int_in(v, 1, self.timesteps),
            "an int in [1, timesteps]",
        )
        validate_param(
            owner, "guidance", self.guidance, lambda v: 0 <= v <= 100, "a float in [0, 100]"
        )
        validate_param(
            owner, "label_dropout", self.label_dropout, lambda v: 0 <= v < 1, "a float in [0, 1)"
        )
        validate_param(owner, "ema", self.ema, lambda v: 0 <= v < 1, "a float in [0, 1)")


class DDPMSynthesizer(BaseImageSynthesizer):
    """Denoising diffusion on small images (<= 64x64), conditioned on the class.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> cfg = DDPMConfig(epochs=1, batch_size=8, timesteps=10, sample_steps=2)
    >>> ddpm = DDPMSynthesizer(cfg, random_state=0).fit(rng.random((16, 8, 8)), [0, 1] * 8)
    >>> ddpm.sample(2, labels=["0", "1"], random_state=0).images.shape
    (2, 1, 8, 8)
    """

    config_class = DDPMConfig

    def __init__(
        self, config: DDPMConfig | None = None, *, random_state: int | None = None
    ) -> None:
        super().__init__(config, random_state=random_state)

    def _build(self, channels: int, size: int, n_classes: int) -> dict[str, Any]:
        from finloom.synth.images._nets import UNet

        cfg: DDPMConfig = self.config_
        return {
            "unet": UNet(channels, size, n_classes, cfg.width),
            "ema": UNet(channels, size, n_classes, cfg.width),
        }

    def _alpha_bar(self) -> Any:
        torch = require("torch", feature="DDPMSynthesizer")
        return torch.from_numpy(cosine_alpha_bar(self.config_.timesteps)).float()

    def _train(self, x: Any, y: Any, progress: ProgressCallback, gen: Any) -> None:
        torch = require("torch", feature="DDPMSynthesizer")
        cfg: DDPMConfig = self.config_
        unet, ema = self.modules_["unet"], self.modules_["ema"]
        ema.load_state_dict(unet.state_dict())
        opt = torch.optim.Adam(unet.parameters(), lr=cfg.lr)
        ab = self._alpha_bar()
        x0_all, null = x * 2.0 - 1.0, len(self.classes_)
        for epoch in range(cfg.epochs):
            unet.train()
            total, count = 0.0, 0
            for idx in batches(len(x), cfg.batch_size, gen):
                x0, yb = x0_all[idx], y[idx].clone()
                yb[torch.rand(len(idx), generator=gen) < cfg.label_dropout] = null
                t = torch.randint(0, cfg.timesteps, (len(idx),), generator=gen)
                noise = torch.randn(x0.shape, generator=gen)
                a = ab[t][:, None, None, None]
                xt = a.sqrt() * x0 + (1 - a).sqrt() * noise  # (B, C, S, S)
                loss = torch.nn.functional.mse_loss(unet(xt, t, yb), noise)
                opt.zero_grad()
                loss.backward()
                opt.step()
                self._update_ema(unet, ema)
                total, count = total + float(loss.detach()) * len(idx), count + len(idx)
            self.loss_history_.append(total / count)
            progress(
                (epoch + 1) / cfg.epochs, f"epoch {epoch + 1}/{cfg.epochs} loss {total / count:.4f}"
            )

    def _update_ema(self, unet: Any, ema: Any) -> None:
        torch = require("torch", feature="DDPMSynthesizer")
        decay = self.config_.ema
        with torch.no_grad():
            for p_ema, p in zip(ema.parameters(), unet.parameters(), strict=True):
                p_ema.mul_(decay).add_(p.detach(), alpha=1 - decay)

    def _eps(self, net: Any, x: Any, t: int, y: Any) -> Any:
        """Predicted noise with classifier-free guidance: (1 + w) eps(x, y) - w eps(x, no class)."""
        torch = require("torch", feature="DDPMSynthesizer")
        w = self.config_.guidance
        tt = torch.full((len(x),), t, dtype=torch.long)
        if w == 0:
            return net(x, tt, y)
        both = net(
            torch.cat([x, x]),
            torch.cat([tt, tt]),
            torch.cat([y, torch.full_like(y, len(self.classes_))]),
        )
        cond, uncond = both.chunk(2)
        return (1 + w) * cond - w * uncond

    def _generate(self, y: Any, gen: Any) -> Any:
        torch = require("torch", feature="DDPMSynthesizer")
        cfg: DDPMConfig = self.config_
        ab = self._alpha_bar()
        channels, side, _ = self.image_shape_
        x = torch.randn((len(y), channels, side, side), generator=gen)
        steps = np.linspace(cfg.timesteps - 1, 0, cfg.sample_steps).round().astype(int)
        net = self.modules_["ema"] if cfg.ema > 0 else self.modules_["unet"]
        for i, t in enumerate(steps):
            a = ab[t]
            a_prev = ab[steps[i + 1]] if i + 1 < len(steps) else torch.tensor(1.0)
            eps = self._eps(net, x, int(t), y)
            x0 = ((x - (1 - a).sqrt() * eps) / a.sqrt()).clamp(-1.0, 1.0)
            eps = (x - a.sqrt() * x0) / (1 - a).sqrt()  # the noise consistent with the clipped x0
            x = a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps
        return (x + 1.0) / 2.0
