"""A content hash of a table that depends on its values, column names and logical types only."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["content_hash"]

_HASH_VERSION = 1  # bump when the canonical encoding changes


def _logical(s: pd.Series) -> tuple[str, pd.Series]:
    """(logical type, series prepared for encoding) of one column."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if pd.api.types.is_bool_dtype(s):
        return "bool", s
    if pd.api.types.is_unsigned_integer_dtype(s):
        return "uint", s
    if pd.api.types.is_integer_dtype(s):
        return "int", s
    if pd.api.types.is_float_dtype(s):
        return "float", s
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return f"datetime[{s.dt.tz}]", s.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(s):
        return "datetime", s
    if pd.api.types.is_timedelta64_dtype(s):
        return "timedelta", s
    if pd.api.types.is_string_dtype(s) and not pd.api.types.is_object_dtype(s):
        return "str", s
    if pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty"):
        return "str", s
    return "object", s


def _encode_strings(values: pd.Series) -> bytes:
    """UTF-8 bytes of the values preceded by their int64 end offsets (Arrow's layout)."""
    import pyarrow as pa

    arr = pa.array(values.to_numpy(dtype=object) if values.dtype == object else values,
                   type=pa.large_string())  # fmt: skip
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    offsets = np.frombuffer(arr.buffers()[1], dtype="<i8")[arr.offset : arr.offset + len(arr) + 1]
    data = arr.buffers()[2]
    body = b"" if data is None else data.to_pybytes()[offsets[0] : offsets[-1]]
    return (offsets - offsets[0]).astype("<i8").tobytes() + body


def _encode(kind: str, s: pd.Series, missing: np.ndarray) -> bytes:
    present = s[~missing]
    if kind == "bool":
        return present.to_numpy(dtype="uint8").tobytes()
    if kind in ("int", "uint"):
        return present.to_numpy(dtype="<u8" if kind == "uint" else "<i8").tobytes()
    if kind == "float":
        return (present.to_numpy(dtype="<f8") + 0.0).tobytes()  # + 0.0 turns -0.0 into 0.0
    if kind.startswith(("datetime", "timedelta")):
        return present.dt.as_unit("ns").to_numpy().view("<i8").tobytes()
    if kind == "str":
        return _encode_strings(present)
    return _encode_strings(present.map(lambda v: f"{type(v).__name__}:{v}"))


def content_hash(df: pd.DataFrame) -> str:
    """SHA-256 (hex) of a canonical encoding of ``df``'s column names, logical types and values.

    The index, ``df.attrs``, integer/float widths, datetime units and string storage do not
    matter, so the same table read from CSV, from Parquet or built in memory hashes the same.
    Missing values (None, NaN, NaT, pd.NA) are all the same missing value.

    Examples
    --------
    >>> a = pd.DataFrame({"x": [1, 2], "s": ["a", None]})
    >>> b = pd.DataFrame({"x": pd.array([1, 2], dtype="Int32"), "s": ["a", float("nan")]}, index=[5, 6])
    >>> content_hash(a) == content_hash(b)
    True
    >>> content_hash(a) == content_hash(a.assign(x=[1, 3]))
    False
    """
    digest = hashlib.sha256()
    columns: list[Any] = []
    prepared = []
    for i, name in enumerate(df.columns):
        kind, s = _logical(df.iloc[:, i])
        columns.append([str(name), kind])
        prepared.append((kind, s))
    header = {"version": _HASH_VERSION, "n_rows": int(df.shape[0]), "columns": columns}
    digest.update(json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    for kind, s in prepared:
        missing = s.isna().to_numpy(dtype=bool)
        digest.update(np.packbits(missing).tobytes())
        digest.update(_encode(kind, s, missing))
    return digest.hexdigest()
