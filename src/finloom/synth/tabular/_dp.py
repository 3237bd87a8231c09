"""DP-SGD: per-example gradient clipping + Gaussian noise (torch.func), with an RDP accountant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from finloom._optional import require

__all__ = ["DPAccountant", "DPGuarantee", "dp_gradients", "dp_guarantee"]

# What every torch synthesizer releases without noise: the table encoder is fitted on the real rows.
_ENCODER_STATISTICS = [
    "the set of observed values of every discrete column (category names and ids)",
    "the spike values, decimal places, value grid step, minimum and maximum of every numeric or date column",
    "the share of values on each coarser round step (whole numbers, hundreds, ...) in up to 8 value bins "
    "of every numeric column",
    "the relations between columns found in the real rows (sums, differences, products, ratios, orders) "
    "with the share of rows where each holds",
    "the null rate of every column",
    "the per-column normaliser fitted on the real values (mixture-mode means and widths, or quantiles)",
    "the exact class rate of the target column (used to draw the target when sampling)",
]
_COVERS = {
    "GANSynthesizer": "the critic's parameter updates (DP-SGD: per-example gradient clipping and Gaussian noise); "
                      "the generator sees the real rows only through the critic",
    "VAESynthesizer": "the encoder's and decoder's parameter updates (DP-SGD: per-example gradient clipping "
                      "and Gaussian noise)",
}
_NOT_COVERED = {
    "GANSynthesizer": [
        "the exact row count of every category of every discrete column (stored to draw conditional vectors)",
        "which real rows enter each critic batch: rows are picked per category (training-by-sampling), so rows "
        "of rare categories are used more often than the uniform sampling rate the accountant assumes, and "
        "their privacy loss can exceed epsilon",
    ],
}


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


@dataclass(frozen=True)
class DPGuarantee:
    """What a DP-trained synthesizer's epsilon covers and what the saved model releases without noise.

    The saved model as a whole is not (epsilon, delta)-differentially private: ``not_covered``
    lists what it stores exactly from the real rows.
    """

    model: str
    epsilon: float
    delta: float
    covers: str
    not_covered: list[str]

    def statement(self) -> str:
        """One paragraph for model cards and reports."""
        exact = "; ".join(self.not_covered)
        return (f"{self.model} was trained with DP-SGD: epsilon = {self.epsilon:.3g} at delta = {self.delta:g} "
                f"covers {self.covers} only. The model is not differentially private as a whole: it also "
                f"stores, without noise, {exact}.")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "statement": self.statement()}


def dp_guarantee(synth: Any) -> DPGuarantee | None:
    """The :class:`DPGuarantee` of a fitted synthesizer trained with ``dp=True``, else None.

    Examples
    --------
    >>> class Fitted:  # stands for a GANSynthesizer fitted with GANConfig(dp=True)
    ...     epsilon_, config_ = 2.5, type("Cfg", (), {"delta": 1e-5})()
    >>> Fitted.__name__ = "GANSynthesizer"
    >>> g = dp_guarantee(Fitted())
    >>> g.epsilon, g.covers.startswith("the critic's parameter updates")
    (2.5, True)
    >>> "exact row count of every category" in g.statement()
    True
    """
    epsilon = getattr(synth, "epsilon_", None)
    if epsilon is None:
        return None
    name = type(synth).__name__
    covers = _COVERS.get(name, "the model's parameter updates (DP-SGD)")
    return DPGuarantee(model=name, epsilon=float(epsilon), delta=float(synth.config_.delta), covers=covers,
                       not_covered=[*_NOT_COVERED.get(name, []), *_ENCODER_STATISTICS])
