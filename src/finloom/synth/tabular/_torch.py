"""Shared machinery of the torch synthesizers: encoding, target conditioning, seeded torch RNG, state.

Torch is imported inside functions so ``import finloom.synth.tabular`` stays light.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from finloom._base import ProgressCallback
from finloom._optional import require
from finloom.synth.tabular._base import BaseSynthesizer
from finloom.synth.tabular._columns import TablePlan
from finloom.synth.tabular._conditions import Condition
from finloom.synth.tabular._encoding import Block, TableEncoder

__all__ = ["TorchSynthesizer", "block_activation", "block_loss", "torch_generator"]


def torch_generator(rng: np.random.Generator) -> Any:
    """A local ``torch.Generator`` seeded from ``rng`` (never the global torch RNG)."""
    torch = require("torch", feature="torch synthesizers")
    return torch.Generator().manual_seed(int(rng.integers(2**62)))


def init_weights(module: Any, gen: Any) -> None:
    """Re-initialise Linear/Embedding weights from ``gen`` (PyTorch's default ranges)."""
    torch = require("torch", feature="torch synthesizers")
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, torch.nn.Linear):
                bound = 1.0 / np.sqrt(m.in_features)
                m.weight.uniform_(-bound, bound, generator=gen)
                if m.bias is not None:
                    m.bias.uniform_(-bound, bound, generator=gen)
            elif isinstance(m, torch.nn.Embedding):
                m.weight.normal_(0.0, 1.0, generator=gen)


def block_activation(raw: Any, blocks: list[Block], *, gen: Any = None, tau: float = 0.0) -> Any:
    """tanh on scalars; softmax (tau=0) or Gumbel-softmax with temperature ``tau`` on one-hots."""
    torch = require("torch", feature="torch synthesizers")
    outs = []
    for b in blocks:
        if b.scalar:
            outs.append(torch.tanh(raw[:, b.start : b.start + 1]))
        logits = raw[:, b.onehot_start : b.end]
        if tau > 0:
            u = torch.rand(logits.shape, generator=gen).clamp_(1e-10, 1.0)
            logits = (logits - torch.log(-torch.log(u))) / tau
        outs.append(torch.softmax(logits, dim=1))
    return torch.cat(outs, dim=1)


def block_loss(raw: Any, target: Any, blocks: list[Block], sigma: Any = None) -> Any:
    """Reconstruction loss per row: squared error on scalars, cross-entropy on one-hots."""
    torch = require("torch", feature="torch synthesizers")
    loss = torch.zeros(raw.shape[0])
    for b in blocks:
        if b.scalar:
            err = (torch.tanh(raw[:, b.start]) - target[:, b.start]) ** 2
            s = sigma[b.start] if sigma is not None else 0.1
            loss = loss + err / (2 * s**2)
        logits = raw[:, b.onehot_start : b.end]
        labels = target[:, b.onehot_start : b.end].argmax(dim=1)
        loss = loss + torch.nn.functional.cross_entropy(logits, labels, reduction="none")
    return loss


def sample_blocks(probs: np.ndarray, blocks: list[Block], rng: np.random.Generator) -> np.ndarray:
    """Replace each one-hot block's probabilities by a one-hot draw."""
    out = probs.copy()
    for b in blocks:
        p = probs[:, b.onehot_start : b.end].astype(np.float64)
        p = p / p.sum(axis=1, keepdims=True)
        pick = (p.cumsum(axis=1) < rng.random((len(p), 1))).sum(axis=1)
        pick = np.minimum(pick, b.width - 1)
        out[:, b.onehot_start : b.end] = 0.0
        out[np.arange(len(p)), b.onehot_start + pick] = 1.0
    return out


