"""Readers for labelled and unlabelled texts (CSV/TSV/text tables, JSONL), with checks.

Files may be in any encoding (latin-1 exports exist in the wild) and use any one-character
separator (``sentence@label``); encoding and delimiter are detected as for dataset uploads.
Tagged tokens are read by :mod:`finloom.nlp._tokens` (re-exported here).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from finloom._base import check_random_state
from finloom.errors import InvalidDataError
from finloom.nlp._files import load_frame
from finloom.nlp._tokens import (
    SENTENCE_COLUMNS,
    TAG_COLUMNS,
    TokenDataset,
    bio_to_io,
    io_to_bio,
    read_conll,
    read_token_table,
    read_tokens,
    token_table_to_dataset,
)

__all__ = [
    "SENTENCE_COLUMNS",
    "TAG_COLUMNS",
    "TextDataset",
    "TokenDataset",
    "bio_to_io",
    "check_labels",
    "detect_encoding",
    "io_to_bio",
    "read_conll",
    "read_text_column",
    "read_texts",
    "read_token_table",
    "read_tokens",
    "stratified_split",
    "token_table_to_dataset",
]


def detect_encoding(data: bytes) -> str:
    """The text encoding of ``data``, detected as for dataset uploads (:func:`finloom.data.read_table`).

    Examples
    --------
    >>> detect_encoding("café".encode("utf-8"))
    'utf-8'
    >>> detect_encoding("Prêt à taux zéro pour la société générale".encode("latin-1"))
    'cp1252'
    """
    from finloom.data._encoding import decode_bytes

    return decode_bytes(data)[1]


@dataclass
class TextDataset:
    """Texts with one label each (or a list of labels each, for multi-label data).

    Examples
    --------
    >>> ds = TextDataset(["a", "b", "c", "d"], ["x", "y", "x", "y"])
    >>> train, test = ds.split(test_size=0.5, random_state=0)
    >>> sorted(train.labels), sorted(test.labels)
    (['x', 'y'], ['x', 'y'])
    """

    texts: list[str]
    labels: list[Any]
    source: str = ""

    def __len__(self) -> int:
        return len(self.texts)

    def split(
        self, *, test_size: float = 0.2, random_state: int | None = None
    ) -> tuple[TextDataset, TextDataset]:
        """Stratified split into (train, test)."""
        train_idx, test_idx = stratified_split(self.labels, test_size, random_state)
        pick = lambda idx: TextDataset(  # noqa: E731
            [self.texts[i] for i in idx], [self.labels[i] for i in idx], self.source
        )
        return pick(train_idx), pick(test_idx)


def stratified_split(
    labels: Sequence[Any], test_size: float, random_state: int | np.random.Generator | None
) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, test) with each class split in proportion; every class keeps >= 1 train row.

    Multi-label rows are stratified by their first label.

    Examples
    --------
    >>> tr, te = stratified_split(["a"] * 8 + ["b"] * 2, 0.5, 0)
    >>> len(tr), len(te)
    (5, 5)
    """
    rng = check_random_state(random_state)
    keys = [_strat_key(label) for label in labels]
    train: list[int] = []
    test: list[int] = []
    for key in sorted(set(keys), key=str):
        idx = np.flatnonzero(np.asarray([k == key for k in keys]))
        rng.shuffle(idx)
        n_test = int(round(len(idx) * test_size)) if len(idx) > 1 else 0
        n_test = min(n_test, len(idx) - 1)
        test.extend(idx[:n_test].tolist())
        train.extend(idx[n_test:].tolist())
    return np.sort(np.asarray(train, dtype=np.int64)), np.sort(np.asarray(test, dtype=np.int64))


def _strat_key(label: Any) -> str:
    if isinstance(label, list | tuple):
        return str(label[0]) if label else ""
    return str(label)


