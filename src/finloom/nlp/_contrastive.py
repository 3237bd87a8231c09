"""SetFit-style contrastive tuning of a sentence encoder on a few labelled texts.

Pairs of same-label texts are pulled together, every other text in the batch is pushed away
(supervised in-batch contrastive loss); a logistic regression is then fitted on the tuned
embeddings. Few examples per class go a long way, at a small fraction of fine-tuning's cost.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from finloom._base import ProgressCallback, noop_progress
from finloom._optional import require
from finloom.nlp._encoder import Encoder, mean_pool
from finloom.nlp._finetune import length_batches, linear_warmup_decay, pad_collator

__all__ = ["ContrastiveConfig", "contrastive_tune", "positive_pairs", "supervised_contrastive_loss",
           "tune_encoder"]


@dataclass
class ContrastiveConfig:
    """Hyper-parameters of the contrastive tuning loop."""

    epochs: int = 1  # passes over the pair list
    batch_size: int = 16  # pairs per step; the batch's other texts are the negatives
    learning_rate: float = 2e-5
    pairs_per_text: int = 4  # positive partners drawn for each text per epoch
    temperature: float = 0.05  # cosine similarities are divided by this
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    max_grad_norm: float = 1.0


def positive_pairs(y: np.ndarray, pairs_per_text: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``pairs_per_text`` same-label partners per text; returns shuffled (P, 2) indices.

    Texts alone in their class get no pair.

    Examples
    --------
    >>> p = positive_pairs(np.array([0, 0, 1, 1, 2]), 2, np.random.default_rng(0))
    >>> p.shape, bool((np.array([0, 0, 1, 1, 2])[p[:, 0]] == np.array([0, 0, 1, 1, 2])[p[:, 1]]).all())
    ((8, 2), True)
    """
    pairs: list[tuple[int, int]] = []
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        if len(members) < 2:
            continue
        for i in members:
            others = members[members != i]
            picked = rng.choice(others, size=pairs_per_text, replace=len(others) < pairs_per_text)
            pairs.extend((int(i), int(j)) for j in picked)
    out = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return out[rng.permutation(len(out))]


def supervised_contrastive_loss(a: Any, b: Any, labels: Any, temperature: float) -> Any:
    """In-batch loss: row i of ``a`` must pick row i of ``b`` among all rows of other labels.

    ``a``, ``b``: (B, C) unit vectors of anchors and their positives; ``labels``: (B,) anchor
    labels. Same-label rows other than i are masked out instead of counted as negatives.
    """
    torch = require("torch", feature="contrastive tuning")
    sim = a @ b.T / temperature  # (B, B)
    same = labels[:, None] == labels[None, :]  # (B, B)
    eye = torch.eye(len(labels), dtype=torch.bool, device=sim.device)
    sim = sim.masked_fill(same & ~eye, float("-inf"))
    target = torch.arange(len(labels), device=sim.device)
    return torch.nn.functional.cross_entropy(sim, target)


def embed_batch(model: Any, batch: dict[str, Any]) -> Any:
    """Unit-length mean-pooled sentence vectors of a tokenised batch, (B, C)."""
    torch = require("torch", feature="contrastive tuning")
    hidden = model(**batch).last_hidden_state  # (B, T, C)
    return torch.nn.functional.normalize(mean_pool(hidden, batch["attention_mask"]), dim=-1)


def optimizer_step(loss: Any, model: Any, optim: Any, sched: Any, max_grad_norm: float) -> float:
    """One optimiser step with gradient clipping; returns the loss as a float."""
    torch = require("torch", feature="contrastive tuning")
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
    optim.step()
    sched.step()
    optim.zero_grad(set_to_none=True)
    return float(loss.detach())


def contrastive_tune(
    model: Any,
    collate: Callable[[np.ndarray], dict[str, Any]],
    lengths: np.ndarray,
    y: np.ndarray,
    cfg: ContrastiveConfig,
    *,
    rng: np.random.Generator,
    progress: ProgressCallback = noop_progress,
) -> list[float]:
    """Tune ``model`` (an HF encoder) in place on same-label pairs; returns the step losses.

    ``collate(indices)`` returns the padded batch of those texts, ``lengths`` their token
    counts (pairs of similar length share a batch, so padding wastes little compute) and
    ``y`` their integer labels.
    """
    torch = require("torch", feature="contrastive tuning")
    pairs = [positive_pairs(y, cfg.pairs_per_text, rng) for _ in range(cfg.epochs)]
    total = max(1, sum(math.ceil(len(p) / cfg.batch_size) for p in pairs))
    warmup = int(cfg.warmup_ratio * total)
    optim = torch.optim.AdamW(model.parameters(), lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda s: linear_warmup_decay(s, warmup, total))
    labels = torch.as_tensor(y)
    losses: list[float] = []
    model.train()
    for epoch, epoch_pairs in enumerate(pairs):
        pair_lengths = lengths[epoch_pairs].max(1)
        for batch in length_batches(pair_lengths, cfg.batch_size, rng):
            chunk = epoch_pairs[batch]  # (B, 2)
            both = embed_batch(model, collate(np.concatenate([chunk[:, 0], chunk[:, 1]])))  # (2B, C)
            a, b = both[: len(chunk)], both[len(chunk) :]
            loss = supervised_contrastive_loss(a, b, labels[torch.as_tensor(chunk[:, 0])], cfg.temperature)
            losses.append(optimizer_step(loss, model, optim, sched, cfg.max_grad_norm))
            progress(len(losses) / total, f"contrastive epoch {epoch + 1}/{cfg.epochs} "
                     f"step {len(losses)}/{total} loss {losses[-1]:.4f}")
    model.eval()
    return losses


def tune_encoder(
    encoder: Encoder,
    texts: list[str],
    y: np.ndarray,
    cfg: ContrastiveConfig,
    *,
    rng: np.random.Generator,
    progress: ProgressCallback = noop_progress,
) -> list[float]:
    """Tune ``encoder.model`` in place on ``texts`` and their integer labels ``y``.

    Texts are tokenised once (cut at ``encoder.max_length``); torch's generator is seeded from
    ``rng`` inside a forked state, so the caller's global torch state is left as it was.
    Returns the step losses.
    """
    torch = require("torch", feature="contrastive tuning")
    collate, lengths = pad_collator(encoder.tokenizer, texts, encoder.max_length)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(rng.integers(2**31)))
        return contrastive_tune(encoder.model, collate, lengths, np.asarray(y), cfg, rng=rng,
                                progress=progress)
