"""``Retriever``: bm25s lexical search + dense encoder search, fused with reciprocal-rank fusion.

Imports of bm25s, jieba and torch happen on first use, so importing this module stays light.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from finloom._optional import require
from finloom._serialization import load_state, save_state
from finloom.errors import ConfigError, InvalidDataError

__all__ = ["Hit", "Retriever", "reciprocal_rank_fusion", "tokenize"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"\w+", re.UNICODE)
STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "in", "is", "it", "my", "of", "on", "or", "that", "the", "this", "to", "was", "what", "when", "where", "which", "who", "why", "will", "with", "you", "your"]
)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; Chinese runs are segmented with jieba; English stop words dropped.

    Examples
    --------
    >>> tokenize("How do I reset my PIN?")
    ['reset', 'pin']
    >>> tokenize("信用卡 年费") == ['信用卡', '年费']
    True
    """
    if _CJK.search(text):
        jieba = require("jieba", feature="Chinese tokenisation")
        jieba.setLogLevel(60)
        pieces = [p.strip().lower() for p in jieba.lcut(text)]
        return [p for p in pieces if p and _WORD.fullmatch(p) and p not in STOPWORDS]
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def reciprocal_rank_fusion(rankings: Iterable[Sequence[int]], *, k: int = 60) -> dict[int, float]:
    """Fuse ranked lists of doc indices: score = sum of 1 / (k + rank), rank starting at 1.

    Examples
    --------
    >>> fused = reciprocal_rank_fusion([[2, 0], [0, 1]], k=60)
    >>> max(fused, key=fused.get)
    0
    """
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking, start=1):
            scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + rank)
    return scores


@dataclass(frozen=True)
class Hit:
    """One search result: the document id, the fused score, its text and extra fields."""

    id: str
    score: float
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    bm25_rank: int | None = None
    dense_rank: int | None = None