def read_texts(
    path: str | os.PathLike[str],
    *,
    text_column: str = "text",
    label_column: str | None = "label",
    label_map: Mapping[Any, str] | None = None,
    multi_label_sep: str | None = None,
    sep: str | None = None,
    header: bool = True,
    encoding: str | None = None,
    deduplicate: bool = True,
) -> TextDataset:
    """Read labelled texts from a CSV/TSV/text table or JSONL, check them, map and de-duplicate labels.

    Parameters
    ----------
    path : a delimited text file (.csv, .tsv, .txt, ...) or JSON lines (.jsonl/.ndjson).
    text_column, label_column : column names; ``label_column=None`` reads unlabelled texts.
    label_map : raw label -> name, e.g. ``{0: "bearish", 1: "bullish", 2: "neutral"}``.
    multi_label_sep : split label cells on this separator (multi-label data).
    sep : one-character separator (sniffed among ``, ; TAB |`` when None; ``"@"`` for
        Financial PhraseBank's ``sentence@label`` lines).
    header : False when the first line is data; columns are then named ``"1"``, ``"2"``, ...
    encoding : override the detected encoding.
    deduplicate : drop repeated (text, label) rows, keeping the first.

    Raises
    ------
    InvalidDataError
        Missing columns (with "did you mean"), ragged rows, empty texts, or fewer than two classes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = p.write_text("text,label\\nup,1\\ndown,0\\nup,1\\n")
    >>> ds = read_texts(p, label_map={0: "neg", 1: "pos"})
    >>> ds.texts, ds.labels
    (['up', 'down'], ['pos', 'neg'])
    >>> _ = p.write_bytes("Nestlé rose .@positive\\nSales fell .@negative\\n".encode("latin-1"))
    >>> read_texts(p, sep="@", header=False, text_column="1", label_column="2").texts
    ['Nestlé rose .', 'Sales fell .']
    """
    wanted = [c for c in (text_column, label_column) if c is not None]
    frame = load_frame(path, columns=wanted, sep=sep, header=header, encoding=encoding)
    texts = [str(t) if t is not None else "" for t in frame[text_column].tolist()]
    labels: list[Any] = [None] * len(texts)
    if label_column is not None:
        labels = [_map_label(v, label_map, multi_label_sep) for v in frame[label_column].tolist()]
    problems = _text_problems(texts, path, first_line=2 if header else 1)
    if problems:
        raise InvalidDataError(problems)
    if deduplicate:
        texts, labels = _dedupe(texts, labels)
    if label_column is not None:
        check_labels(labels)
    return TextDataset(texts, labels, str(path))


def _map_label(value: Any, label_map: Mapping[Any, str] | None, sep: str | None) -> Any:
    if sep is not None:
        return [_map_label(part.strip(), label_map, None) for part in str(value).split(sep) if part.strip()]
    key = str(value).strip()
    if label_map is None:
        return key
    lookup = {str(k): str(v) for k, v in label_map.items()}
    return lookup.get(key, key)


def _text_problems(texts: list[str], path: Any, first_line: int = 2) -> list[str]:
    empty = [i + first_line for i, t in enumerate(texts) if not t.strip()]
    if not texts:
        return [f"data must hold at least one text; got an empty file {path}. Add rows."]
    if empty:
        shown = ", ".join(map(str, empty[:10]))
        return [
            f"texts must be non-empty; got {len(empty)} empty text(s) at line(s) {shown}. "
            "Remove those rows or fill them in."
        ]
    return []


def _dedupe(texts: list[str], labels: list[Any]) -> tuple[list[str], list[Any]]:
    seen: set[tuple[str, str]] = set()
    out_t: list[str] = []
    out_l: list[Any] = []
    for t, lab in zip(texts, labels, strict=True):
        key = (t, repr(lab))
        if key not in seen:
            seen.add(key)
            out_t.append(t)
            out_l.append(lab)
    return out_t, out_l


def check_labels(labels: Sequence[Any]) -> None:
    """Raise :class:`InvalidDataError` when labels hold fewer than two classes or blanks.

    Examples
    --------
    >>> check_labels(["a", "a"])
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: labels must hold at least two classes; got only 'a'. Add examples of other classes.
    """
    flat = [x for lab in labels for x in (lab if isinstance(lab, list | tuple) else [lab])]
    if any(lab is None or str(lab).strip() == "" for lab in flat):
        raise InvalidDataError("labels must be non-empty; got blank label(s). Fill in or drop them.")
    counts = Counter(map(str, flat))
    if len(counts) < 2:
        only = next(iter(counts), "")
        raise InvalidDataError(
            f"labels must hold at least two classes; got only '{only}'. Add examples of other classes."
        )


def read_text_column(
    path: str | os.PathLike[str], text_column: str = "text", *, sep: str | None = None, header: bool = True,
    encoding: str | None = None,
) -> tuple[Any, list[str]]:
    """The table in a CSV/TSV/text or JSONL file and its ``text_column`` as strings (unlabelled scoring).

    ``sep``, ``header`` and ``encoding`` as for :func:`read_texts`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = p.write_text("id,text\\n1,Acme pays\\n")
    >>> read_text_column(p)[1]
    ['Acme pays']
    """
    frame = load_frame(path, columns=[text_column], sep=sep, header=header, encoding=encoding)
    if len(frame) == 0:
        raise InvalidDataError(f"{Path(path).name} must hold at least one row; got none.")
    return frame, [str(t) for t in frame[text_column].tolist()]
