"""Full fine-tuning of an encoder with a mean-pooling head: AdamW, warm-up + linear decay,
class weights, gradient accumulation, early stopping on a validation split.
"""

from __future__ import annotations

import copy
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from finloom._base import ProgressCallback, noop_progress
from finloom._optional import require
from finloom.nlp._encoder import mean_pool, resolve_encoder_path

__all__ = ["FineTuneConfig", "TrainHistory", "default_finetune_learning_rate", "length_batches", "linear_warmup_decay", "pad_collator",
           "train"]


@dataclass
class FineTuneConfig:
    """Hyper-parameters of the fine-tuning loop."""

    epochs: int = 4
    batch_size: int = 32
    learning_rate: float = 1e-4  # encoder weights
    head_learning_rate: float = 2e-3  # the freshly initialised linear head learns faster
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1  # fraction of optimiser steps spent warming up
    grad_accum_steps: int = 1  # optimiser step every this many batches
    patience: int = 2  # epochs without validation improvement before stopping
    max_grad_norm: float = 1.0
    dropout: float = 0.1


@dataclass
class TrainHistory:
    """Per-step training loss and per-epoch validation score, plus the best epoch."""

    step_loss: list[float] = field(default_factory=list)
    epoch_loss: list[float] = field(default_factory=list)
    val_score: list[float] = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False


def default_finetune_learning_rate(path: str | os.PathLike[str] | None) -> float:
    """Encoder learning rate for fine-tuning: 1e-4 for small encoders (hidden size <= 384, such
    as the bundled MiniLM), the usual 3e-5 for base-size ones.

    Examples
    --------
    >>> default_finetune_learning_rate(None)  # the bundled MiniLM
    0.0001
    """
    config = json.loads((resolve_encoder_path(path) / "config.json").read_text(encoding="utf-8"))
    return 1e-4 if int(config.get("hidden_size", 384)) <= 384 else 3e-5


def linear_warmup_decay(step: int, warmup: int, total: int) -> float:
    """Learning-rate factor: linear 0 -> 1 over ``warmup`` steps, then linear 1 -> 0 at ``total``.

    Examples
    --------
    >>> [round(linear_warmup_decay(s, 2, 10), 2) for s in (0, 1, 2, 6, 10)]
    [0.5, 1.0, 1.0, 0.5, 0.0]
    """
    if step < warmup:
        return (step + 1) / max(1, warmup)
    return max(0.0, (total - step) / max(1, total - warmup))


def pad_collator(tokenizer: Any, texts: list[str], max_length: int
                 ) -> tuple[Callable[[np.ndarray], dict[str, Any]], np.ndarray]:
    """Tokenise once; return (indices -> padded batch of those texts, token lengths).

    Batches are padded only to their longest member (dynamic padding).
    """
    enc = tokenizer(list(texts), truncation=True, max_length=max_length)
    keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]

    def collate(idx: np.ndarray) -> dict[str, Any]:
        return dict(tokenizer.pad([{k: enc[k][i] for k in keys} for i in idx], return_tensors="pt"))

    return collate, np.asarray([len(ids) for ids in enc["input_ids"]])