class Retriever:
    """Hybrid search over documents ``{"id", "text", ...}``: BM25 + dense vectors, fused by RRF.

    Parameters
    ----------
    encoder : local encoder folder, ``"use-multilingual"`` (``finloom[zh]``), a loaded encoder
        (anything with ``encode``), or ``None``: the first documents added choose, the
        multilingual encoder when at least a fifth hold CJK characters and it is installed,
        else the bundled MiniLM (the choice is saved with the index).
    use_dense : add dense (normalised dot product) search; ``False`` gives BM25 only.
    use_bm25 : add BM25 search; ``False`` gives dense only.
    rrf_k : the reciprocal-rank-fusion constant.
    candidates : how many hits each method contributes before fusion.

    Examples
    --------
    >>> r = Retriever(use_dense=False).add([
    ...     {"id": "fee", "text": "Annual card fee is 50 EUR"},
    ...     {"id": "pin", "text": "Reset your PIN in the app"}])
    >>> [h.id for h in r.search("how to reset PIN", k=1)]
    ['pin']
    """

    def __init__(
        self,
        *,
        encoder: Any = None,
        use_dense: bool = True,
        use_bm25: bool = True,
        rrf_k: int = 60,
        candidates: int = 50,
    ) -> None:
        if not (use_dense or use_bm25):
            raise ConfigError("use_dense or use_bm25 must be True; got both False. Enable one.")
        self.encoder = encoder
        self.use_dense = use_dense
        self.use_bm25 = use_bm25
        self.rrf_k = rrf_k
        self.candidates = candidates
        self._docs: list[dict[str, Any]] = []
        self._ids: dict[str, int] = {}
        self._vectors = np.zeros((0, 0), dtype=np.float32)
        self._bm25: Any = None
        self._encoder: Any = None

    def __len__(self) -> int:
        return len(self._docs)

    def _get_encoder(self, texts: list[str] | None = None) -> Any:
        """The loaded encoder; with ``encoder=None`` the first documents choose it
        (:func:`~finloom.nlp._multilingual.choose_encoder`: multilingual for Chinese when installed)."""
        if self._encoder is None:
            from finloom.nlp._multilingual import choose_encoder, open_encoder

            if not isinstance(self.encoder, str | os.PathLike) and hasattr(self.encoder, "encode"):
                self._encoder = self.encoder
            else:
                self._encoder = open_encoder(choose_encoder(self.encoder, texts or []))
        return self._encoder

    def _encoder_name(self) -> str | None:
        from finloom.nlp._multilingual import MULTILINGUAL

        return MULTILINGUAL if getattr(self._encoder, "name", None) == MULTILINGUAL else None

    def add(self, docs: Sequence[dict[str, Any]]) -> Retriever:
        """Add documents (each a dict with ``id`` and ``text``); returns ``self``.

        Raises
        ------
        InvalidDataError
            A document lacks ``id``/``text``, has empty text, or reuses an existing id.
        """
        problems = []
        new_ids: set[str] = set()
        for n, doc in enumerate(docs):
            if not isinstance(doc, dict) or "id" not in doc or not str(doc.get("text", "")).strip():
                problems.append(f"document {n} must be a dict with 'id' and non-empty 'text'; got {doc!r:.80}.")
            elif str(doc["id"]) in self._ids or str(doc["id"]) in new_ids:
                problems.append(f"document id must be unique; got '{doc['id']}' twice. Rename it.")
            else:
                new_ids.add(str(doc["id"]))
        if problems:
            raise InvalidDataError(problems)
        clean = [{**doc, "id": str(doc["id"]), "text": str(doc["text"])} for doc in docs]
        if not clean:
            return self
        if self.use_dense:
            vectors = self._get_encoder([d["text"] for d in clean]).encode([d["text"] for d in clean])
            self._vectors = vectors if len(self._docs) == 0 else np.vstack([self._vectors, vectors])
        for doc in clean:
            self._ids[doc["id"]] = len(self._docs)
            self._docs.append(doc)
        self._bm25 = None  # rebuilt lazily on the next search
        return self

    def _bm25_index(self) -> Any:
        if self._bm25 is None:
            bm25s = require("bm25s", feature="BM25 retrieval")
            self._bm25 = bm25s.BM25()
            corpus = [tokenize(d["text"]) or ["<empty>"] for d in self._docs]
            self._bm25.index(corpus, show_progress=False)
        return self._bm25

    def _bm25_ranking(self, query: str, n: int) -> list[int]:
        tokens = tokenize(query)
        if not tokens:
            return []
        docs, scores = self._bm25_index().retrieve([tokens], k=n, show_progress=False)
        return [int(d) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def _dense_ranking(self, query: str, n: int) -> list[int]:
        q = self._get_encoder().encode([query])[0]
        sims = self._vectors @ q  # (N,)
        top = np.argsort(-sims, kind="stable")[:n]
        return [int(i) for i in top]

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """Return the ``k`` best documents for ``query``, best first."""
        if not self._docs or not query.strip():
            return []
        n = min(len(self._docs), max(self.candidates, k))
        rankings: dict[str, list[int]] = {}
        if self.use_bm25:
            rankings["bm25"] = self._bm25_ranking(query, n)
        if self.use_dense:
            rankings["dense"] = self._dense_ranking(query, n)
        fused = reciprocal_rank_fusion(rankings.values(), k=self.rrf_k)
        order = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        pos = {name: {d: r for r, d in enumerate(rk, start=1)} for name, rk in rankings.items()}
        return [self._hit(i, fused[i], pos) for i in order]

    def _hit(self, i: int, score: float, pos: dict[str, dict[int, int]]) -> Hit:
        doc = self._docs[i]
        meta = {key: v for key, v in doc.items() if key not in {"id", "text"}}
        return Hit(doc["id"], float(score), doc["text"], meta,
                   pos.get("bm25", {}).get(i), pos.get("dense", {}).get(i))

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the documents (JSON) and dense vectors (safetensors) to a directory."""
        config = {"params": {"use_dense": self.use_dense, "use_bm25": self.use_bm25,
                             "rrf_k": self.rrf_k, "candidates": self.candidates},
                  "docs": self._docs, "encoder": self._encoder_name()}
        tensors = {"vectors": self._vectors} if self.use_dense and len(self._docs) else None
        return save_state(path, kind="Retriever", config=config, tensors=tensors)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, encoder: Any = None) -> Retriever:
        """Load an index written by :meth:`save`; pass the same ``encoder`` used to build it."""
        state = load_state(path, kind="Retriever")
        named = state["config"].get("encoder")  # the multilingual encoder when it built the index
        retriever = cls(encoder=encoder if encoder is not None else named, **state["config"]["params"])
        retriever._docs = list(state["config"]["docs"])
        retriever._ids = {d["id"]: i for i, d in enumerate(retriever._docs)}
        retriever._vectors = state["tensors"].get("vectors", np.zeros((0, 0), dtype=np.float32))
        return retriever
