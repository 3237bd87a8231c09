"""A torch-free text encoder: hashed character n-grams (Chinese) and words plus n-grams (Latin)."""

from __future__ import annotations

import unicodedata
import zlib

import numpy as np

__all__ = ["CJK_SHARE", "CharChannel", "HashingEncoder", "cjk_share", "has_cjk", "resolve_char_channel"]


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


_CJK_RANGES = (("\u3040", "\u30ff"), ("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uac00", "\ud7af"),
               ("\uf900", "\ufaff"))
CJK_SHARE = 0.2  # "auto" adds the channel when at least this share of training texts has CJK characters


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese, Japanese or Korean character.

    Examples
    --------
    >>> has_cjk("卡丢了 card"), has_cjk("lost card")
    (True, False)
    """
    return any(lo <= ch <= hi for ch in text for lo, hi in _CJK_RANGES)


def cjk_share(texts: list[str]) -> float:
    """Share of ``texts`` holding a CJK character (0.0 for no texts).

    Examples
    --------
    >>> cjk_share(["我的卡丢了", "lost card", "卡", "hi"])
    0.5
    """
    return sum(map(has_cjk, texts)) / len(texts) if texts else 0.0


class CharChannel:
    """Hashed character n-grams (:class:`HashingEncoder`) put beside sentence-encoder vectors.

    The English MiniLM reads Chinese characters as mostly unknown or rare tokens, so on Chinese
    messages its vectors barely separate intents; character 1-3-grams do. The block is the unit
    hashing vector times ``weight`` (3: it carries 90 % of the squared norm next to a unit
    encoder vector, the best of 0.5-6 on a split of the demo's Chinese training table). Saved as
    JSON (:meth:`to_dict`), so a reloaded model computes the same features.

    Examples
    --------
    >>> ch = CharChannel(dim=64)
    >>> X = ch.append(np.zeros((2, 4), np.float32), np.array([0, 1]), ["冻结我的卡", "余额"])
    >>> X.shape, round(float(np.linalg.norm(X[0])), 3)
    ((2, 68), 3.0)
    >>> CharChannel.from_dict(ch.to_dict()).to_dict() == ch.to_dict()
    True
    """

    def __init__(self, *, dim: int = 4096, weight: float = 3.0) -> None:
        self.dim = int(dim)
        self.weight = float(weight)
        self._encoder = HashingEncoder(dim=self.dim)

    def __call__(self, texts: list[str]) -> np.ndarray:
        """The channel's block for ``texts``: shape (n, dim), rows of norm ``weight``."""
        return self._encoder(list(texts)) * np.float32(self.weight)

    def append(self, vectors: np.ndarray, mapping: np.ndarray, texts: list[str]) -> np.ndarray:
        """``vectors`` (one row per window; ``mapping`` = window -> text) with each window's
        text block appended: shape (W, D + dim), float32."""
        block = self([str(t) for t in texts])[np.asarray(mapping, dtype=np.int64)]
        return np.hstack([np.asarray(vectors, dtype=np.float32), block]).astype(np.float32, copy=False)

    def to_dict(self) -> dict[str, float | int | str]:
        """JSON-safe description, read back by :meth:`from_dict`."""
        return {"kind": "hashed_char_ngrams", "dim": self.dim, "weight": self.weight}

    @classmethod
    def from_dict(cls, data: dict[str, float | int | str] | None) -> CharChannel | None:
        """The channel :meth:`to_dict` described (``None`` stays ``None``)."""
        return None if data is None else cls(dim=int(data["dim"]), weight=float(data["weight"]))


def resolve_char_channel(setting: str | bool, texts: list[str]) -> CharChannel | None:
    """The channel a model trained on ``texts`` uses: ``True``/``False`` force it on/off;
    ``"auto"`` adds it when at least :data:`CJK_SHARE` of the texts hold CJK characters.

    Examples
    --------
    >>> resolve_char_channel("auto", ["lost card", "freeze it"]) is None
    True
    >>> resolve_char_channel("auto", ["我的卡丢了", "freeze it"]).dim
    4096
    """
    if setting == "auto":
        return CharChannel() if cjk_share(texts) >= CJK_SHARE else None
    return CharChannel() if setting else None
