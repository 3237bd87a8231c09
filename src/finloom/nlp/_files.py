"""Text files for the text models: decoded and parsed as the dataset reader does, columns checked.

Encoding and delimiter detection, header and row-width checks come from :mod:`finloom.data`;
this module adds JSON lines, headerless files and hints for layouts such as ``sentence@label``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from finloom.errors import ConfigError, InvalidDataError, NotFoundError, did_you_mean

__all__ = ["JSONL_SUFFIXES", "TABLE_SUFFIXES", "check_columns", "json_rows", "load_frame", "read_text_file"]

JSONL_SUFFIXES = (".jsonl", ".ndjson")
TABLE_SUFFIXES = (".csv", ".tsv", ".tab")
_HINT_SEPARATORS = ("@", "|", "\t", ";", "#", "~", "^")  # one per line hints at 'text<sep>label'
_HINT_LINES = 50


def read_text_file(path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """The text of ``path``, decoded like a dataset upload (byte-order marks, UTF-8, Western code pages, ...).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.txt"
    >>> _ = p.write_bytes("Nestlé rose .@positive\\n".encode("latin-1"))
    >>> read_text_file(p)
    'Nestlé rose .@positive\\n'
    """
    from finloom.data._encoding import decode_bytes

    file = Path(path)
    if not file.is_file():
        raise NotFoundError(f"data file must exist; got '{file}'. Check the path.")
    return decode_bytes(file.read_bytes(), encoding)[0]


def json_rows(text: str) -> Iterator[dict[str, Any]]:
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


def _check_sep(sep: str | None) -> str | None:
    if sep is None:
        return None
    sep = {"\\t": "\t", "tab": "\t"}.get(sep, sep)
    if len(sep) != 1 or sep in "\r\n\"":
        raise ConfigError(f"sep must be one character such as ',', ';', '@' or '\\t'; got {sep!r}.")
    return sep


def _separator_hint(text: str) -> str:
    """A remedy when every line holds one unusual character, as in ``sentence@label`` ('' if none)."""
    lines = [line for line in text.splitlines()[:_HINT_LINES] if line.strip()]
    for ch in _HINT_SEPARATORS:
        if lines and all(ch in line for line in lines):
            shown = "\\t" if ch == "\t" else ch
            return (f" Lines look like 'text{shown}label': pass sep='{shown}' and, when the first line is data, "
                    f"header=False (finloom nlp: --sep '{shown}' --no-header).")
    return ""


def _looks_like_data(names: Sequence[str]) -> bool:
    """Column names that read like a sentence or a number: the first line was probably data."""
    return any(len(n) > 30 or n.count(" ") >= 4 or n.strip().replace(".", "", 1).isdigit() for n in names)


def _columns_hint(text: str, names: Sequence[str], sep: str | None, header: bool) -> str:
    """A remedy when none of the wanted columns exist: another separator, or no header row."""
    hint = _separator_hint(text) if sep is None else ""
    if not hint and header and _looks_like_data(names):
        hint = " If the first line is data, not column names, pass header=False (finloom nlp: --no-header)."
    return hint


def load_frame(
    path: str | os.PathLike[str], *, columns: Sequence[str] = (), sep: str | None = None, header: bool = True,
    encoding: str | None = None,
) -> Any:
    """Read a CSV/TSV/text table or JSONL file as strings and check that ``columns`` exist.

    The delimiter is sniffed among ``, ; TAB |`` unless ``sep`` is given (``.tsv``: tab); without
    a header row (``header=False``) columns are named ``"1"``, ``"2"``, ... Every value stays text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "fpb.txt"
    >>> _ = p.write_text("Sales fell .@negative\\nProfit rose .@positive\\n")
    >>> load_frame(p, sep="@", header=False, columns=["1", "2"])["2"].tolist()
    ['negative', 'positive']
    """
    import pandas as pd

    from finloom.data._csv import parse_csv

    sep = _check_sep(sep)
    name = Path(path).name
    text = read_text_file(path, encoding)
    if Path(path).suffix.lower() in JSONL_SUFFIXES and sep is None:
        frame = pd.DataFrame(list(json_rows(text)))
    else:
        if sep is None and Path(path).suffix.lower() in (".tsv", ".tab"):
            sep = "\t"
        try:
            frame = parse_csv(text, sep=sep, name=name, header=header, dtypes=False)
        except InvalidDataError as exc:
            hint = _separator_hint(text) if sep is None else ""
            raise InvalidDataError([p + hint for p in exc.problems] if len(exc.problems) == 1 and hint
                                   else exc.problems) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        hint = _columns_hint(text, [str(c) for c in frame.columns], sep, header) if len(missing) == len(columns) else ""
        check_columns(frame, columns, path, hint=hint)
    return frame


def check_columns(frame: Any, wanted: Sequence[str], path: Any, *, hint: str = "") -> None:
    """Raise :class:`InvalidDataError` naming every missing column, with a did-you-mean and ``hint``.

    Examples
    --------
    >>> import pandas as pd
    >>> check_columns(pd.DataFrame({"text": [], "label": []}), ["text", "lable"], "d.csv")
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: column 'lable' must exist in d.csv; got columns ['text', 'label']. Did you mean 'label'?
    """
    columns = [str(c) for c in frame.columns]
    missing = [name for name in wanted if name not in columns]
    if not missing:
        return
    shown = columns if len(columns) <= 12 else [*columns[:12], "..."]
    listed = ", ".join(repr(c if len(c) <= 40 else c[:40] + "…") for c in shown)
    names = " and ".join(f"'{name}'" for name in missing)
    hints = "".join(did_you_mean(name, columns) for name in missing)
    raise InvalidDataError(f"column{'s' if len(missing) > 1 else ''} {names} must exist in {Path(path).name}; "
                           f"got columns [{listed}].{hints}{hint}")
