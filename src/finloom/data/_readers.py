"""Load a table from a path, uploaded bytes, a file object, a DataFrame or an SQL query."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO, Any

import pandas as pd

from finloom._optional import require
from finloom.data._csv import parse_csv
from finloom.data._encoding import decode_bytes
from finloom.errors import (
    InvalidDataError,
    NotFoundError,
    PayloadTooLargeError,
    did_you_mean,
)

__all__ = ["FORMATS", "read_sql", "read_table"]

FORMATS = ("csv", "tsv", "parquet", "jsonl", "json", "excel")
_EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".xlsx": "excel",
    ".xls": "excel",
}
_PARQUET_MAGIC = b"PAR1"
_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx workbooks are zip files

Source = (
    str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes] | IO[str] | pd.DataFrame
)


def _human(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def _size(n: int) -> str:
    human = _human(n)
    return human if human.endswith("bytes") else f"{human} ({n} bytes)"


def _too_large(name: str, size: int | None, limit: int) -> PayloadTooLargeError:
    got = _size(size) if size is not None else f"more than {_size(limit)}"
    return PayloadTooLargeError(
        f"{name} must be at most {_size(limit)}; got {got}. "
        "Upload a smaller file (split it or drop columns) or raise the size limit."
    )


def _format_from_name(name: str) -> str | None:
    suffix = Path(name).suffix.lower()
    if not suffix:
        return None
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    raise InvalidDataError(
        f"file extension must be one of {', '.join(sorted(_EXTENSIONS))}; got '{suffix}' "
        f"('{Path(name).name}').{did_you_mean(suffix, _EXTENSIONS)} Or pass format='csv'."
    )


def _check_format(fmt: str) -> str:
    fmt = fmt.lower().lstrip(".")
    fmt = _EXTENSIONS.get(f".{fmt}", fmt)
    if fmt not in FORMATS:
        raise InvalidDataError(
            f"format must be one of {', '.join(FORMATS)}; got '{fmt}'.{did_you_mean(fmt, FORMATS)}"
        )
    return fmt


def _read_path(path: Path, max_bytes: int | None) -> bytes:
    if not path.is_file():
        raise NotFoundError(f"file must exist; got '{path}'. Check the path.")
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise _too_large(f"file '{path.name}'", size, max_bytes)
    return path.read_bytes()


def _read_stream(stream: IO[Any], max_bytes: int | None) -> bytes:
    data = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if max_bytes is not None and len(raw) > max_bytes:
        size = None
        if stream.seekable():
            size = stream.seek(0, io.SEEK_END)
        raise _too_large("the upload", size, max_bytes)
    return raw


def _load_bytes(source: Source, max_bytes: int | None) -> tuple[bytes, str | None]:
    """Return the raw bytes and the file name (or None) of a non-DataFrame source."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        return _read_path(path, max_bytes), path.name
    if isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
        if max_bytes is not None and len(raw) > max_bytes:
            raise _too_large("the upload", len(raw), max_bytes)
        return raw, None
    if not isinstance(source, pd.DataFrame) and hasattr(source, "read"):
        name = getattr(source, "name", None)
        return _read_stream(source, max_bytes), name if isinstance(name, str) else None
    raise TypeError(
        "source must be a path, bytes, a file object or a pandas DataFrame; "
        f"got {type(source).__name__}."
    )


def _parse_parquet(raw: bytes, name: str) -> pd.DataFrame:
    try:
        return pd.read_parquet(io.BytesIO(raw))
    except Exception as exc:  # pyarrow raises several unrelated classes for corrupt files
        raise InvalidDataError(
            f"{name} must be a valid Parquet file; got unreadable data ({type(exc).__name__}: "
            f"{str(exc)[:200]}). Re-export the file as Parquet or upload it as CSV."
        ) from exc


def _parse_json(text: str, lines: bool, name: str) -> pd.DataFrame:
    try:
        return pd.read_json(io.StringIO(text), lines=lines, dtype=False)
    except ValueError as exc:
        kind = "JSON lines (one object per line)" if lines else "a JSON array of records"
        raise InvalidDataError(f"{name} must be {kind}; got invalid JSON ({exc}).") from exc


