"""Readers for tagged tokens (CoNLL, JSONL, one-row-per-token tables) with tag maps and checks."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from finloom.errors import InvalidDataError
from finloom.nlp._files import (
    JSONL_SUFFIXES,
    TABLE_SUFFIXES,
    check_columns,
    json_rows,
    load_frame,
    read_text_file,
)

__all__ = [
    "DOC_COLUMNS",
    "SENTENCE_COLUMNS",
    "TAG_COLUMNS",
    "TOKEN_COLUMNS",
    "TokenDataset",
    "bio_to_io",
    "io_to_bio",
    "read_conll",
    "read_token_table",
    "read_tokens",
    "token_table_to_dataset",
]

DOC_COLUMNS = ("doc", "doc_id", "document", "document_id", "Document #")
SENTENCE_COLUMNS = ("sentence", "sentence_id", "Sentence #", "sentence_idx", "doc_sentence", "sent", "sent_id")
TOKEN_COLUMNS = ("token", "word", "Word", "Token", "text")
TAG_COLUMNS = ("tag", "Tag", "label", "ner", "ner_tag", "NER")
_TAG = re.compile(r"O|[BI]-\S.*")
_SHOWN = 5

TagMap = Mapping[Any, str]


@dataclass
class TokenDataset:
    """Sentences as token lists with one tag per token (BIO tags after reading)."""

    tokens: list[list[str]]
    tags: list[list[str]]
    source: str = ""
    entity_types: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.tokens)


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
    path: str | os.PathLike[str], *, tag_column: int = -1, encoding: str | None = None,
    tag_map: TagMap | None = None,
) -> TokenDataset:
    """Read CoNLL (one ``token ... tag`` line per token, blank line between sentences) as BIO.

    ``-DOCSTART-`` lines are skipped; IO tags are converted to BIO; ``tag_map`` renames raw tags
    first (e.g. ``{0: "O", 1: "B-PER"}``).

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
    for line in read_text_file(path, encoding).splitlines():
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if cur_tok:
                tokens.append(cur_tok)
                tags.append(cur_tag)
            cur_tok, cur_tag = [], []
            continue
        cur_tok.append(parts[0])
        cur_tag.append(parts[tag_column] if len(parts) > 1 else "O")
    if cur_tok:
        tokens.append(cur_tok)
        tags.append(cur_tag)
    return _token_dataset(tokens, tags, path, tag_map)


def read_tokens(
    path: str | os.PathLike[str], *, encoding: str | None = None, tag_map: TagMap | None = None,
    sentence_column: str | Sequence[str] | None = None, token_column: str | None = None,
    tag_column: str | None = None, sep: str | None = None, header: bool = True,
) -> TokenDataset:
    """Read tagged tokens from CoNLL (``.txt``/``.conll``), JSONL (``{"tokens", "tags"}``) or a
    table with one row per token (:func:`read_token_table`: ``.csv``/``.tsv``, or any file when a
    column, ``sep`` or ``header=False`` is given).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.jsonl"
    >>> _ = p.write_text('{"tokens": ["Pay", "$5"], "tags": [0, 1]}\\n')
    >>> read_tokens(p, tag_map={0: "O", 1: "I-MONEY"}).tags
    [['O', 'B-MONEY']]
    """
    suffix = Path(path).suffix.lower()
    named = any(c is not None for c in (sentence_column, token_column, tag_column))
    if suffix in TABLE_SUFFIXES or named or sep is not None or not header:
        return read_token_table(path, encoding=encoding, tag_map=tag_map, sep=sep, header=header,
                                sentence_column=sentence_column, token_column=token_column, tag_column=tag_column)
    if suffix not in JSONL_SUFFIXES:
        return read_conll(path, encoding=encoding, tag_map=tag_map)
    tokens, tags = [], []
    for n, row in enumerate(json_rows(read_text_file(path, encoding)), start=1):
        if "tokens" not in row or "tags" not in row or len(row["tokens"]) != len(row["tags"]):
            raise InvalidDataError(
                f"line {n} must hold 'tokens' and 'tags' lists of equal length; got keys "
                f"{sorted(row)}. Write one {{\"tokens\": [...], \"tags\": [...]}} per line."
            )
        tokens.append([str(t) for t in row["tokens"]])
        tags.append([str(t) for t in row["tags"]])
    return _token_dataset(tokens, tags, path, tag_map)