class TorchSynthesizer(BaseSynthesizer):
    """Base of the torch models: encodes the table, conditions on the target, saves weights.

    Subclasses implement ``_build(width, n_cond)`` -> dict of modules, ``_train(x, cond,
    progress, gen)`` and ``_decode_rows(n, cond, gen, rng, conditions)`` -> (n, width) matrix.
    """

    force_target = True  # overwrite the decoded target with the drawn target codes

    def _fit_model(self, df: pd.DataFrame, progress: ProgressCallback) -> None:
        torch = require("torch", feature=type(self).__name__)
        cfg = self.config_
        rng = np.random.default_rng(self.random_state)
        self.encoder_ = TableEncoder(numerical=cfg.numerical, max_discrete=cfg.max_discrete)
        self.encoder_.fit(df, self.metadata_, random_state=rng)
        self.plan_ = self.encoder_.plan
        x = torch.from_numpy(self.encoder_.encode(df, random_state=rng))
        self.cond_name_ = self._cond_column()
        codes = self._codes(df)
        self.cond_probs_ = np.bincount(codes, minlength=self._n_cond()) / len(codes) if len(codes) else np.zeros(0)
        gen = torch_generator(rng)
        self.modules_ = self._build(self.encoder_.width, self._n_cond())
        for m in self.modules_.values():
            init_weights(m, gen)
        self.loss_history_: list[float] = []
        self._train(x, torch.from_numpy(codes), progress, gen)

    def _cond_column(self) -> str | None:
        target = self.metadata_.target
        if target is None or target not in [c.name for c in self.plan_.modelled]:
            return None
        return target if self.plan_.column(target).role == "discrete" else None

    def _n_cond(self) -> int:
        return self.plan_.column(self.cond_name_).n_codes if self.cond_name_ else 0

    def _codes(self, df: pd.DataFrame) -> np.ndarray:
        if not self.cond_name_:
            return np.zeros(len(df), dtype=np.int64)
        return TablePlan([self.plan_.column(self.cond_name_)]).split(df)[self.cond_name_]

    def _draw_cond(self, n: int, conditions: list[Condition], rng: np.random.Generator) -> np.ndarray:
        """Target codes for ``n`` rows: the training marginal, restricted by a condition."""
        if not self.cond_name_:
            return np.zeros(n, dtype=np.int64)
        probs = np.asarray(self.cond_probs_, dtype=float)
        for c in conditions:
            if c.name == self.cond_name_ and c.codes is not None:
                keep = np.zeros_like(probs)
                keep[list(c.codes)] = 1.0
                probs = probs * keep if (probs * keep).sum() > 0 else keep
        return rng.choice(len(probs), size=n, p=probs / probs.sum())

    def _generate(self, n: int, conditions: list[Condition], rng: np.random.Generator) -> pd.DataFrame:
        torch = require("torch", feature=type(self).__name__)
        for m in self.modules_.values():
            m.eval()
        cond = self._draw_cond(n, conditions, rng)
        with torch.no_grad():
            matrix = self._decode_rows(n, torch.from_numpy(cond), torch_generator(rng), rng, conditions)
        if self.cond_name_ and self.force_target:
            block = next(b for b in self.encoder_.blocks if b.name == self.cond_name_)
            matrix[:, block.onehot_start : block.end] = np.eye(block.width)[cond]
        return self.encoder_.decode(matrix)

    def _get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        tensors = {
            f"{name}.{k}": v.detach().cpu().numpy()
            for name, m in self.modules_.items() for k, v in m.state_dict().items()
        }
        state = {"encoder": self.encoder_.state(), "cond_name": self.cond_name_,
                 "cond_probs": list(self.cond_probs_), "loss_history": self.loss_history_,
                 "extra": self._extra_state()}
        return state, tensors

    def _set_state(self, state: dict[str, Any], tensors: dict[str, np.ndarray]) -> None:
        torch = require("torch", feature=type(self).__name__)
        self.encoder_ = TableEncoder.from_state(state["encoder"])
        self.plan_ = self.encoder_.plan
        self.cond_name_ = state["cond_name"]
        self.cond_probs_ = np.asarray(state["cond_probs"], dtype=float)
        self.loss_history_ = state["loss_history"]
        self._load_extra(state["extra"])
        self.modules_ = self._build(self.encoder_.width, self._n_cond())
        for name, m in self.modules_.items():
            prefix = f"{name}."
            m.load_state_dict({k[len(prefix):]: torch.from_numpy(v.copy())
                               for k, v in tensors.items() if k.startswith(prefix)})

    def _extra_state(self) -> dict[str, Any]:
        return {}

    def _load_extra(self, extra: dict[str, Any]) -> None:
        return None

    def _build(self, width: int, n_cond: int) -> dict[str, Any]:
        raise NotImplementedError

    def _train(self, x: Any, cond: Any, progress: ProgressCallback, gen: Any) -> None:
        raise NotImplementedError

    def _decode_rows(self, n: int, cond: Any, gen: Any, rng: np.random.Generator,
                     conditions: list[Condition]) -> np.ndarray:
        raise NotImplementedError


def check_common(owner: str, cfg: Any) -> None:
    """Validate the fields every torch config shares."""
    from finloom._base import validate_param

    validate_param(owner, "epochs", cfg.epochs, lambda v: isinstance(v, int) and v >= 1, "an int >= 1")
    validate_param(owner, "batch_size", cfg.batch_size, lambda v: isinstance(v, int) and v >= 2, "an int >= 2")
    validate_param(owner, "lr", cfg.lr, lambda v: v > 0, "a float > 0")
    validate_param(owner, "numerical", cfg.numerical, lambda v: v in ("gmm", "quantile"), "'gmm' or 'quantile'")
    validate_param(owner, "max_discrete", cfg.max_discrete, lambda v: isinstance(v, int) and v >= 1, "an int >= 1")
