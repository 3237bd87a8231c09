"""Constrained Viterbi decoding of per-token tag probabilities into well-formed BIO or IO tags."""

from __future__ import annotations

import numpy as np

__all__ = ["allowed_transitions", "viterbi_tags"]


def _type(tag: str) -> str:
    return tag[2:] if tag != "O" else ""


def allowed_transitions(tags: list[str], scheme: str) -> np.ndarray:
    """Boolean (K + 1, K) matrix: row ``i`` -> column ``j`` allowed; the last row is the start.

    BIO: ``I-X`` may only follow ``B-X`` or ``I-X``. IO: ``I-X`` may not follow ``I-Y``
    (Y != X), so the tokens of one entity share one type.

    Examples
    --------
    >>> allowed_transitions(["O", "B-ORG", "I-ORG"], "bio").astype(int).tolist()
    [[1, 1, 0], [1, 1, 1], [1, 1, 1], [1, 1, 0]]
    >>> allowed_transitions(["O", "I-LOC", "I-ORG"], "io").astype(int).tolist()
    [[1, 1, 1], [1, 1, 0], [1, 0, 1], [1, 1, 1]]
    """
    k = len(tags)
    ok = np.ones((k + 1, k), dtype=bool)
    for j, to in enumerate(tags):
        if not to.startswith("I-"):
            continue
        for i, prev in enumerate([*tags, "O"]):
            if scheme == "bio":
                ok[i, j] = prev != "O" and _type(prev) == _type(to) if i < k else False
            elif prev.startswith("I-") and i < k:
                ok[i, j] = _type(prev) == _type(to)
    return ok


def viterbi_tags(log_proba: np.ndarray, tags: list[str], allowed: np.ndarray) -> list[str]:
    """Most probable tag path (sum of token log-probabilities) using only allowed transitions.

    Examples
    --------
    >>> tags = ["O", "I-LOC", "I-ORG"]
    >>> p = np.log([[0.1, 0.6, 0.3], [0.1, 0.4, 0.5], [0.9, 0.05, 0.05]])
    >>> viterbi_tags(p, tags, allowed_transitions(tags, "io"))
    ['I-LOC', 'I-LOC', 'O']
    """
    n, k = log_proba.shape
    if n == 0:
        return []
    penalty = np.where(allowed, 0.0, -np.inf)  # (K + 1, K)
    score = log_proba[0] + penalty[k]  # (K,)
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + penalty[:k]  # (K, K): previous tag x current tag
        back[t] = cand.argmax(0)
        score = cand.max(0) + log_proba[t]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return [tags[i] for i in reversed(path)]
