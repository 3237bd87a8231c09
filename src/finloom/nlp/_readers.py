"""Readers for labelled text (CSV/TSV/JSONL) and tagged tokens (CoNLL/JSONL), with checks.

Files may be in any encoding (latin-1 exports exist in the wild): the encoding is detected.
"""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from finloom._base import check_random_state
from finloom.data import decode_bytes, detect_encoding
from finloom.errors import InvalidDataError, NotFoundError, did_you_mean

__all__ = [
    "TextDataset",
    "TokenDataset",
    "bio_to_io",
    "detect_encoding",
    "io_to_bio",
    "read_conll",
    "read_text_column",
    "read_texts",
    "read_token_table",
    "token_table_to_dataset",
    "read_tokens",
    "stratified_split",
]


def _read_text_file(path: str | os.PathLike[str], encoding: str | None) -> str:
    """The file's text, decoded like every table finloom reads (see :func:`detect_encoding`)."""
    file = Path(path)
    if not file.is_file():
        raise NotFoundError(f"data file must exist; got '{file}'. Check the path.")
    return decode_bytes(file.read_bytes(), encoding)[0]


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


@dataclass
class TokenDataset:
    """Sentences as token lists with one tag per token (BIO tags after reading)."""

    tokens: list[list[str]]
    tags: list[list[str]]
    source: str = ""
    entity_types: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.tokens)


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