def _pick_column(frame: Any, given: str | None, candidates: Sequence[str], what: str, path: Any) -> str:
    columns = [str(c) for c in frame.columns]
    if given is not None:
        check_columns(frame, [given], path)
        return given
    for name in candidates:
        if name in columns:
            return name
    raise InvalidDataError(
        f"a {what} column must exist in {Path(path).name} (one of {list(candidates)}, or name it "
        f"with {what}_column=... / --{what}-column); got columns {columns}."
    )


def _sentence_ids(frame: Any, column: str, source: str) -> Any:
    """The column's ids, an id given on a sentence's first row only carried forward (Kaggle GMB)."""
    given = frame[column].astype(str).str.strip().ne("") & frame[column].notna()
    ids = frame[column].astype(object).where(given).ffill()
    if ids.isna().any():
        raise InvalidDataError(
            f"column '{column}' must give the first token row its sentence id; got an empty first row in "
            f"{Path(source).name}."
        )
    return ids.to_numpy()


def _sentence_keys(frame: Any, sentence_column: str | Sequence[str] | None, source: str) -> list[Any]:
    """One array per grouping column: a sentence is the rows sharing all of them (doc, sent).

    Without ``sentence_column``, a document column found next to the sentence column joins it
    (sentence ids often restart in each document)."""
    if isinstance(sentence_column, str):
        names = [_pick_column(frame, sentence_column, SENTENCE_COLUMNS, "sentence", source)]
    elif sentence_column is None:
        names = [_pick_column(frame, None, SENTENCE_COLUMNS, "sentence", source)]
        names = [c for c in DOC_COLUMNS if c in frame.columns and c not in names][:1] + names
    else:
        names = list(sentence_column)
        check_columns(frame, names, source)
    return [_sentence_ids(frame, name, source) for name in names]


def token_table_to_dataset(
    frame: Any, *, sentence_column: str | Sequence[str] | None = None, token_column: str | None = None,
    tag_column: str | None = None, tag_map: TagMap | None = None, source: str = "table",
) -> TokenDataset:
    """Group a one-row-per-token table into sentences (see :func:`read_token_table`).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"doc": [1, 1, 2], "sent": [0, 0, 0],
    ...                       "token": ["Acme", "pays", "Bob"], "tag": [1, 0, 2]})
    >>> data = token_table_to_dataset(frame, sentence_column=["doc", "sent"],
    ...                               tag_map={0: "O", 1: "B-ORG", 2: "B-PER"})
    >>> data.tokens, data.tags
    ([['Acme', 'pays'], ['Bob']], [['B-ORG', 'O'], ['B-PER']])
    """
    if len(frame) == 0:
        raise InvalidDataError(f"tagged data must hold at least one token row; got an empty table in {source}.")
    keys = _sentence_keys(frame, sentence_column, source)
    tok = _pick_column(frame, token_column, TOKEN_COLUMNS, "token", source)
    tag = _pick_column(frame, tag_column, TAG_COLUMNS, "tag", source)
    words = frame[tok].astype(str).str.strip()
    empty = np.flatnonzero((words == "").to_numpy() | frame[tok].isna().to_numpy())
    if len(empty):
        raise InvalidDataError(
            f"column '{tok}' must hold a token on every row; got empty tokens at rows {empty[:10].tolist()}."
        )
    labels = frame[tag].astype(str).str.strip().replace({"": "O", "nan": "O"})
    tokens: list[list[str]] = []
    tags: list[list[str]] = []
    for _, group in frame.assign(_w=words, _t=labels).groupby(keys, sort=False):
        tokens.append(group["_w"].tolist())
        tags.append(group["_t"].tolist())
    return _token_dataset(tokens, tags, source, tag_map)