def _parse(
    raw: bytes, fmt: str, name: str, sep: str | None, encoding: str | None, sheet: str | int | None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    info: dict[str, Any] = {"format": fmt}
    if fmt == "parquet":
        return _parse_parquet(raw, name), info
    if fmt == "excel":
        require("openpyxl", feature="reading Excel files")
        return pd.read_excel(io.BytesIO(raw), sheet_name=sheet or 0), info
    text, info["encoding"] = decode_bytes(raw, encoding)
    if fmt in ("jsonl", "json"):
        return _parse_json(text, fmt == "jsonl", name), info
    sep = "\t" if fmt == "tsv" and sep is None else sep
    df = parse_csv(text, sep=sep, name=name)
    info["sep"] = df.attrs.pop("sep", sep)
    return df, info


def read_table(
    source: Source,
    *,
    format: str | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    max_bytes: int | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a table from a file path, uploaded bytes, a file object or a DataFrame.

    CSV input is decoded (UTF-8, else the detected encoding), its delimiter sniffed among
    ``, ; TAB |``, its header and row widths checked, and its column dtypes inferred (ids
    with leading zeros stay strings). How the data was read is recorded in
    ``df.attrs["source"]`` (format, encoding, sep, name).

    Parameters
    ----------
    source : path, bytes, file object or DataFrame
        Where the table comes from. A DataFrame is copied (column names become strings).
    format : {"csv", "tsv", "parquet", "jsonl", "json", "excel"}, optional
        Defaults to the file extension; else bytes starting with ``PAR1`` are Parquet, a zip
        is an Excel workbook, anything else CSV.
    sep : str, optional
        CSV delimiter; sniffed when omitted.
    encoding : str, optional
        Text encoding; detected when omitted.
    max_bytes : int, optional
        Size limit; larger input raises :class:`PayloadTooLargeError` before parsing.
    sheet : str or int, optional
        Excel sheet name or index (needs ``openpyxl``).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InvalidDataError
        Empty file, header only, ragged rows, wrong delimiter, duplicated or blank column
        names, undecodable text, unreadable Parquet, unknown format (all problems at once).
    PayloadTooLargeError
        The input is larger than ``max_bytes``.
    NotFoundError
        The path does not exist.

    Examples
    --------
    >>> df = read_table(b"id;name;amount\\n007;Ana;1,5\\n008;Bo;2\\n")
    >>> df["id"].tolist(), df.attrs["source"]["sep"]
    (['007', '008'], ';')
    """
    if isinstance(source, pd.DataFrame):
        df = source.copy(deep=True)
        df.columns = [str(c) for c in df.columns]
        df.attrs["source"] = {"format": "dataframe"}
        return df
    raw, name = _load_bytes(source, max_bytes)
    fmt = _check_format(format) if format else (_format_from_name(name) if name else None)
    if fmt is None:
        magic = {_PARQUET_MAGIC: "parquet", _ZIP_MAGIC: "excel"}
        fmt = next((f for m, f in magic.items() if raw.startswith(m)), "csv")
    label = f"file '{name}'" if name else "the uploaded file"
    df, info = _parse(raw, fmt, label, sep, encoding, sheet)
    if df.shape[0] == 0:
        raise InvalidDataError(
            f"{label} must contain at least one data row; got 0 rows "
            f"(columns: {', '.join(map(str, df.columns)) or 'none'})."
        )
    df.attrs["source"] = {**info, "name": name}
    return df


def _run_query(query: str, conn: Any, params: dict[str, Any] | None) -> pd.DataFrame:
    import sqlalchemy as sa

    try:
        return pd.read_sql_query(sa.text(query), conn, params=params)
    except (sa.exc.SQLAlchemyError, pd.errors.DatabaseError) as exc:
        cause = exc.__cause__ if isinstance(exc, pd.errors.DatabaseError) else exc
        reason = " ".join(str(getattr(cause, "orig", cause)).split())[:200]
        raise InvalidDataError(
            f"SQL query must run without error; got {reason}. Check the table and column names."
        ) from exc


def read_sql(
    query: str, url_or_engine: Any, *, params: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Run an SQL query with SQLAlchemy and return its result as a DataFrame.

    Parameters
    ----------
    query : str
        A SELECT statement; ``:name`` placeholders are bound from ``params``.
    url_or_engine : str or sqlalchemy.engine.Engine
        A database URL (the engine is created and disposed here) or an existing engine.
    params : dict, optional
        Bound parameters.

    Raises
    ------
    ServiceError
        The database cannot be reached.
    ConfigError
        The URL names an unknown database or a driver that is not installed.
    InvalidDataError
        The query fails or returns no rows.

    Examples
    --------
    >>> read_sql("SELECT 1 AS a, 'x' AS b", "sqlite://")
       a  b
    0  1  x
    """
    import sqlalchemy as sa

    from finloom.store._db import create_checked_engine, database_error

    owned = isinstance(url_or_engine, str)
    engine = create_checked_engine(url_or_engine) if owned else url_or_engine
    try:
        try:
            conn = engine.connect()
        except sa.exc.SQLAlchemyError as exc:
            raise database_error(exc) from exc
        with conn:
            df = _run_query(query, conn, params)
    finally:
        if owned:
            engine.dispose()
    if df.empty:
        raise InvalidDataError("SQL query must return at least one row; got 0 rows.")
    df.attrs["source"] = {"format": "sql"}
    return df
