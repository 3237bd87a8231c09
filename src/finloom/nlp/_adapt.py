"""Domain adaptation of a sentence encoder on unlabelled text: unsupervised SimCSE.

Each text is encoded twice with dropout on; the two views of a text must find each other among
the batch's other texts (in-batch contrastive loss, Gao et al. 2021). No labels are needed, so
the encoder can be adapted on any pile of in-domain text (tweets, filings, customer messages)
in minutes on a CPU. The result is written as a Hugging Face folder (``model.safetensors``,
``config.json``, the tokenizer, plus ``adaptation.json`` recording how it was made), loadable
as ``Encoder(path)`` or through ``FINLOOM_ENCODER_PATH``.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from finloom._base import ProgressCallback, noop_progress
from finloom._optional import require
from finloom.errors import InvalidDataError
from finloom.nlp._contrastive import embed_batch, optimizer_step
from finloom.nlp._encoder import Encoder
from finloom.nlp._finetune import length_batches, linear_warmup_decay, pad_collator

__all__ = ["AdaptConfig", "adapt_encoder", "clean_corpus", "simcse_loss"]

ADAPTATION_FILE = "adaptation.json"


@dataclass
class AdaptConfig:
    """Hyper-parameters of unsupervised SimCSE tuning (defaults fit a 2-core CPU in minutes).

    Examples
    --------
    >>> AdaptConfig(max_texts=3200, token_deletion=0.3).batch_size
    32
    """

    epochs: int = 1
    batch_size: int = 32  # texts per step; each text's other-batch texts are its negatives
    learning_rate: float = 1e-5
    temperature: float = 0.05
    max_length: int = 64  # tokens kept per text
    max_texts: int | None = None  # sample this many texts from the corpus (None = all)
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    max_grad_norm: float = 1.0
    min_chars: int = 3  # shorter texts are dropped
    token_deletion: float = 0.15  # share of word pieces deleted from the second view (0: pure SimCSE)


def clean_corpus(texts: Iterable[Any], *, min_chars: int = 3) -> list[str]:
    """Check and tidy an unlabelled corpus: strings only, stripped, short ones and repeats dropped.

    Raises
    ------
    InvalidDataError
        When ``texts`` is a bare string, holds a non-string item, or nothing usable is left.

    Examples
    --------
    >>> clean_corpus(["  Shares fell 5%. ", "Shares fell 5%.", "ok", "Guidance raised"])
    ['Shares fell 5%.', 'Guidance raised']
    >>> clean_corpus([])
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: adaptation corpus is empty: pass a list of at least 2 texts of 3 or more characters.
    """
    if isinstance(texts, (str, bytes)):
        raise InvalidDataError("adaptation corpus must be a list of texts, got a single string; "
                               "wrap it in a list or pass a file's lines.")
    out: list[str] = []
    seen: set[str] = set()
    for i, item in enumerate(texts):
        if not isinstance(item, str):
            raise InvalidDataError(f"adaptation corpus item {i} is {type(item).__name__} "
                                   f"({item!r:.40}), not text: pass a list of strings.")
        text = " ".join(item.split())
        if len(text) >= min_chars and text not in seen:
            seen.add(text)
            out.append(text)
    if len(out) < 2:
        raise InvalidDataError(f"adaptation corpus is empty: pass a list of at least 2 texts of "
                               f"{min_chars} or more characters.")
    return out


def simcse_loss(a: Any, b: Any, temperature: float) -> Any:
    """In-batch loss: row i of ``a`` must pick row i of ``b``; (B, C) unit vectors each.

    Examples
    --------
    >>> import torch
    >>> round(float(simcse_loss(torch.eye(3), torch.eye(3), 0.05)), 6)  # each row finds its twin
    0.0
    """
    torch = require("torch", feature="encoder adaptation")
    sim = a @ b.T / temperature  # (B, B)
    return torch.nn.functional.cross_entropy(sim, torch.arange(len(a), device=sim.device))


def delete_tokens(batch: dict[str, Any], rate: float, gen: Any) -> dict[str, Any]:
    """Drop about ``rate`` of each row's inner tokens (never the first and last), re-padding left.

    Examples
    --------
    >>> import torch
    >>> b = {"input_ids": torch.tensor([[101, 5, 6, 7, 102, 0]]),
    ...      "attention_mask": torch.tensor([[1, 1, 1, 1, 1, 0]])}
    >>> delete_tokens(b, 0.0, torch.Generator())["input_ids"].tolist()
    [[101, 5, 6, 7, 102, 0]]
    """
    torch = require("torch", feature="encoder adaptation")
    mask = batch["attention_mask"].bool()  # (B, T)
    if rate <= 0:
        return batch
    lengths = mask.sum(1)  # (B,)
    pos = torch.arange(mask.shape[1])[None, :]  # (1, T)
    inner = mask & (pos > 0) & (pos < (lengths - 1)[:, None])
    keep = mask & ~(inner & (torch.rand(mask.shape, generator=gen) < rate))
    order = torch.argsort((~keep).to(torch.int8), dim=1, stable=True)  # kept tokens first, in order
    out = {k: torch.gather(v, 1, order) for k, v in batch.items()}
    new_mask = torch.gather(keep, 1, order)
    out["attention_mask"] = new_mask.to(batch["attention_mask"].dtype)
    out["input_ids"] = out["input_ids"].masked_fill(~new_mask, 0)
    return out


def _simcse(model: Any, collate: Any, lengths: np.ndarray, cfg: AdaptConfig,
            rng: np.random.Generator, progress: ProgressCallback) -> list[float]:
    torch = require("torch", feature="encoder adaptation")
    epochs = [length_batches(lengths, cfg.batch_size, rng) for _ in range(cfg.epochs)]
    epochs = [[b for b in batches if len(b) >= 2] for batches in epochs]  # a lone text has no negative
    total = max(1, sum(len(b) for b in epochs))
    warmup = int(cfg.warmup_ratio * total)
    optim = torch.optim.AdamW(model.parameters(), lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda s: linear_warmup_decay(s, warmup, total))
    gen = torch.Generator().manual_seed(int(rng.integers(2**31)))
    losses: list[float] = []
    model.train()  # dropout on: the two passes see different noise
    try:
        for epoch, batches in enumerate(epochs):
            for idx in batches:
                batch = collate(idx)
                a = embed_batch(model, batch)  # (B, C), dropout noise
                b = embed_batch(model, delete_tokens(batch, cfg.token_deletion, gen))  # (B, C)
                losses.append(optimizer_step(simcse_loss(a, b, cfg.temperature), model, optim, sched, cfg.max_grad_norm))
                progress(len(losses) / total, f"simcse epoch {epoch + 1}/{cfg.epochs} step "
                         f"{len(losses)}/{total} loss {losses[-1]:.4f}")
    finally:
        model.eval()
    return losses


def adapt_encoder(
    texts: Iterable[str],
    out_dir: str | os.PathLike[str],
    *,
    encoder: str | os.PathLike[str] | None = None,
    config: AdaptConfig | None = None,
    random_state: int = 0,
    progress: ProgressCallback = noop_progress,
) -> Path:
    """Adapt ``encoder`` to the domain of ``texts`` (unsupervised SimCSE) and save it to ``out_dir``.

    ``encoder`` is a local HF model folder (``None``: the bundled MiniLM). The folder is written
    under a temporary name and renamed into place, so ``out_dir`` is either complete or absent;
    an existing ``out_dir`` is replaced. Returns ``out_dir``, loadable as ``Encoder(out_dir)``.

    Raises
    ------
    InvalidDataError
        When the corpus is empty or holds something other than text.

    Examples
    --------
    >>> path = adapt_encoder(["Shares fell 5% after the profit warning.",
    ...                       "The bank raised its full-year guidance."],
    ...                      "/tmp/adapted_minilm")  # doctest: +SKIP
    >>> Encoder(path).encode(["revenue beat estimates"]).shape  # doctest: +SKIP
    (1, 384)
    """
    torch = require("torch", feature="encoder adaptation")
    cfg = config or AdaptConfig()
    corpus = clean_corpus(texts, min_chars=cfg.min_chars)
    rng = np.random.default_rng(random_state)
    if cfg.max_texts is not None and len(corpus) > cfg.max_texts:
        corpus = [corpus[i] for i in np.sort(rng.choice(len(corpus), cfg.max_texts, replace=False))]
    enc = Encoder(encoder, max_length=cfg.max_length)
    collate, lengths = pad_collator(enc.tokenizer, corpus, cfg.max_length)
    start = time.perf_counter()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(rng.integers(2**31)))
        losses = _simcse(enc.model, collate, lengths, cfg, rng, progress)
    seconds = time.perf_counter() - start
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        enc.model.save_pretrained(str(tmp), safe_serialization=True)
        enc.tokenizer.save_pretrained(str(tmp))
        record = {"method": "simcse-unsupervised" + (
            f" + {cfg.token_deletion:.0%} token deletion" if cfg.token_deletion > 0 else ""), "base_encoder": str(enc.path),
                  "n_texts": len(corpus), "steps": len(losses), "train_seconds": seconds,
                  "random_state": random_state, "config": asdict(cfg),
                  "loss_first": losses[0] if losses else None,
                  "loss_last_mean": float(np.mean(losses[-max(1, math.ceil(len(losses) / 10)):]))
                  if losses else None}
        (tmp / ADAPTATION_FILE).write_text(json.dumps(record, indent=2), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
