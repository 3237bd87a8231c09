"""Embedding-space adversarial training (FGM / PGD) and perturbation augmentation.

* Frozen encoder: the logistic-regression head is refined on sentence embeddings pushed, within an
  L2 ball of radius ``epsilon``, in the direction that raises the loss (:func:`adversarial_head`).
* Fine-tuned encoder (classifier and tagger): the word-embedding output is perturbed the same way
  inside each training step (:class:`EmbeddingAdversary`), and the clean and adversarial gradients
  are summed (Miyato et al. 2017; Madry et al. 2018 for the PGD variant).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from finloom.errors import ConfigError

__all__ = ["ADVERSARIAL_METHODS", "AdversarialConfig", "EmbeddingAdversary", "adversarial_head", "augment_texts",
           "augment_tokens"]

ADVERSARIAL_METHODS = ("fgm", "pgd")
# label-preserving kinds drawn for augmented copies (whitespace/full-width/traditional are better
# handled by normalisation; "number"/"entity" keep labels but teach little)
AUGMENT_KINDS = ("typo_keyboard", "typo_delete", "typo_swap", "case", "emoji", "punctuation", "synonym",
                 "number", "entity")


@dataclass
class AdversarialConfig:
    """How adversarial examples are made.

    ``method``: ``"fgm"`` (one step of size ``epsilon`` along the normalised gradient) or ``"pgd"``
    (``steps`` steps of ``2.5 * epsilon / steps``, projected back into the ``epsilon`` ball).
    """

    method: str = "fgm"
    epsilon: float = 1.0
    steps: int = 3

    def __post_init__(self) -> None:
        if self.method not in ADVERSARIAL_METHODS:
            raise ConfigError(f"adversarial must be 'fgm' or 'pgd'; got {self.method!r}. Leave it empty to "
                              "train without adversarial examples.")
        if not float(self.epsilon) > 0:
            raise ConfigError(f"adv_epsilon must be a float in (0, inf); got {self.epsilon!r}.")
        if not isinstance(self.steps, int) or self.steps < 1:
            raise ConfigError(f"adv_steps must be an int in [1, inf); got {self.steps!r}.")

    @property
    def alpha(self) -> float:
        """PGD step size."""
        return 2.5 * self.epsilon / self.steps


def augment_texts(texts: Sequence[str], copies: int, *, kinds: Sequence[str] | None = None, severity: float = 0.1,
                  seed: int = 0) -> tuple[list[str], list[int]]:
    """``copies`` perturbed versions of each text (a kind drawn per copy); returns (new texts,
    index of the source text of each). Texts a kind leaves unchanged are not repeated.

    Examples
    --------
    >>> new, src = augment_texts(["my card was declined"], 2, kinds=["case"], severity=1.0)
    >>> len(new) == len(src) == 2 and src == [0, 0]
    True
    """
    from finloom.nlp.perturb._core import kind_seed, perturb

    pool = list(kinds or AUGMENT_KINDS)
    rng = np.random.default_rng([seed, 7])
    out: list[str] = []
    source: list[int] = []
    for c in range(copies):
        drawn = rng.integers(len(pool), size=len(texts))
        for i, text in enumerate(texts):
            kind = pool[int(drawn[i])]
            new = perturb(text, kind, severity=severity, seed=kind_seed(seed + 1000 * (c + 1), kind, severity, i))
            if new != text:
                out.append(new)
                source.append(i)
    return out, source


def augment_tokens(tokens: Sequence[Sequence[str]], tags: Sequence[Sequence[str]], copies: int, *,
                   kinds: Sequence[str] | None = None, severity: float = 0.1, seed: int = 0
                   ) -> tuple[list[list[str]], list[list[str]]]:
    """Perturbed copies of tagged sentences (tags re-aligned), as :func:`augment_texts` does for texts.

    Examples
    --------
    >>> new, tags = augment_tokens([["Acme", "lends"]], [["B-ORG", "O"]], 1, kinds=["case"], severity=1.0)
    >>> new[0][0], tags[0]
    ('Acme', ['B-ORG', 'O'])
    """
    from finloom.nlp.perturb._core import kind_seed, perturb_tokens

    pool = list(kinds or AUGMENT_KINDS)
    rng = np.random.default_rng([seed, 11])
    out_tokens: list[list[str]] = []
    out_tags: list[list[str]] = []
    for c in range(copies):
        drawn = rng.integers(len(pool), size=len(tokens))
        for i, (words, labels) in enumerate(zip(tokens, tags, strict=True)):
            kind = pool[int(drawn[i])]
            new, new_tags = perturb_tokens(words, labels, kind, severity=severity,
                                           seed=kind_seed(seed + 1000 * (c + 1), kind, severity, i))
            if new != list(words) and new:
                out_tokens.append(new)
                out_tags.append(new_tags)
    return out_tokens, out_tags


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def _unit(g: np.ndarray) -> np.ndarray:
    return np.asarray(g / np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-12))


def _attack(x: np.ndarray, onehot: np.ndarray, W: np.ndarray, b: np.ndarray, cfg: AdversarialConfig) -> np.ndarray:
    """Adversarial inputs for the linear softmax head: d loss / d x = (p - y) W."""
    grad = (_softmax(x @ W.T + b) - onehot) @ W
    delta = cfg.epsilon * _unit(grad)
    if cfg.method == "pgd":
        delta = np.zeros_like(x)
        for _ in range(cfg.steps):
            grad = (_softmax((x + delta) @ W.T + b) - onehot) @ W
            delta = delta + cfg.alpha * _unit(grad)
            norm = np.linalg.norm(delta, axis=1, keepdims=True)
            delta = delta * np.minimum(1.0, cfg.epsilon / np.maximum(norm, 1e-12))
    return x + delta


def adversarial_head(
    X: np.ndarray, y: np.ndarray, W: np.ndarray, b: np.ndarray, cfg: AdversarialConfig, *, C: float,
    sample_weight: np.ndarray | None = None, epochs: int = 20, batch_size: int = 256, learning_rate: float = 0.01,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Refine a softmax head (``W`` (K, D), ``b`` (K,)) on clean + adversarial embeddings.

    Minimises mean cross-entropy over the clean and the adversarial copy of each row plus the
    logistic regression's L2 term ``|W|^2 / (2 C n)``, with Adam, starting from ``W, b``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(1, 0.3, (20, 2)), rng.normal(-1, 0.3, (20, 2))]
    >>> y = np.r_[np.zeros(20, int), np.ones(20, int)]
    >>> W, b = adversarial_head(X, y, np.zeros((2, 2)), np.zeros(2), AdversarialConfig(epsilon=0.5), C=10,
    ...                         rng=rng)
    >>> float((np.argmax(X @ W.T + b, 1) == y).mean())
    1.0
    """
    W, b = W.astype(np.float64).copy(), b.astype(np.float64).copy()
    n, k = len(X), W.shape[0]
    onehot = np.eye(k)[y]
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    moments = [np.zeros_like(W), np.zeros_like(b), np.zeros_like(W), np.zeros_like(b)]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            x, t, w = X[idx], onehot[idx], sw[idx, None]
            both = np.r_[x, _attack(x, t, W, b, cfg)]
            tt, ww = np.r_[t, t], np.r_[w, w]
            err = ww * (_softmax(both @ W.T + b) - tt) / len(both)  # d mean-loss / d logits
            gW = err.T @ both + W / (C * n)
            gb = err.sum(0)
            step += 1
            W, b = _adam(W, b, gW, gb, moments, step, learning_rate)
    return W.astype(np.float32), b.astype(np.float32)


