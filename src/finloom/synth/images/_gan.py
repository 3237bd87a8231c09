"""Class-conditional DCGAN: transposed-convolution generator, projection discriminator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from finloom._base import ProgressCallback, validate_param
from finloom._optional import require
from finloom.synth.images._base import BaseImageSynthesizer, batches, check_common, int_in

__all__ = ["DCGANConfig", "DCGANSynthesizer"]


@dataclass
class DCGANConfig:
    """Settings of :class:`DCGANSynthesizer` (Adam betas and learning rate follow DCGAN)."""

    epochs: int = 60
    batch_size: int = 64
    lr: float = 2e-4
    latent: int = 32  # size of the noise vector
    width: int = 32  # channels of the first generator block at full size (doubled per stage down)
    label_smoothing: float = 0.9  # target of the discriminator on real images (one-sided smoothing)

    def validate(self, owner: str) -> None:
        check_common(owner, self)
        validate_param(
            owner, "latent", self.latent, lambda v: int_in(v, 1, 1024), "an int in [1, 1024]"
        )
        validate_param(
            owner,
            "label_smoothing",
            self.label_smoothing,
            lambda v: 0.5 <= v <= 1.0,
            "a float in [0.5, 1]",
        )


class DCGANSynthesizer(BaseImageSynthesizer):
    """Class-conditional DCGAN for small images (<= 64x64) with a projection discriminator.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.random((16, 8, 8)), [0, 1] * 8
    >>> gan = DCGANSynthesizer(DCGANConfig(epochs=1, batch_size=8), random_state=0).fit(x, y)
    >>> out = gan.sample(4, labels="1", random_state=0)
    >>> out.images.shape, out.labels.tolist()
    ((4, 1, 8, 8), [1, 1, 1, 1])
    """

    config_class = DCGANConfig

    def __init__(
        self, config: DCGANConfig | None = None, *, random_state: int | None = None
    ) -> None:
        super().__init__(config, random_state=random_state)

    def _build(self, channels: int, size: int, n_classes: int) -> dict[str, Any]:
        from finloom.synth.images._nets import Discriminator, Generator

        cfg: DCGANConfig = self.config_
        return {
            "generator": Generator(channels, size, n_classes, cfg.latent, cfg.width),
            "discriminator": Discriminator(channels, size, n_classes, cfg.width),
        }

    def _train(self, x: Any, y: Any, progress: ProgressCallback, gen: Any) -> None:
        torch = require("torch", feature="DCGANSynthesizer")
        cfg: DCGANConfig = self.config_
        g, d = self.modules_["generator"], self.modules_["discriminator"]
        opt_g = torch.optim.Adam(g.parameters(), lr=cfg.lr, betas=(0.5, 0.999))
        opt_d = torch.optim.Adam(d.parameters(), lr=cfg.lr, betas=(0.5, 0.999))
        real_all = x * 2.0 - 1.0  # (N, C, S, S) in [-1, 1]
        for epoch in range(cfg.epochs):
            g.train()
            d.train()
            losses = [
                self._step(g, d, opt_g, opt_d, real_all[idx], y[idx], gen)
                for idx in batches(len(x), cfg.batch_size, gen)
            ]
            loss_d = sum(a for a, _ in losses) / len(losses)
            loss_g = sum(b for _, b in losses) / len(losses)
            self.loss_history_.append(loss_g)
            progress(
                (epoch + 1) / cfg.epochs,
                f"epoch {epoch + 1}/{cfg.epochs} loss D {loss_d:.3f} G {loss_g:.3f}",
            )

    def _step(
        self, g: Any, d: Any, opt_g: Any, opt_d: Any, real: Any, y: Any, gen: Any
    ) -> tuple[float, float]:
        """One discriminator and one generator update with the non-saturating GAN loss."""
        torch = require("torch", feature="DCGANSynthesizer")
        bce = torch.nn.functional.binary_cross_entropy_with_logits
        cfg: DCGANConfig = self.config_
        z = torch.randn(len(real), cfg.latent, generator=gen)
        fake = g(z, y)  # (B, C, S, S)
        opt_d.zero_grad()
        real_logit, fake_logit = d(real, y), d(fake.detach(), y)
        loss_d = bce(real_logit, torch.full_like(real_logit, cfg.label_smoothing)) + bce(
            fake_logit, torch.zeros_like(fake_logit)
        )
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        gen_logit = d(fake, y)
        loss_g = bce(gen_logit, torch.ones_like(gen_logit))
        loss_g.backward()
        opt_g.step()
        return float(loss_d.detach()), float(loss_g.detach())

    def _generate(self, y: Any, gen: Any) -> Any:
        torch = require("torch", feature="DCGANSynthesizer")
        z = torch.randn(len(y), self.config_.latent, generator=gen)
        return (self.modules_["generator"](z, y) + 1.0) / 2.0