def length_batches(lengths: np.ndarray, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffle, sort by length inside pools of 50 batches, cut batches, shuffle batch order.

    Similar lengths share a batch, so dynamic padding wastes little compute.

    Examples
    --------
    >>> b = length_batches(np.array([5, 1, 4, 2]), 2, np.random.default_rng(0))
    >>> sorted(sorted(x.tolist()) for x in b)
    [[0, 2], [1, 3]]
    """
    order = rng.permutation(len(lengths))
    pool = batch_size * 50
    batches: list[np.ndarray] = []
    for start in range(0, len(order), pool):
        chunk = order[start : start + pool]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    return [batches[i] for i in rng.permutation(len(batches))]


def build_head_model(encoder_model: Any, n_out: int, dropout: float) -> Any:
    """Wrap an HF encoder with dropout + a linear head on the normalised mean-pooled tokens."""
    torch = require("torch", feature="fine-tuning")
    nn = torch.nn

    class PooledClassifier(nn.Module):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder_model
            self.dropout = nn.Dropout(dropout)
            self.head = nn.Linear(int(encoder_model.config.hidden_size), n_out)

        def forward(self, batch: dict[str, Any]) -> Any:
            hidden = self.encoder(**batch).last_hidden_state  # (B, T, C)
            pooled = mean_pool(hidden, batch["attention_mask"])  # (B, C)
            pooled = nn.functional.normalize(pooled, dim=-1)  # unit length, as in frozen mode
            return self.head(self.dropout(pooled))  # (B, K)

    return PooledClassifier()


def _optimizer(net: Any, cfg: FineTuneConfig) -> Any:
    torch = require("torch", feature="fine-tuning")
    decay: list[Any] = []
    no_decay: list[Any] = []
    for name, param in net.encoder.named_parameters():
        (no_decay if param.ndim < 2 or "LayerNorm" in name else decay).append(param)
    groups = [
        {"params": decay, "weight_decay": cfg.weight_decay, "lr": cfg.learning_rate},
        {"params": no_decay, "weight_decay": 0.0, "lr": cfg.learning_rate},
        {"params": list(net.head.parameters()), "weight_decay": 0.0, "lr": cfg.head_learning_rate},
    ]
    return torch.optim.AdamW(groups)


def train(
    net: Any,
    collate: Callable[[np.ndarray], dict[str, Any]],
    lengths: np.ndarray,
    targets: Any,
    loss_fn: Callable[[Any, Any], Any],
    cfg: FineTuneConfig,
    *,
    validate: Callable[[], float] | None,
    rng: np.random.Generator,
    progress: ProgressCallback = noop_progress,
    adversary: Any = None,
) -> TrainHistory:
    """Run the loop; keeps the weights of the best validation epoch. Returns the history.

    ``collate(indices)`` returns the padded batch for those training rows; ``targets[indices]``
    the matching targets; ``validate()`` returns a score where higher is better. ``adversary``
    (an :class:`~finloom.nlp._adversarial.EmbeddingAdversary`) adds an adversarial pass to each step.
    """
    torch = require("torch", feature="fine-tuning")
    per_epoch = math.ceil(len(lengths) / cfg.batch_size)
    total = max(1, math.ceil(per_epoch / cfg.grad_accum_steps) * cfg.epochs)
    warmup = int(cfg.warmup_ratio * total)
    optim = _optimizer(net, cfg)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: linear_warmup_decay(s, warmup, total)
    )
    history, best_state, best, bad = TrainHistory(), None, -math.inf, 0
    for epoch in range(cfg.epochs):
        def report(i: int, loss: float, e: int = epoch) -> None:
            progress((e * per_epoch + i + 1) / (cfg.epochs * per_epoch),
                     f"epoch {e + 1}/{cfg.epochs} step {i + 1}/{per_epoch} loss {loss:.4f}")

        losses = _train_epoch(net, collate, lengths, targets, loss_fn, cfg, optim, sched, rng, report, adversary)
        history.step_loss.extend(losses)
        history.epoch_loss.append(float(np.mean(losses)))
        if validate is None:
            continue
        score = validate()
        history.val_score.append(score)
        progress((epoch + 1) / cfg.epochs, f"epoch {epoch + 1}: validation score {score:.4f}")
        if score > best:
            best, bad, history.best_epoch = score, 0, epoch
            best_state = copy.deepcopy(net.state_dict())
        else:
            bad += 1
            if bad >= cfg.patience:
                history.stopped_early = True
                break
    if best_state is not None:
        net.load_state_dict(best_state)
    net.eval()
    return history


def _train_epoch(
    net: Any,
    collate: Callable[[np.ndarray], dict[str, Any]],
    lengths: np.ndarray,
    targets: Any,
    loss_fn: Callable[[Any, Any], Any],
    cfg: FineTuneConfig,
    optim: Any,
    sched: Any,
    rng: np.random.Generator,
    report: Callable[[int, float], None],
    adversary: Any = None,
) -> list[float]:
    torch = require("torch", feature="fine-tuning")
    net.train()
    losses: list[float] = []
    batches = length_batches(lengths, cfg.batch_size, rng)
    for i, idx in enumerate(batches):
        batch, target = collate(idx), targets[torch.as_tensor(idx)]
        if adversary is not None:
            adversary.watch()
        logits = net(batch)  # (B, K)
        loss = loss_fn(logits, target)
        (loss / cfg.grad_accum_steps).backward()
        if adversary is not None:  # clean + adversarial gradients, summed
            adversary.attack(lambda b=batch, t=target: loss_fn(net(b), t), 1.0 / cfg.grad_accum_steps)
        if (i + 1) % cfg.grad_accum_steps == 0 or i + 1 == len(batches):
            torch.nn.utils.clip_grad_norm_(net.parameters(), cfg.max_grad_norm)
            optim.step()
            sched.step()
            optim.zero_grad(set_to_none=True)
        losses.append(float(loss.detach()))
        report(i, losses[-1])
    return losses