def _adam(W: np.ndarray, b: np.ndarray, gW: np.ndarray, gb: np.ndarray, m: list[np.ndarray], step: int,
          lr: float, beta1: float = 0.9, beta2: float = 0.999) -> tuple[np.ndarray, np.ndarray]:
    out = []
    for j, (p, g) in enumerate(((W, gW), (b, gb))):
        m[j] = beta1 * m[j] + (1 - beta1) * g
        m[j + 2] = beta2 * m[j + 2] + (1 - beta2) * g * g
        hat_m, hat_v = m[j] / (1 - beta1**step), m[j + 2] / (1 - beta2**step)
        out.append(p - lr * hat_m / (np.sqrt(hat_v) + 1e-8))
    return out[0], out[1]


class EmbeddingAdversary:
    """Adds adversarial steps to a fine-tuning step by perturbing the word-embedding output.

    Call :meth:`watch` before the clean forward pass (it keeps the gradient of the embedding
    output), then :meth:`attack` after the clean backward pass: it runs the adversarial forward
    pass(es) and back-propagates their loss into the same gradients.
    """

    def __init__(self, embeddings: Any, cfg: AdversarialConfig) -> None:
        self.embeddings = embeddings
        self.cfg = cfg
        self._output: Any = None
        self._delta: Any = None
        self._handle: Any = None

    def _hook(self, module: Any, inputs: Any, output: Any) -> Any:
        if self._delta is not None:
            return output + self._delta
        output.retain_grad()
        self._output = output
        return output

    def watch(self) -> None:
        """Start capturing the embedding output of the next forward pass."""
        self.close()
        self._delta, self._output = None, None
        self._handle = self.embeddings.register_forward_hook(self._hook)

    def close(self) -> None:
        """Remove the hook."""
        if self._handle is not None:
            self._handle.remove()
            self._handle = None

    def _unit(self, grad: Any) -> Any:
        norm = grad.flatten(1).norm(dim=1).clamp_min(1e-12)  # (B,)
        return grad / norm.view(-1, *([1] * (grad.dim() - 1)))

    def attack(self, loss_of_forward: Callable[[], Any], scale: float = 1.0) -> float:
        """Adversarial forward/backward passes after the clean backward; returns the adversarial loss."""
        import torch

        if self._output is None or self._output.grad is None:
            self.close()
            return 0.0
        grad = self._output.grad.detach()
        cfg = self.cfg
        try:
            delta = cfg.epsilon * self._unit(grad)
            for _ in range(cfg.steps - 1 if cfg.method == "pgd" else 0):
                self._delta = delta.clone().requires_grad_(True)
                step_grad = torch.autograd.grad(loss_of_forward(), self._delta)[0]
                delta = self._delta.detach() + cfg.alpha * self._unit(step_grad)
                norm = delta.flatten(1).norm(dim=1).clamp_min(1e-12)
                delta = delta * (cfg.epsilon / norm).clamp(max=1.0).view(-1, *([1] * (delta.dim() - 1)))
            self._delta = delta.detach()
            loss = loss_of_forward()
            (loss * scale).backward()
            return float(loss.detach())
        finally:
            self._delta, self._output = None, None
            self.close()