def _json_rows(text: str) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL text; a line that is not one names itself in the error."""
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidDataError(
                f"line {n} must be one JSON object; got {line[:60]!r} ({exc.msg}). Write one object per line."
            ) from None
        if not isinstance(row, dict):
            raise InvalidDataError(f"line {n} must be one JSON object; got {type(row).__name__} {line[:60]!r}.")
        yield row


def _load_frame(text: str, suffix: str, sep: str | None) -> Any:
    import pandas as pd

    if suffix in {".jsonl", ".ndjson"}:
        return pd.DataFrame(list(_json_rows(text)))
    if sep is None:
        sep = "\t" if suffix in {".tsv", ".tab"} else ","
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)


def read_texts(
    path: str | os.PathLike[str],
    *,
    text_column: str = "text",
    label_column: str | None = "label",
    label_map: Mapping[Any, str] | None = None,
    multi_label_sep: str | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    deduplicate: bool = True,
) -> TextDataset:
    """Read labelled texts from CSV, TSV or JSONL, check them, map and de-duplicate labels.

    Parameters
    ----------
    path : file ending in .csv, .tsv/.tab or .jsonl/.ndjson.
    text_column, label_column : column names; ``label_column=None`` reads unlabelled texts.
    label_map : raw label -> name, e.g. ``{0: "bearish", 1: "bullish", 2: "neutral"}``.
    multi_label_sep : split label cells on this separator (multi-label data).
    sep : CSV separator override; encoding : override the detected encoding.
    deduplicate : drop repeated (text, label) rows, keeping the first.

    Raises
    ------
    InvalidDataError
        Missing columns (with "did you mean"), empty texts, or fewer than two classes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = p.write_text("text,label\\nup,1\\ndown,0\\nup,1\\n")
    >>> ds = read_texts(p, label_map={0: "neg", 1: "pos"})
    >>> ds.texts, ds.labels
    (['up', 'down'], ['pos', 'neg'])
    """
    text = _read_text_file(path, encoding)
    frame = _load_frame(text, Path(path).suffix.lower(), sep)
    _check_columns(frame, [c for c in (text_column, label_column) if c is not None], path)
    texts = [str(t) if t is not None else "" for t in frame[text_column].tolist()]
    labels: list[Any] = [None] * len(texts)
    if label_column is not None:
        labels = [_map_label(v, label_map, multi_label_sep) for v in frame[label_column].tolist()]
    problems = _text_problems(texts, path)
    if problems:
        raise InvalidDataError(problems)
    if deduplicate:
        texts, labels = _dedupe(texts, labels)
    if label_column is not None:
        check_labels(labels)
    return TextDataset(texts, labels, str(path))


def _check_columns(frame: Any, wanted: list[str], path: Any) -> None:
    columns = [str(c) for c in frame.columns]
    problems = [
        f"column '{name}' must exist in {Path(path).name}; got columns {columns}."
        f"{did_you_mean(name, columns)}"
        for name in wanted
        if name not in columns
    ]
    if problems:
        raise InvalidDataError(problems)


def _map_label(value: Any, label_map: Mapping[Any, str] | None, sep: str | None) -> Any:
    if sep is not None:
        return [_map_label(part.strip(), label_map, None) for part in str(value).split(sep) if part.strip()]
    key = str(value).strip()
    if label_map is None:
        return key
    lookup = {str(k): str(v) for k, v in label_map.items()}
    return lookup.get(key, key)


def _text_problems(texts: list[str], path: Any) -> list[str]:
    empty = [i + 2 for i, t in enumerate(texts) if not t.strip()]
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


def io_to_bio(tags: Sequence[str]) -> list[str]:
    """Convert IO (or already BIO) tags to BIO: the first token of each run becomes ``B-``.

    Examples
    --------
    >>> io_to_bio(["O", "I-PER", "I-PER", "I-ORG", "O", "B-LOC", "I-LOC"])
    ['O', 'B-PER', 'I-PER', 'B-ORG', 'O', 'B-LOC', 'I-LOC']
    """
    out: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and (prev == "O" or prev[2:] != tag[2:]):
            out.append("B-" + tag[2:])
        else:
            out.append(tag)
        prev = tag
    return out


def bio_to_io(tags: Sequence[str]) -> list[str]:
    """Convert BIO tags to IO: every ``B-X`` becomes ``I-X`` (adjacent same-type entities merge).

    Examples
    --------
    >>> bio_to_io(["B-PER", "I-PER", "O", "B-ORG", "B-LOC"])
    ['I-PER', 'I-PER', 'O', 'I-ORG', 'I-LOC']
    """
    return ["I-" + tag[2:] if tag.startswith("B-") else tag for tag in tags]


def read_conll(
    path: str | os.PathLike[str], *, tag_column: int = -1, encoding: str | None = None
) -> TokenDataset:
    """Read CoNLL (one ``token ... tag`` line per token, blank line between sentences) as BIO.

    ``-DOCSTART-`` lines are skipped; IO tags are converted to BIO.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.txt"
    >>> _ = p.write_text("-DOCSTART- -X- O O\\n\\nAcme NNP - I-ORG\\nCorp NNP - I-ORG\\npays VBZ - O\\n")
    >>> read_conll(p).tags
    [['B-ORG', 'I-ORG', 'O']]
    """
    tokens: list[list[str]] = []
    tags: list[list[str]] = []
    cur_tok: list[str] = []
    cur_tag: list[str] = []
    for line in _read_text_file(path, encoding).splitlines():
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if cur_tok:
                tokens.append(cur_tok)
                tags.append(io_to_bio(cur_tag))
            cur_tok, cur_tag = [], []
            continue
        cur_tok.append(parts[0])
        cur_tag.append(parts[tag_column] if len(parts) > 1 else "O")
    if cur_tok:
        tokens.append(cur_tok)
        tags.append(io_to_bio(cur_tag))
    return _token_dataset(tokens, tags, path)


def read_tokens(path: str | os.PathLike[str], *, encoding: str | None = None) -> TokenDataset:
    """Read tagged tokens from CoNLL (``.txt``/``.conll``), JSONL (``{"tokens", "tags"}``) or a
    CSV/TSV table with one row per token (:func:`read_token_table`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.jsonl"
    >>> _ = p.write_text('{"tokens": ["Pay", "$5"], "tags": ["O", "I-MONEY"]}\\n')
    >>> read_tokens(p).tags
    [['O', 'B-MONEY']]
    """
    suffix = Path(path).suffix.lower()
    if suffix in {".csv", ".tsv", ".tab"}:
        return read_token_table(path, encoding=encoding)
    if suffix not in {".jsonl", ".ndjson"}:
        return read_conll(path, encoding=encoding)
    tokens, tags = [], []
    for n, row in enumerate(_json_rows(_read_text_file(path, encoding)), start=1):
        if "tokens" not in row or "tags" not in row or len(row["tokens"]) != len(row["tags"]):
            raise InvalidDataError(
                f"line {n} must hold 'tokens' and 'tags' lists of equal length; got keys "
                f"{sorted(row)}. Write one {{\"tokens\": [...], \"tags\": [...]}} per line."
            )
        tokens.append([str(t) for t in row["tokens"]])
        tags.append(io_to_bio([str(t) for t in row["tags"]]))
    return _token_dataset(tokens, tags, path)


SENTENCE_COLUMNS = ("sentence", "sentence_id", "Sentence #", "sentence_idx", "doc_sentence")
TOKEN_COLUMNS = ("token", "word", "Word", "Token", "text")
TAG_COLUMNS = ("tag", "Tag", "label", "ner", "ner_tag", "NER")


def _pick_column(frame: Any, given: str | None, candidates: Sequence[str], what: str, path: Any) -> str:
    columns = [str(c) for c in frame.columns]
    if given is not None:
        _check_columns(frame, [given], path)
        return given
    for name in candidates:
        if name in columns:
            return name
    raise InvalidDataError(
        f"a {what} column must exist in {Path(path).name} (one of {list(candidates)}, or name it "
        f"with {what}_column=...); got columns {columns}."
    )


def token_table_to_dataset(
    frame: Any, *, sentence_column: str | None = None, token_column: str | None = None,
    tag_column: str | None = None, source: str = "table",
) -> TokenDataset:
    """Group a one-row-per-token table into sentences (see :func:`read_token_table`).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"Sentence #": ["Sentence: 1", "", "Sentence: 2"],
    ...                       "Word": ["Acme", "pays", "Bob"], "Tag": ["B-org", "O", "B-per"]})
    >>> data = token_table_to_dataset(frame)
    >>> data.tokens, data.tags
    ([['Acme', 'pays'], ['Bob']], [['B-ORG', 'O'], ['B-PER']])
    """
    if len(frame) == 0:
        raise InvalidDataError(f"tagged data must hold at least one token row; got an empty table in {source}.")
    sent = _pick_column(frame, sentence_column, SENTENCE_COLUMNS, "sentence", source)
    tok = _pick_column(frame, token_column, TOKEN_COLUMNS, "token", source)
    tag = _pick_column(frame, tag_column, TAG_COLUMNS, "tag", source)
    # a sentence id given on its first token only (as in the Kaggle GMB export) carries forward
    ids = frame[sent].astype(object).where(frame[sent].astype(str).str.strip().ne("") & frame[sent].notna())
    ids = ids.ffill()
    if ids.isna().any():
        raise InvalidDataError(
            f"column '{sent}' must give the first token row its sentence id; got an empty first row in {source}."
        )
    words = frame[tok].astype(str).str.strip()
    empty = np.flatnonzero((words == "").to_numpy() | frame[tok].isna().to_numpy())
    if len(empty):
        raise InvalidDataError(
            f"column '{tok}' must hold a token on every row; got empty tokens at rows {empty[:10].tolist()}."
        )
    labels = frame[tag].astype(str).str.strip().replace({"": "O", "nan": "O"})
    tokens: list[list[str]] = []
    tags: list[list[str]] = []
    for _, group in frame.assign(_w=words, _t=labels).groupby(ids.to_numpy(), sort=False):
        tokens.append(group["_w"].tolist())
        tags.append(io_to_bio([_upper_type(t) for t in group["_t"].tolist()]))
    return _token_dataset(tokens, tags, source)


def _upper_type(tag: str) -> str:
    """``B-org`` -> ``B-ORG``: tag types compare case-insensitively across files."""
    return tag if tag == "O" or "-" not in tag else f"{tag[:2]}{tag[2:].upper()}"


def read_token_table(
    path: str | os.PathLike[str], *, sentence_column: str | None = None, token_column: str | None = None,
    tag_column: str | None = None, encoding: str | None = None,
) -> TokenDataset:
    """Read a CSV/TSV with one row per token: a sentence id, the token and its BIO or IO tag.

    Column names are found among common spellings (``sentence``/``Sentence #``, ``token``/``word``,
    ``tag``/``label``) unless given; a sentence id written on a sentence's first row only
    carries forward.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = p.write_text("sentence,word,tag\\n1,Acme,I-ORG\\n1,pays,O\\n2,Bob,I-PER\\n")
    >>> read_token_table(p).tags
    [['B-ORG', 'O'], ['B-PER']]
    """
    frame = _load_frame(_read_text_file(path, encoding), Path(path).suffix.lower(), None)
    return token_table_to_dataset(frame, sentence_column=sentence_column, token_column=token_column,
                                  tag_column=tag_column, source=str(path))


def read_text_column(path: str | os.PathLike[str], text_column: str = "text") -> tuple[Any, list[str]]:
    """The table in a CSV/TSV/JSONL file and its ``text_column`` as strings (unlabelled scoring).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = p.write_text("id,text\\n1,Acme pays\\n")
    >>> read_text_column(p)[1]
    ['Acme pays']
    """
    frame = _load_frame(_read_text_file(path, None), Path(path).suffix.lower(), None)
    if len(frame) == 0:
        raise InvalidDataError(f"{Path(path).name} must hold at least one row; got none.")
    _check_columns(frame, [text_column], path)
    return frame, [str(t) for t in frame[text_column].tolist()]


def _token_dataset(tokens: list[list[str]], tags: list[list[str]], path: Any) -> TokenDataset:
    if not tokens:
        raise InvalidDataError(f"tagged data must hold at least one sentence; got none in {path}.")
    types = sorted({t[2:] for sent in tags for t in sent if t != "O"})
    if not types:
        raise InvalidDataError(
            f"tags must include at least one entity; got only 'O' in {path}. Check the tag column."
        )
    return TokenDataset(tokens, tags, str(path), types)
