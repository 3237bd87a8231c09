"""Autoregressive synthesizer: a MADE-style masked MLP over column tokens, target first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from finloom._base import ProgressCallback, validate_param
from finloom._optional import require
from finloom.synth.tabular._base import BaseSynthesizer
from finloom.synth.tabular._columns import CONTINUOUS, TablePlan, missing_patterns, null_mask
from finloom.synth.tabular._conditions import Condition
from finloom.synth.tabular._tokens import Tokenizer
from finloom.synth.tabular._torch import init_weights, torch_generator

__all__ = ["ARConfig", "ARSynthesizer"]


@dataclass
class ARConfig:
    """Settings of :class:`ARSynthesizer`."""

    epochs: int = 60
    batch_size: int = 512
    lr: float = 2e-3
    embed: int = 16  # embedding size of each column token
    hidden: int = 256  # width of the masked hidden layers
    depth: int = 2  # masked residual hidden layers
    bins: int = 64  # equal-mass bins per continuous column
    max_discrete: int = 100
    val_fraction: float = 0.1  # rows held out for early stopping (limits memorisation)
    patience: int = 3  # epochs without a better validation loss before a lr cut / stop (0 = never)
    weight_decay: float = 1e-5
    ordinal: bool = True  # add each token's rank score (times a learned vector) to its embedding
    calibrate: bool = True  # unconditional batches: binned values take the training quantiles, by rank

    def validate(self, owner: str) -> None:
        for name in ("epochs", "batch_size", "embed", "hidden", "depth", "bins", "max_discrete"):
            validate_param(owner, name, getattr(self, name), lambda v: isinstance(v, int) and v >= 1, "an int >= 1")
        validate_param(owner, "lr", self.lr, lambda v: v > 0, "a float > 0")
        validate_param(owner, "val_fraction", self.val_fraction, lambda v: 0 <= v < 0.5, "a float in [0, 0.5)")
        validate_param(owner, "patience", self.patience, lambda v: isinstance(v, int) and v >= 0, "an int >= 0")


def _made(sizes: list[int], cfg: ARConfig, scores: list[list[float]] | None = None) -> Any:
    torch = require("torch", feature="ARSynthesizer")
    nn = torch.nn
    n_cols = len(sizes)
    deg_in = torch.arange(1, n_cols + 1).repeat_interleave(cfg.embed)  # (C * embed,)
    deg_h = torch.arange(cfg.hidden) % max(n_cols - 1, 1) + 1  # (hidden,)
    deg_out = torch.arange(1, n_cols + 1).repeat_interleave(torch.tensor(sizes))  # (sum K,)

    class MaskedLinear(nn.Linear):  # type: ignore[name-defined,misc]
        def __init__(self, mask: Any) -> None:
            super().__init__(mask.shape[1], mask.shape[0])
            self.register_buffer("mask", mask.float())

        def forward(self, x: Any) -> Any:
            return nn.functional.linear(x, self.weight * self.mask, self.bias)

    class MADE(nn.Module):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            super().__init__()
            self.embeds = nn.ModuleList(nn.Embedding(k, cfg.embed) for k in sizes)
            self.offsets = np.cumsum([0, *sizes]).tolist()
            if cfg.ordinal:  # ordered columns: neighbouring values start from neighbouring embeddings
                self.ord_w = nn.Embedding(n_cols, cfg.embed)  # per column: the direction of its rank
                flat = [v for s in (scores or [[0.0] * k for k in sizes]) for v in s]
                self.register_buffer("ord_scores", torch.tensor(flat, dtype=torch.float32))  # (sum K,)
            self.inp = MaskedLinear(deg_h[:, None] >= deg_in[None, :])
            self.layers = nn.ModuleList(MaskedLinear(deg_h[:, None] >= deg_h[None, :])
                                        for _ in range(cfg.depth - 1))
            self.out = MaskedLinear(deg_out[:, None] > deg_h[None, :])
            self.bounds = np.cumsum([0, *sizes]).tolist()

        def embed(self, tok: Any, j: int) -> Any:  # (B,) tokens of column j -> (B, embed)
            e = self.embeds[j](tok)
            if cfg.ordinal:
                e = e + self.ord_scores[self.offsets[j] + tok][:, None] * self.ord_w.weight[j]
            return e

        def hidden(self, tokens: Any) -> Any:  # tokens: (B, C) -> (B, hidden)
            e = torch.cat([self.embed(tokens[:, j], j) for j in range(len(self.embeds))], dim=1)
            h = torch.relu(self.inp(e))
            for layer in self.layers:
                h = h + torch.relu(layer(h))  # residual; same degrees keep the AR property
            return h

        def add_column(self, pre: Any, tokens: Any, j: int) -> Any:  # (B, hidden) first-layer sums
            w = (self.inp.weight * self.inp.mask)[:, j * cfg.embed : (j + 1) * cfg.embed]
            return pre + self.embed(tokens, j) @ w.T

        def from_pre(self, pre: Any) -> Any:  # (B, hidden) pre-activation -> hidden state
            h = torch.relu(pre)
            for layer in self.layers:
                h = h + torch.relu(layer(h))
            return h

        def forward(self, tokens: Any) -> Any:  # (B, C) -> (B, sum K) logits
            return self.out(self.hidden(tokens))

        def column_logits(self, h: Any, j: int) -> Any:  # (B, hidden) -> (B, K_j)
            s, e = self.bounds[j], self.bounds[j + 1]
            w = self.out.weight[s:e] * self.out.mask[s:e]
            return nn.functional.linear(h, w, self.out.bias[s:e])

    return MADE()


class ARSynthesizer(BaseSynthesizer):
    """Autoregressive synthesizer (TabularARGN-like): p(row) = prod_j p(col_j | earlier cols).

    Every column becomes a token (continuous columns: null, spikes and equal-mass bins, drawn
    back inside the bin from quantiles and snapped to the value grid). The target is modelled
    first, so the class rate is kept and a target condition is met exactly; other conditions
    are met by rejection. Early stopping on a validation split limits memorisation.

    Tokens of ordered columns (continuous, numerical, datetime, ordered categories) add their
    mean training normal score times a learned vector to their embedding (``ordinal``), so
    neighbouring bins start close and numeric dependence is learned from few rows. Without
    conditions, the binned values of each continuous column are then mapped by rank to the
    training quantiles (``calibrate``; batches with at least 200 such cells): the marginal
    matches the training one, nulls, spike values and every row's ranks stay as sampled.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"x": rng.normal(size=80).round(2), "y": rng.integers(0, 2, 80)})
    >>> synth = ARSynthesizer(ARConfig(epochs=1, hidden=16), random_state=0).fit(df)
    >>> set(synth.sample(5, conditions={"y": 1}, random_state=0)["y"])
    {1}
    """

    config_class = ARConfig

    def __init__(self, config: ARConfig | None = None, *, constraints: Any = None,
                 random_state: int | None = None, relations: bool = True) -> None:
        super().__init__(config, constraints=constraints, random_state=random_state, relations=relations)

    def _order(self) -> list[int]:
        """Target first, then the missing-value pattern token (index ``len(columns)``), then the rest."""
        names = [c.name for c in self.plan_.modelled]
        first = [names.index(self.metadata_.target)] if self.metadata_.target in names else []
        first += [len(names)] if self.pattern_cols_ else []
        return first + [j for j in range(len(names)) if j not in first]

    def _sizes(self) -> list[int]:
        """Vocabulary sizes of the token columns (the pattern token last), in model order."""
        sizes = self.tokenizer_.sizes + ([len(self.patterns_)] if self.pattern_cols_ else [])
        return [sizes[j] for j in self.order_]

    def _tokens(self, parts: dict[str, np.ndarray]) -> np.ndarray:
        """Token matrix of the split table; with two or more nullable columns the joint missing
        pattern is one more token, sampled before the values, which are then masked to it."""
        tokens = self.tokenizer_.encode(parts)
        nullable = [c.name for c in self.plan_.modelled if c.has_null]
        self.pattern_cols_: list[str] = nullable if len(nullable) >= 2 else []
        self.patterns_: list[list[bool]] = []
        if not self.pattern_cols_:
            return tokens
        miss = np.column_stack([null_mask(parts[c], self.plan_.column(c)) for c in self.pattern_cols_])
        patterns, codes, _ = missing_patterns(miss)
        self.patterns_ = patterns.tolist()
        return np.column_stack([tokens, codes])

    def _null_token(self, name: str) -> int:
        col = self.plan_.column(name)
        return 0 if col.role == CONTINUOUS else len(col.values)  # continuous: null is special 0

    def _fit_model(self, df: pd.DataFrame, progress: ProgressCallback) -> None:
        torch = require("torch", feature="ARSynthesizer")
        cfg: ARConfig = self.config_
        rng = np.random.default_rng(self.random_state)
        self.plan_ = TablePlan.fit(df, self.metadata_, max_discrete=cfg.max_discrete)
        parts = self.plan_.split(df)
        self.tokenizer_ = Tokenizer(self.plan_, bins=cfg.bins).fit(parts)
        raw = self._tokens(parts)
        self.order_ = self._order()
        tokens = torch.from_numpy(raw[:, self.order_])
        gen = torch_generator(rng)
        scores = self.tokenizer_.rank_scores(parts, raw[:, : len(self.tokenizer_.sizes)])
        scores += [[0.0] * len(self.patterns_)] if self.pattern_cols_ else []
        self.net_ = _made(self._sizes(), cfg, [scores[j] for j in self.order_])
        init_weights(self.net_, gen)
        n_val = int(len(tokens) * cfg.val_fraction) if len(tokens) >= 20 else 0
        perm = torch.randperm(len(tokens), generator=gen)
        first = tokens[:, 0].numpy() if len(self.order_) else np.zeros(0, dtype=np.int64)
        counts = np.bincount(first, minlength=self.net_.bounds[1] if len(self.order_) else 0)
        self.first_probs_ = (counts / max(counts.sum(), 1)).tolist()  # exact marginal of column 1
        self.loss_history_: list[float] = []
        self._train(tokens[perm[n_val:]], tokens[perm[:n_val]], progress, gen)

    def _loss(self, tokens: Any) -> Any:
        torch = require("torch", feature="ARSynthesizer")
        logits = self.net_(tokens)
        b = self.net_.bounds
        return sum(torch.nn.functional.cross_entropy(logits[:, b[j] : b[j + 1]], tokens[:, j])
                   for j in range(tokens.shape[1]))

    def _train(self, train: Any, val: Any, progress: ProgressCallback, gen: Any) -> None:
        torch = require("torch", feature="ARSynthesizer")
        cfg: ARConfig = self.config_
        opt = torch.optim.AdamW(self.net_.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
        batch = min(cfg.batch_size, len(train))
        best, best_state, stale, cuts = np.inf, None, 0, 0
        for epoch in range(cfg.epochs):
            self.net_.train()
            perm = torch.randperm(len(train), generator=gen)
            for i in range(0, len(train) - batch + 1, batch):
                loss = self._loss(train[perm[i : i + batch]])
                opt.zero_grad()
                loss.backward()
                opt.step()
            self.net_.eval()
            with torch.no_grad():
                score = float(self._loss(val if len(val) else train[:batch]))
            self.loss_history_.append(score)
            progress((epoch + 1) / cfg.epochs, f"epoch {epoch + 1}/{cfg.epochs} val loss {score:.3f}")
            if score < best - 1e-4:
                best, stale = score, 0
                best_state = {k: v.clone() for k, v in self.net_.state_dict().items()}
                continue
            stale += 1
            if cfg.patience and stale >= cfg.patience:
                if cuts >= 2:  # plateau after two learning-rate cuts: stop
                    break
                cuts, stale = cuts + 1, 0  # plateau: back to the best weights, lr / 4
                self.net_.load_state_dict(best_state or self.net_.state_dict())
                for group in opt.param_groups:
                    group["lr"] *= 0.25
        if best_state is not None:
            self.net_.load_state_dict(best_state)
        progress(1.0, "trained")

    def _generate(self, n: int, conditions: list[Condition], rng: np.random.Generator) -> pd.DataFrame:
        torch = require("torch", feature="ARSynthesizer")
        gen = torch_generator(rng)
        names = [c.name for c in self.plan_.modelled]
        names_all = [*names, "\x00pattern"]
        first = names_all[self.order_[0]] if self.order_ else None
        allowed = next((c.codes for c in conditions if c.name == first and c.codes is not None), None)
        tokens = torch.zeros(n, len(self.order_), dtype=torch.long)
        pattern_pos = self.order_.index(len(names)) if self.pattern_cols_ else -1
        patterns = torch.tensor(self.patterns_, dtype=torch.bool) if self.pattern_cols_ else None
        self.net_.eval()
        with torch.no_grad():
            pre = self.net_.inp.bias.expand(n, -1)  # first layer, filled column by column
            for j in range(len(self.order_)):
                if j == 0:  # the first column (the target) follows its training marginal
                    logits = torch.log(torch.tensor(self.first_probs_) + 1e-12).expand(n, -1).clone()
                else:
                    logits = self.net_.column_logits(self.net_.from_pre(pre), j)
                if j == 0 and allowed is not None:
                    keep = torch.full_like(logits[0], -torch.inf)
                    keep[list(allowed)] = 0.0
                    logits = logits + keep
                name = names_all[self.order_[j]]
                if patterns is not None and name in self.pattern_cols_:  # follow the sampled pattern
                    null = patterns[tokens[:, pattern_pos], self.pattern_cols_.index(name)]
                    tok = self._null_token(name)
                    only_null = torch.full_like(logits, -torch.inf)
                    only_null[:, tok] = 0.0
                    logits = torch.where(null[:, None], only_null, logits)
                    logits[~null, tok] = -torch.inf
                u = torch.rand(logits.shape, generator=gen).clamp_(1e-10, 1.0)
                tokens[:, j] = (logits - torch.log(-torch.log(u))).argmax(dim=1)
                pre = self.net_.add_column(pre, tokens[:, j], j)
        inverse = np.argsort(self.order_)
        tokens_np = tokens.numpy()[:, inverse][:, : len(names)]
        parts = self.tokenizer_.decode(tokens_np, rng)
        if self.config_.calibrate and not conditions:  # conditions change the marginals: leave them
            parts = self.tokenizer_.calibrate(parts, tokens_np)
        return self.plan_.merge(parts, n)

    def _missing_patterns(self) -> int | None:
        return len(self.patterns_) if self.pattern_cols_ else None

    def _get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        tensors = {k: v.detach().cpu().numpy() for k, v in self.net_.state_dict().items()}
        state = {"plan": self.plan_.to_dict(), "tokenizer": self.tokenizer_.state(),
                 "order": self.order_, "loss_history": self.loss_history_,
                 "first_probs": self.first_probs_, "pattern_cols": self.pattern_cols_,
                 "patterns": self.patterns_}
        return state, tensors

    def _set_state(self, state: dict[str, Any], tensors: dict[str, np.ndarray]) -> None:
        torch = require("torch", feature="ARSynthesizer")
        self.plan_ = TablePlan.from_dict(state["plan"])
        self.tokenizer_ = Tokenizer.from_state(self.plan_, state["tokenizer"])
        self.order_ = state["order"]
        self.loss_history_ = state["loss_history"]
        self.first_probs_ = state["first_probs"]
        self.pattern_cols_ = state.get("pattern_cols", [])
        self.patterns_ = state.get("patterns", [])
        if "ord_scores" not in tensors:  # saved before the rank scores existed
            self.config_.ordinal = False
        self.net_ = _made(self._sizes(), self.config_)
        self.net_.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in tensors.items()})
