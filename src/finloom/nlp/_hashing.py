"""A torch-free text encoder: hashed character n-grams (Chinese) and words plus n-grams (Latin)."""

from __future__ import annotations

import unicodedata
import zlib

import numpy as np

__all__ = ["HashingEncoder"]


def _normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).lower()


class HashingEncoder:
    """Deterministic bag of hashed character n-grams (1-3 for Chinese, 3-5 and words for Latin),
    L2-normalised. Needs no model download; works for English and Chinese alike.

    Parameters
    ----------
    dim : int
        Number of hash buckets (the vector length).

    Examples
    --------
    >>> enc = HashingEncoder(dim=256)
    >>> v = enc(["freeze my card", "冻结我的卡"])
    >>> v.shape, round(float(np.linalg.norm(v[0])), 3)
    ((2, 256), 1.0)
    """

    def __init__(self, *, dim: int = 1024) -> None:
        self.dim = dim

    def _features(self, text: str) -> list[str]:
        text = _normalize(text)
        feats = [f"w:{w}" for w in text.split()]
        padded = f" {text} "
        for n in (1, 2, 3) if any("\u4e00" <= c <= "\u9fff" for c in text) else (3, 4, 5):
            feats.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
        return feats

    def __call__(self, texts: list[str]) -> np.ndarray:
        """Encode texts to unit vectors of shape (n, dim)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for f in self._features(text):
                h = zlib.crc32(f.encode())
                out[row, h % self.dim] += 1.0 if h >> 31 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-12, None)
