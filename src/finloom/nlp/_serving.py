"""Serving helpers: a thread-safe micro-batcher, chunked batch scoring and entity tagging of large files (locally or on Dask)."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Generic, TypeVar

from finloom._base import ProgressCallback, noop_progress
from finloom.data import write_csv
from finloom.errors import ConfigError, ServiceError

__all__ = ["MicroBatcher", "score_file", "tag_file"]

T = TypeVar("T")
R = TypeVar("R")
_STOP = object()


class MicroBatcher(Generic[T, R]):
    """Group single requests into batches for ``predict_fn`` (max batch size, max wait).

    Thread-safe: many threads (or asyncio tasks via :meth:`apredict`) may submit at once;
    one worker thread runs ``predict_fn(list_of_items) -> list_of_results``.

    Examples
    --------
    >>> with MicroBatcher(lambda xs: [x * 2 for x in xs], max_batch=8, max_wait_ms=5) as mb:
    ...     futures = [mb.submit(i) for i in range(5)]
    ...     [f.result() for f in futures]
    [0, 2, 4, 6, 8]
    """

    def __init__(
        self, predict_fn: Callable[[list[T]], Sequence[R]], *, max_batch: int = 32,
        max_wait_ms: float = 10.0,
    ) -> None:
        if max_batch < 1 or max_wait_ms < 0:
            raise ConfigError(
                f"max_batch must be >= 1 and max_wait_ms >= 0; got {max_batch} and {max_wait_ms}."
            )
        self.predict_fn = predict_fn
        self.max_batch = max_batch
        self.max_wait_ms = max_wait_ms
        self.batch_sizes: list[int] = []
        self._queue: queue.Queue[Any] = queue.Queue()
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="finloom-microbatcher", daemon=True)
        self._thread.start()

    def submit(self, item: T) -> Future[R]:
        """Queue one item; the returned future holds its result."""
        future: Future[R] = Future()
        with self._lock:
            if self._closed:
                raise ServiceError("MicroBatcher must be open to accept work; got a closed one.")
            self._queue.put((item, future))
        return future

    def predict(self, item: T, timeout: float | None = None) -> R:
        """Blocking single prediction through the batcher."""
        return self.submit(item).result(timeout=timeout)

    async def apredict(self, item: T) -> R:
        """Await a single prediction without blocking the event loop."""
        return await asyncio.wrap_future(self.submit(item))

    def _collect(self, first: Any) -> tuple[list[Any], bool]:
        batch, stop = [first], False
        deadline = time.monotonic() + self.max_wait_ms / 1000
        while len(batch) < self.max_batch:
            remaining = deadline - time.monotonic()
            try:
                item = self._queue.get(timeout=max(remaining, 0)) if remaining > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                stop = True
                break
            batch.append(item)
        return batch, stop

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch, stop = self._collect(first)
            self.batch_sizes.append(len(batch))
            try:
                results = list(self.predict_fn([item for item, _ in batch]))
                for (_, fut), res in zip(batch, results, strict=True):
                    fut.set_result(res)
            except Exception as exc:  # hand the error to every waiting caller
                for _, fut in batch:
                    fut.set_exception(exc)
            if stop:
                return

    def close(self) -> None:
        """Finish queued work and stop the worker thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
        self._thread.join()

    def __enter__(self) -> MicroBatcher[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@functools.lru_cache(maxsize=4)
def _load_cached(kind: str, model_path: str, stamp: float) -> Any:
    """A worker keeps the models it loaded: chunks of one file reuse them (``stamp`` = the
    folder's config.json mtime, so a model saved again at the same path is read again)."""
    if kind == "tagger":
        from finloom.nlp._tagger import TokenTagger

        return TokenTagger.load(model_path)
    from finloom.nlp._onnx import load_text_classifier

    return load_text_classifier(model_path)


def _worker_model(kind: str, model_path: str) -> Any:
    config = Path(model_path) / "config.json"
    return _load_cached(kind, model_path, config.stat().st_mtime if config.is_file() else 0.0)


def spans_as_dicts(tagger: Any, texts: list[str]) -> list[list[dict[str, Any]]]:
    """Each text's entity spans as JSON-able dicts (label, start, end, text, source)."""
    return [[dataclasses.asdict(s) for s in spans] for spans in tagger.predict_spans_batch(texts)]


def _score_chunk(model_path: str, texts: list[str]) -> list[tuple[Any, float]]:
    model = _worker_model("classifier", model_path)
    proba = model.predict_proba(texts)
    return [(model.classes_[int(i)], float(p[i])) for p, i in zip(proba, proba.argmax(1), strict=True)]


def score_file(
    model: Any,
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    text_column: str = "text",
    chunk_size: int = 2000,
    dask_address: str | None = None,
    progress: ProgressCallback = noop_progress,
    sep: str | None = None,
    header: bool = True,
    encoding: str | None = None,
) -> dict[str, Any]:
    """Score a CSV/TSV/text or JSONL file in chunks; writes the input plus ``prediction``, ``confidence``.

    ``model`` is a fitted classifier or a saved model folder (a :class:`TextClassifier` or one
    written by :func:`~finloom.nlp.export_onnx`); with ``dask_address`` the chunks
    run on that Dask cluster (then ``model`` must be a folder the workers can read).

    Examples
    --------
    >>> score_file("models/intent", "queries.csv", "scored.csv")  # doctest: +SKIP
    {'rows': 1000, 'chunks': 1, 'output': 'scored.csv'}
    """
    from finloom._io import atomic_write_text
    from finloom.nlp._readers import read_text_column

    frame, texts = read_text_column(input_path, text_column, sep=sep, header=header, encoding=encoding)
    chunks = [texts[i : i + chunk_size] for i in range(0, len(texts), chunk_size)]
    results = (_score_on_dask if dask_address else _score_local)(model, chunks, dask_address, progress)
    out = frame.copy()
    out["prediction"] = [label for chunk in results for label, _ in chunk]
    out["confidence"] = [conf for chunk in results for _, conf in chunk]
    out_path = Path(output_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out_path, write_csv(out, index=False) or "")
    progress(1.0, f"scored {len(texts)} rows")
    return {"rows": len(texts), "chunks": len(chunks), "output": str(out_path)}


def _score_local(model: Any, chunks: list[list[str]], _: Any, progress: ProgressCallback) -> list[Any]:
    from finloom.nlp._onnx import load_text_classifier

    clf = load_text_classifier(model) if isinstance(model, str | os.PathLike) else model
    results = []
    for n, chunk in enumerate(chunks):
        proba = clf.predict_proba(chunk)
        results.append([(clf.classes_[int(i)], float(p[i])) for p, i in zip(proba, proba.argmax(1), strict=True)])
        progress((n + 1) / len(chunks), f"chunk {n + 1}/{len(chunks)}")
    return results


def _score_on_dask(model: Any, chunks: list[list[str]], address: Any, progress: ProgressCallback) -> list[Any]:
    return _map_on_dask(_score_chunk, model, chunks, address, progress)


def _map_on_dask(fn: Callable[[str, list[str]], Any], model: Any, chunks: list[list[str]], address: Any,
                 progress: ProgressCallback) -> list[Any]:
    """``fn(model_folder, chunk)`` for every chunk on the Dask cluster at ``address``, in order."""
    from finloom._optional import require

    distributed = require("distributed", feature="scoring on a Dask cluster")
    if not isinstance(model, str | os.PathLike):
        raise ConfigError("model must be a saved model folder when dask_address is set; got an object.")
    try:
        client = distributed.Client(address, timeout="10s", set_as_default=False)
    except OSError as exc:
        raise ServiceError(f"Dask scheduler must be reachable; got no answer at {address}.") from exc
    try:
        futures = client.map(fn, [str(model)] * len(chunks), chunks, pure=False)
        results: list[Any] = []
        for done, fut in enumerate(futures, 1):  # all chunks run in parallel; collect in order
            results.append(client.gather(fut))
            progress(done / len(chunks), f"chunk {done}/{len(chunks)} on Dask")
        return results
    finally:
        client.close()


def _tag_chunk(model_path: str, texts: list[str]) -> list[list[dict[str, Any]]]:
    return spans_as_dicts(_worker_model("tagger", model_path), texts)


def tag_file(
    model: Any,
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    text_column: str = "text",
    chunk_size: int = 256,
    dask_address: str | None = None,
    progress: ProgressCallback = noop_progress,
    sep: str | None = None,
    header: bool = True,
    encoding: str | None = None,
) -> dict[str, Any]:
    """Find entities in every text of a CSV/TSV/JSONL file; writes JSONL, one line per row:
    ``{"row", "text", "entities": [{"label", "start", "end", "text", "source"}]}``.

    ``model`` is a fitted :class:`~finloom.nlp.TokenTagger` or its saved folder; with
    ``dask_address`` the chunks run on that Dask cluster (then it must be a folder).

    Examples
    --------
    >>> tag_file("models/ner", "notes.csv", "entities.jsonl")  # doctest: +SKIP
    {'rows': 120, 'chunks': 1, 'entities': 341, 'by_label': {'MONEY': 40, ...}, 'output': 'entities.jsonl'}
    """
    import json
    from collections import Counter

    from finloom._io import atomic_write_text
    from finloom.nlp._readers import read_text_column

    if chunk_size < 1:
        raise ConfigError(f"chunk_size must be an int in [1, inf); got {chunk_size}.")
    _, texts = read_text_column(input_path, text_column, sep=sep, header=header, encoding=encoding)
    chunks = [texts[i : i + chunk_size] for i in range(0, len(texts), chunk_size)]
    if dask_address:
        results = _map_on_dask(_tag_chunk, model, chunks, dask_address, progress)
    else:
        from finloom.nlp._tagger import TokenTagger

        tagger = TokenTagger.load(model) if isinstance(model, str | os.PathLike) else model
        results = []
        for n, chunk in enumerate(chunks):
            results.append(spans_as_dicts(tagger, chunk))
            progress((n + 1) / len(chunks), f"tagged {min((n + 1) * chunk_size, len(texts))} rows")
    spans = [row for chunk in results for row in chunk]
    counts = Counter(e["label"] for row in spans for e in row)
    lines = [json.dumps({"row": i, "text": t, "entities": row}, ensure_ascii=False)
             for i, (t, row) in enumerate(zip(texts, spans, strict=True))]
    out_path = Path(output_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out_path, "\n".join(lines) + "\n")
    return {"rows": len(texts), "chunks": len(chunks), "entities": sum(counts.values()),
            "by_label": dict(sorted(counts.items())), "output": str(out_path)}
