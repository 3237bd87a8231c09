"""DP-SGD: per-example gradient clipping + Gaussian noise (torch.func), with an RDP accountant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from finloom._optional import require

__all__ = ["DPAccountant", "dp_gradients"]


def dp_gradients(
    module: Any, loss_one: Callable[..., Any], batch: tuple[Any, ...], *,
    max_grad_norm: float, noise_multiplier: float, gen: Any,
) -> None:
    """Set ``module``'s ``.grad`` to the clipped, noised mean of per-example gradients.

    ``loss_one(params, *example)`` returns the scalar loss of one example given a dict of
    parameters (use ``torch.func.functional_call``). Noise std = noise_multiplier * max_grad_norm.
    """
    torch = require("torch", feature="DP-SGD")
    from torch.func import grad, vmap

    params = {k: v.detach() for k, v in module.named_parameters() if v.requires_grad}
    per_example = vmap(grad(loss_one), in_dims=(None, *([0] * len(batch))))(params, *batch)
    n = batch[0].shape[0]
    norms = torch.sqrt(sum((g.reshape(n, -1) ** 2).sum(dim=1) for g in per_example.values()))
    scale = (max_grad_norm / (norms + 1e-6)).clamp(max=1.0)  # (n,)
    named = dict(module.named_parameters())
    for k, g in per_example.items():
        clipped = (g * scale.view(-1, *[1] * (g.dim() - 1))).sum(dim=0)
        noise = torch.randn(clipped.shape, generator=gen) * noise_multiplier * max_grad_norm
        named[k].grad = (clipped + noise) / n


class DPAccountant:
    """Track the privacy spent by DP-SGD steps (Rényi DP of the subsampled Gaussian).

    Examples
    --------
    >>> acc = DPAccountant(noise_multiplier=1.0, sample_rate=0.01)
    >>> acc.step(100)
    >>> 0 < acc.epsilon(1e-5) < 10
    True
    """

    def __init__(self, *, noise_multiplier: float, sample_rate: float) -> None:
        from opacus.accountants import RDPAccountant  # the accountant only; training is ours

        self._acc = RDPAccountant()
        self.noise_multiplier = noise_multiplier
        self.sample_rate = sample_rate

    def step(self, n_steps: int = 1) -> None:
        for _ in range(n_steps):
            self._acc.step(noise_multiplier=self.noise_multiplier, sample_rate=self.sample_rate)

    def epsilon(self, delta: float) -> float:
        return float(self._acc.get_epsilon(delta=delta))
