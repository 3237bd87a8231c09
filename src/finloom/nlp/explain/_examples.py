"""Nearest training examples: training texts, labels and their unit vectors in the model's
embedding space, stored next to a model (safetensors + JSON) and searched by cosine similarity."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from finloom._base import check_random_state
from finloom._serialization import load_state, save_state
from finloom.errors import ConfigError, InvalidDataError

__all__ = ["EXAMPLES_DIR", "NO_EXAMPLES", "Neighbour", "TrainingExamples", "embed_texts", "load_examples"]

EXAMPLES_DIR = "examples"  # inside a saved model's folder
MAX_EXAMPLES = 5_000  # kept per model (a stratified sample beyond that): ~4 MB of float16 vectors
NO_EXAMPLES = ("this model has no stored training embeddings, so nearest training examples are not "
               "available; retrain it (training now stores them) to get them")


@dataclass(frozen=True)
class Neighbour:
    """A training example close to the explained text: its ``text``, ``label`` and cosine ``similarity``."""

    text: str
    label: str
    similarity: float


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.clip(np.linalg.norm(x, axis=1, keepdims=True), 1e-12, None)


def embed_texts(model: Any, texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of ``texts`` in the space the model's head reads: a
    :class:`~finloom.nlp.TextClassifier`'s window vectors (character channel included) averaged
    per text, or an intent classifier's features.

    Raises
    ------
    ConfigError
        The model offers no embeddings (an ONNX Runtime copy).
    """
    texts = [str(t) for t in texts]
    if hasattr(model, "_windows"):  # TextClassifier
        from finloom.nlp._encoder import aggregate_windows

        vectors, mapping = model._windows(texts)
        return aggregate_windows(vectors, mapping, len(texts))
    if hasattr(model, "_features"):  # the customer-service intent classifier
        return _unit(model._features(texts, None))
    raise ConfigError(f"model must expose its embeddings for nearest examples; got {type(model).__name__}. "
                      "Use the TextClassifier the copy was exported from.")


def _sample(labels: list[str], limit: int, rng: np.random.Generator) -> np.ndarray:
    """Up to ``limit`` positions, the same share of every label (at least one each)."""
    if len(labels) <= limit:
        return np.arange(len(labels))
    share = limit / len(labels)
    arr = np.asarray(labels)
    keep: list[int] = []
    for lab in sorted(set(labels)):
        idx = rng.permutation(np.flatnonzero(arr == lab))
        keep.extend(int(i) for i in idx[: max(1, int(round(share * len(idx))))])
    return np.asarray(sorted(keep))


class TrainingExamples:
    """Training texts with their labels and unit vectors, for "closest training examples".

    Examples
    --------
    >>> ex = TrainingExamples(["lost card", "fx rate"], ["card", "fx"], np.eye(2, dtype=np.float32))
    >>> [n.label for n in ex.nearest(np.array([[0.9, 0.1]]), k=1)[0]]
    ['card']
    """

    def __init__(self, texts: Sequence[str], labels: Sequence[Any], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or len(vectors) != len(texts) or len(texts) != len(labels):
            raise InvalidDataError(f"texts, labels and vectors must have one row each; got {len(texts)}, "
                                   f"{len(labels)} and shape {vectors.shape}.")
        self.texts = [str(t) for t in texts]
        self.labels = [str(lab) for lab in labels]
        self.vectors = _unit(vectors)

    def __len__(self) -> int:
        return len(self.texts)

    @classmethod
    def build(cls, model: Any, texts: Sequence[str], labels: Sequence[Any], *,
              max_examples: int = MAX_EXAMPLES, random_state: int | None = 0) -> TrainingExamples:
        """Embed (a stratified sample of at most ``max_examples``) training texts with ``model``."""
        labels = [str(lab) for lab in labels]
        keep = _sample(labels, max_examples, check_random_state(random_state))
        chosen = [str(texts[i]) for i in keep]
        return cls(chosen, [labels[i] for i in keep], embed_texts(model, chosen))

    def nearest(self, queries: np.ndarray, *, k: int = 5) -> list[list[Neighbour]]:
        """The ``k`` most similar training examples for each query vector (rows of ``queries``)."""
        sims = _unit(np.atleast_2d(queries)) @ self.vectors.T  # (Q, M)
        k = min(k, len(self))
        out = []
        for row in sims:
            top = np.argsort(-row, kind="stable")[:k]
            out.append([Neighbour(self.texts[i], self.labels[i], round(float(row[i]), 6)) for i in top])
        return out

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write ``config.json`` (texts, labels) + ``model.safetensors`` (float16 vectors)."""
        return save_state(path, kind=type(self).__name__, config={"texts": self.texts, "labels": self.labels},
                          tensors={"vectors": self.vectors.astype(np.float16)})

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TrainingExamples:
        """Read what :meth:`save` wrote."""
        state = load_state(path, kind=cls.__name__)
        return cls(state["config"]["texts"], state["config"]["labels"], state["tensors"]["vectors"])


def load_examples(model_dir: str | os.PathLike[str] | None) -> TrainingExamples | None:
    """The examples stored in ``model_dir/examples``, or ``None`` when the model has none.

    Examples
    --------
    >>> load_examples("/no/such/model") is None
    True
    """
    if model_dir is None:
        return None
    folder = Path(model_dir) / EXAMPLES_DIR
    return TrainingExamples.load(folder) if (folder / "config.json").is_file() else None