def read_token_table(
    path: str | os.PathLike[str], *, sentence_column: str | Sequence[str] | None = None,
    token_column: str | None = None, tag_column: str | None = None, tag_map: TagMap | None = None,
    sep: str | None = None, header: bool = True, encoding: str | None = None,
) -> TokenDataset:
    """Read a CSV/TSV with one row per token: a sentence id, the token and its BIO or IO tag.

    Column names are found among common spellings (``sentence``/``Sentence #``, ``token``/``word``,
    ``tag``/``label``) unless given; a sentence id written on a sentence's first row only
    carries forward. ``sentence_column`` may list several columns (``["doc", "sent"]``) when
    sentence ids restart in each document; when it is not given, a document column
    (``doc``/``doc_id``/``document``/``document_id``) joins the sentence column found.
    ``tag_map`` renames raw tags (integer labels).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = p.write_text("sentence,word,tag\\n1,Acme,I-ORG\\n1,pays,O\\n2,Bob,I-PER\\n")
    >>> read_token_table(p).tags
    [['B-ORG', 'O'], ['B-PER']]
    """
    frame = load_frame(path, sep=sep, header=header, encoding=encoding)
    return token_table_to_dataset(frame, sentence_column=sentence_column, token_column=token_column,
                                  tag_column=tag_column, tag_map=tag_map, source=str(path))


def _upper_type(tag: str) -> str:
    """``B-org`` -> ``B-ORG``: tag types compare case-insensitively across files."""
    return tag if tag == "O" or "-" not in tag else f"{tag[:2]}{tag[2:].upper()}"


def _map_tags(tags: list[list[str]], tag_map: TagMap | None, path: Any) -> list[list[str]]:
    """Rename tags with ``tag_map`` (keys compared as text; tags not in it kept), check that every
    tag is ``O``, ``B-X`` or ``I-X``, and return BIO tags with upper-case types."""
    lookup = {str(k).strip(): str(v).strip() for k, v in (tag_map or {}).items()}
    if lookup:
        tags = [[lookup.get(t, t) for t in sent] for sent in tags]
    bad = Counter(t for sent in tags for t in sent if not _TAG.fullmatch(t))
    if bad:
        raise InvalidDataError(f"tags must be 'O' or BIO/IO tags such as 'B-PER' and 'I-PER'; got "
                               f"{_listed(bad)} in {Path(path).name}. {_tag_remedy(bad, bool(lookup))}")
    return [io_to_bio([_upper_type(t) for t in sent]) for sent in tags]


def _listed(counts: Counter[str]) -> str:
    shown = ", ".join(f"'{t}' ({n} token{'s' if n > 1 else ''})" for t, n in counts.most_common(_SHOWN))
    return shown + (f" and {len(counts) - _SHOWN} more" if len(counts) > _SHOWN else "")


def _tag_remedy(bad: Counter[str], mapped: bool) -> str:
    first = next(iter(bad))
    if mapped:
        return f"Give each of them a BIO/IO name in tag_map (CLI: --tag-map ...,{first}=O)."
    if all(t.lstrip("-").isdigit() for t in bad):
        return ("Name the integer tags with tag_map={'0': 'O', '1': 'B-PER', ...} "
                "(CLI: --tag-map 0=O,1=B-PER,...).")
    return "Prefix entity tags with 'B-' or 'I-' (e.g. 'I-PER'), or rename them with tag_map (CLI: --tag-map)."


def _token_dataset(tokens: list[list[str]], tags: list[list[str]], path: Any,
                   tag_map: TagMap | None = None) -> TokenDataset:
    if not tokens:
        raise InvalidDataError(f"tagged data must hold at least one sentence; got none in {path}.")
    tags = _map_tags(tags, tag_map, path)
    types = sorted({t[2:] for sent in tags for t in sent if t != "O"})
    if not types:
        raise InvalidDataError(
            f"tags must include at least one entity; got only 'O' in {path}. Check the tag column."
        )
    return TokenDataset(tokens, tags, str(path), types)
