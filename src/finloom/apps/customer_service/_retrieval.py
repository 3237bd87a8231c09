"""Retrieval over knowledge-base articles: the :class:`Retriever` protocol and a dependency-free
BM25 implementation with an idf-weighted query-coverage confidence, plus optional dense fusion."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from finloom.apps.customer_service._kb import Article
from finloom.apps.customer_service._lang import tokenize

__all__ = ["BM25Retriever", "Hit", "KnowledgeBase", "NlpRetrieverAdapter", "Retriever"]


@dataclass(frozen=True)
class Hit:
    """One retrieved article id with its ranking ``score``, a lexical ``confidence`` in [0, 1]
    (idf-weighted share of the query's terms found in the article) and, when a dense encoder
    is used, the cosine ``similarity`` between query and article."""

    id: str
    score: float
    confidence: float
    similarity: float | None = None


@runtime_checkable
class Retriever(Protocol):
    """Index articles, then return the best ``k`` for a query, best first."""

    def add(self, docs: Sequence[Article]) -> object:
        """Index more articles."""
        ...

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """Return up to ``k`` hits, best first."""
        ...


def _doc_tokens(a: Article) -> list[str]:
    title = tokenize(a.title, a.lang)
    tags = [t for tag in a.tags for t in tokenize(tag, "en")]
    return title * 2 + tags + tokenize(a.body, a.lang)


class BM25Retriever:
    """Okapi BM25 over title (counted twice), tags and body, one language per instance.

    Parameters
    ----------
    lang : ``"en"`` or ``"zh"``: decides the tokeniser.
    k1, b : the usual BM25 constants.
    encoder : optional ``texts -> (N, D) unit vectors``; when given, BM25 and cosine rankings are
        fused with reciprocal rank fusion (RRF).
    rrf_k : the RRF constant.

    Examples
    --------
    >>> r = BM25Retriever(lang="en")
    >>> _ = r.add([Article(id="a", lang="en", title="Freeze a card", body="Tap Freeze."),
    ...            Article(id="b", lang="en", title="Branch hours", body="Open 9 to 5.")])
    >>> [h.id for h in r.search("how do I freeze my card", k=1)]
    ['a']
    """

    def __init__(self, *, lang: str = "en", k1: float = 1.2, b: float = 0.75,
                 encoder: Callable[[list[str]], np.ndarray] | None = None, rrf_k: int = 60) -> None:
        self.lang = lang
        self.k1 = k1
        self.b = b
        self.encoder = encoder
        self.rrf_k = rrf_k
        self._ids: list[str] = []
        self._tfs: list[Counter[str]] = []
        self._lengths: list[int] = []
        self._df: Counter[str] = Counter()
        self._vectors: np.ndarray | None = None

    def add(self, docs: Sequence[Article]) -> BM25Retriever:
        """Index ``docs`` (appends to what is already indexed); returns self."""
        for a in docs:
            tf = Counter(_doc_tokens(a))
            self._ids.append(a.id)
            self._tfs.append(tf)
            self._lengths.append(sum(tf.values()))
            self._df.update(tf.keys())
        if self.encoder is not None and docs:
            new = np.asarray(self.encoder([a.text for a in docs]), dtype=np.float32)
            self._vectors = new if self._vectors is None else np.vstack([self._vectors, new])
        return self

    def _idf(self, term: str) -> float:
        n, df = len(self._ids), self._df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def _bm25(self, terms: list[str]) -> np.ndarray:
        scores = np.zeros(len(self._ids))
        avg = (sum(self._lengths) / len(self._lengths)) if self._lengths else 1.0
        for term in set(terms):
            if term not in self._df:
                continue
            idf = self._idf(term)
            for i, tf in enumerate(self._tfs):
                f = tf.get(term, 0)
                if f:
                    norm = self.k1 * (1 - self.b + self.b * self._lengths[i] / avg)
                    scores[i] += idf * f * (self.k1 + 1) / (f + norm)
        return scores

    def _coverage(self, terms: list[str], doc: int) -> float:
        unique = set(terms)
        if not unique:
            return 0.0
        max_idf = self._idf("\0never-seen\0")
        total = sum(self._idf(t) if t in self._df else max_idf for t in unique)
        hit = sum(self._idf(t) for t in unique if self._tfs[doc].get(t))
        return hit / total if total else 0.0

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """Return up to ``k`` hits, best first; empty when nothing matches."""
        if not self._ids:
            return []
        terms = tokenize(query, self.lang)
        scores = self._bm25(terms)
        order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
        if self.encoder is not None and self._vectors is not None:
            q = np.asarray(self.encoder([query]), dtype=np.float32)[0]
            cosine = self._vectors @ q
            dense = np.argsort(-cosine, kind="stable")
            fused: dict[int, float] = {}
            for rank, i in enumerate(order):
                fused[i] = fused.get(i, 0.0) + 1.0 / (self.rrf_k + rank + 1)
            for rank, i in enumerate(dense[: max(k * 4, 20)]):
                fused[int(i)] = fused.get(int(i), 0.0) + 1.0 / (self.rrf_k + rank + 1)
            order = sorted(fused, key=lambda i: -fused[i])
            return [Hit(self._ids[i], fused[i], self._coverage(terms, i), float(cosine[i]))
                    for i in order[:k]]
        return [Hit(self._ids[i], float(scores[i]), self._coverage(terms, i)) for i in order[:k]]


class KnowledgeBase:
    """Articles plus one retriever per language; search stays within the customer's language.

    Parameters
    ----------
    articles : the knowledge base (see ``load_builtin_kb`` / ``load_kb``).
    retrievers : ``{lang: Retriever}`` already holding the articles of that language; by default
        a :class:`BM25Retriever` per language is built (with ``encoder`` fusion for ``dense_langs``).
    encoder : optional ``texts -> unit vectors`` for dense fusion.
    dense_langs : languages whose retriever uses the encoder (MiniLM is English-only).

    Examples
    --------
    >>> from finloom.apps.customer_service._kb import load_builtin_kb
    >>> kb = KnowledgeBase(load_builtin_kb())
    >>> [a.id for a, _ in kb.search("卡丢了怎么挂失", "zh", k=1)]
    ['card-lost-stolen-zh']
    """

    def __init__(self, articles: Sequence[Article], *, retrievers: dict[str, Retriever] | None = None,
                 encoder: Callable[[list[str]], np.ndarray] | None = None,
                 dense_langs: Sequence[str] = ("en",)) -> None:
        self.articles = {a.id: a for a in articles}
        if retrievers is None:
            retrievers = {}
            for lang in sorted({a.lang for a in articles}):
                enc = encoder if lang in dense_langs else None
                retrievers[lang] = BM25Retriever(lang=lang, encoder=enc, rrf_k=10)
                retrievers[lang].add([a for a in articles if a.lang == lang])
        self.retrievers = retrievers

    def get(self, article_id: str) -> Article:
        """The article with this id (KeyError when unknown)."""
        return self.articles[article_id]

    def search(self, query: str, lang: str, k: int = 3) -> list[tuple[Article, Hit]]:
        """Best ``k`` articles in ``lang`` with their hits; empty when the language has no index."""
        retriever = self.retrievers.get(lang)
        if retriever is None:
            return []
        return [(self.articles[h.id], h) for h in retriever.search(query, k) if h.id in self.articles]


class NlpRetrieverAdapter:
    """Put ``finloom.nlp.retrieval.Retriever`` (bm25s + jieba + MiniLM, RRF) behind the
    :class:`Retriever` protocol; the lexical ``confidence`` comes from a :class:`BM25Retriever`
    over the same articles, so the assistant's thresholds keep their meaning.

    Parameters
    ----------
    lang : language of the articles this instance indexes.
    use_dense : passed to the engine's retriever (``False`` = BM25 only, no torch).

    Examples
    --------
    >>> r = NlpRetrieverAdapter(lang="en", use_dense=False)
    >>> _ = r.add([Article(id="a", lang="en", title="Reset PIN", body="Reset your PIN in the app."),
    ...            Article(id="b", lang="en", title="Fees", body="Annual fee is CNY 300.")])
    >>> [h.id for h in r.search("how to reset my PIN", k=1)]
    ['a']
    """

    def __init__(self, *, lang: str = "en", use_dense: bool = True) -> None:
        self.lang = lang
        self.use_dense = use_dense
        from finloom.nlp.retrieval import Retriever as EngineRetriever

        self._engine = EngineRetriever(use_dense=use_dense)
        self._lexical = BM25Retriever(lang=lang)
        self._position: dict[str, int] = {}

    def add(self, docs: Sequence[Article]) -> NlpRetrieverAdapter:
        """Index ``docs`` in both the engine retriever and the confidence index."""
        self._engine.add([{"id": a.id, "text": f"{a.title}\n{' '.join(a.tags)}\n{a.body}"} for a in docs])
        for a in docs:
            self._position[a.id] = len(self._position)
        self._lexical.add(docs)
        return self

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """Engine ranking, with the lexical coverage of each hit as its confidence."""
        terms = tokenize(query, self.lang)
        return [Hit(h.id, h.score, self._lexical._coverage(terms, self._position[h.id]))
                for h in self._engine.search(query, k) if h.id in self._position]
