"""Conditional convolutional VAE: Bernoulli pixel likelihood, KL to a standard normal prior."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from finloom._base import ProgressCallback, validate_param
from finloom._optional import require
from finloom.synth.images._base import BaseImageSynthesizer, batches, check_common, int_in

__all__ = ["ConvVAEConfig", "ConvVAESynthesizer"]


@dataclass
class ConvVAEConfig:
    """Settings of :class:`ConvVAESynthesizer`."""

    epochs: int = 60
    batch_size: int = 64
    lr: float = 1e-3
    latent: int = 16  # size of the latent code
    width: int = 32  # channels of the first encoder block (doubled per stage down)
    beta: float = 1.0  # weight of the KL term (1 = the evidence lower bound)
    temperature: float = 1.0  # scale of the prior noise at sampling (< 1: sharper, less varied)

    def validate(self, owner: str) -> None:
        check_common(owner, self)
        validate_param(
            owner, "latent", self.latent, lambda v: int_in(v, 1, 1024), "an int in [1, 1024]"
        )
        validate_param(owner, "beta", self.beta, lambda v: 0 < v <= 1000, "a float in (0, 1000]")
        validate_param(
            owner, "temperature", self.temperature, lambda v: 0 < v <= 10, "a float in (0, 10]"
        )


class ConvVAESynthesizer(BaseImageSynthesizer):
    """Conditional convolutional VAE: encoder and decoder both see the class.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> vae = ConvVAESynthesizer(ConvVAEConfig(epochs=1, batch_size=8), random_state=0)
    >>> vae.fit(rng.random((16, 8, 8)), [0, 1] * 8).sample(3, random_state=0).images.shape
    (3, 1, 8, 8)
    """

    config_class = ConvVAEConfig

    def __init__(
        self, config: ConvVAEConfig | None = None, *, random_state: int | None = None
    ) -> None:
        super().__init__(config, random_state=random_state)

    def _build(self, channels: int, size: int, n_classes: int) -> dict[str, Any]:
        from finloom.synth.images._nets import ConvDecoder, ConvEncoder

        cfg: ConvVAEConfig = self.config_
        return {
            "encoder": ConvEncoder(channels, size, n_classes, cfg.latent, cfg.width),
            "decoder": ConvDecoder(channels, size, n_classes, cfg.latent, cfg.width),
        }

    def _loss(self, x: Any, y: Any, gen: Any) -> Any:
        """Negative ELBO per image, averaged: pixel cross-entropy + beta * KL."""
        torch = require("torch", feature="ConvVAESynthesizer")
        mu, logvar = self.modules_["encoder"](x, y)  # (B, latent) each
        z = mu + torch.randn(mu.shape, generator=gen) * torch.exp(0.5 * logvar)
        logits = self.modules_["decoder"](z, y)  # (B, C, S, S)
        recon = (
            torch.nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="none")
            .flatten(1)
            .sum(1)
        )
        kl = -0.5 * (1 + logvar - mu**2 - logvar.exp()).sum(dim=1)
        return (recon + self.config_.beta * kl).mean()

    def _train(self, x: Any, y: Any, progress: ProgressCallback, gen: Any) -> None:
        torch = require("torch", feature="ConvVAESynthesizer")
        cfg: ConvVAEConfig = self.config_
        params = [p for m in self.modules_.values() for p in m.parameters()]
        opt = torch.optim.Adam(params, lr=cfg.lr)
        for epoch in range(cfg.epochs):
            for m in self.modules_.values():
                m.train()
            total, count = 0.0, 0
            for idx in batches(len(x), cfg.batch_size, gen):
                opt.zero_grad()
                loss = self._loss(x[idx], y[idx], gen)
                loss.backward()
                opt.step()
                total, count = total + float(loss.detach()) * len(idx), count + len(idx)
            self.loss_history_.append(total / count)
            progress(
                (epoch + 1) / cfg.epochs, f"epoch {epoch + 1}/{cfg.epochs} loss {total / count:.2f}"
            )

    def _generate(self, y: Any, gen: Any) -> Any:
        torch = require("torch", feature="ConvVAESynthesizer")
        cfg: ConvVAEConfig = self.config_
        z = torch.randn(len(y), cfg.latent, generator=gen) * cfg.temperature
        return torch.sigmoid(self.modules_["decoder"](z, y))  # mean of the pixel distribution
