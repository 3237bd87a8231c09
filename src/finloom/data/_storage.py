"""One dataset version on disk: ``data.parquet`` + ``metadata.json``, written atomically."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from finloom._io import atomic_dir
from finloom.data._hash import content_hash
from finloom.data._metadata import Metadata
from finloom.data._validate import check_table
from finloom.errors import ConflictError, InvalidDataError, NotFoundError

__all__ = ["DatasetFiles", "read_dataset_files", "read_dataset_version", "write_dataset_version"]

DATA_FILE = "data.parquet"
METADATA_FILE = "metadata.json"
_FORMAT_VERSION = 1


@dataclass(frozen=True)
class DatasetFiles:
    """Where a dataset version lives and what it holds (the registry records these fields).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> df = pd.DataFrame({"a": [1, 2]})
    >>> files = write_dataset_version(df, Metadata.infer(df), pathlib.Path(tempfile.mkdtemp()) / "v")
    >>> sorted(files.to_dict())
    ['content_hash', 'n_cols', 'n_rows', 'path_metadata', 'path_parquet', 'size_bytes']
    """

    path_parquet: Path
    path_metadata: Path
    content_hash: str
    n_rows: int
    n_cols: int
    size_bytes: int  # both files together

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["path_parquet"] = str(self.path_parquet)
        out["path_metadata"] = str(self.path_metadata)
        return out


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    table = df.reset_index(drop=True)
    table.attrs = {}
    try:
        table.to_parquet(path, index=False)
    except Exception as exc:  # pyarrow raises ArrowTypeError/ArrowInvalid/ValueError/...
        raise InvalidDataError(
            f"table must be storable as Parquet; got {type(exc).__name__}: {str(exc)[:200]}. "
            "Give every column a single type (call coerce_table first)."
        ) from exc


def write_dataset_version(
    df: pd.DataFrame,
    metadata: Metadata,
    directory: str | os.PathLike[str],
    *,
    validate: bool = True,
    overwrite: bool = False,
) -> DatasetFiles:
    """Write ``df`` and ``metadata`` to ``directory`` as ``data.parquet`` + ``metadata.json``.

    The directory appears complete or not at all (a temporary sibling renamed into place).
    ``metadata.json`` holds the metadata, the content hash, the shape and the dtypes.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; never modified.
    metadata : Metadata
    directory : path
        Must not exist unless ``overwrite`` is true.
    validate : bool, default True
        Run :func:`check_table` first (raises one :class:`InvalidDataError` with every error).
    overwrite : bool, default False

    Returns
    -------
    DatasetFiles

    Raises
    ------
    InvalidDataError
        Validation failed or a column cannot be stored in Parquet.
    ConflictError
        ``directory`` exists and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> df = pd.DataFrame({"id": [1, 2, 3], "amount": [1.5, 2.5, 4.0]})
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> files = write_dataset_version(df, Metadata.infer(df), root / "v1")
    >>> files.n_rows, files.n_cols, files.path_parquet.name
    (3, 2, 'data.parquet')
    >>> back, meta = read_dataset_version(root / "v1", verify=True)
    >>> back.equals(df), meta.primary_key
    (True, 'id')
    """
    target = Path(directory)
    if target.exists() and not overwrite:
        raise ConflictError(
            f"dataset version directory must not exist yet; got existing '{target}'. "
            "Write a new version or pass overwrite=True."
        )
    if validate:
        check_table(df, metadata)
    digest = content_hash(df)
    document = {
        "format_version": _FORMAT_VERSION,
        "content_hash": digest,
        "n_rows": int(df.shape[0]),
        "n_cols": int(df.shape[1]),
        "dtypes": {str(c): str(t) for c, t in df.dtypes.items()},
        "metadata": metadata.to_dict(),
    }
    with atomic_dir(target, overwrite=overwrite) as tmp:
        _write_parquet(df, tmp / DATA_FILE)
        (tmp / METADATA_FILE).write_text(json.dumps(document, indent=2, ensure_ascii=False))
    return read_dataset_files(target)


def _load_document(directory: Path) -> dict[str, Any]:
    path = directory / METADATA_FILE
    if not path.is_file() or not (directory / DATA_FILE).is_file():
        raise NotFoundError(
            f"dataset version directory must hold {DATA_FILE} and {METADATA_FILE}; got "
            f"'{directory}' without them. Check the path or register the dataset again."
        )
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def read_dataset_files(directory: str | os.PathLike[str]) -> DatasetFiles:
    """Describe the dataset version stored in ``directory`` without loading the table.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> df = pd.DataFrame({"a": [1, 2]})
    >>> _ = write_dataset_version(df, Metadata.infer(df), root / "v1")
    >>> read_dataset_files(root / "v1").n_rows
    2
    """
    folder = Path(directory)
    document = _load_document(folder)
    parquet, meta = folder / DATA_FILE, folder / METADATA_FILE
    return DatasetFiles(
        path_parquet=parquet,
        path_metadata=meta,
        content_hash=str(document["content_hash"]),
        n_rows=int(document["n_rows"]),
        n_cols=int(document["n_cols"]),
        size_bytes=parquet.stat().st_size + meta.stat().st_size,
    )


def read_dataset_version(
    directory: str | os.PathLike[str], *, verify: bool = False
) -> tuple[pd.DataFrame, Metadata]:
    """Load the table and metadata written by :func:`write_dataset_version`.

    Parameters
    ----------
    directory : path
    verify : bool, default False
        Recompute the content hash and raise :class:`InvalidDataError` if the files changed.

    Returns
    -------
    tuple of (pandas.DataFrame, Metadata)

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> df = pd.DataFrame({"when": pd.to_datetime(["2024-01-02", "2024-01-03"]), "v": [1.0, 2.0]})
    >>> _ = write_dataset_version(df, Metadata.infer(df), root / "v1")
    >>> read_dataset_version(root / "v1")[0].dtypes.astype(str).tolist()
    ['datetime64[us]', 'float64']
    """
    folder = Path(directory)
    document = _load_document(folder)
    df = pd.read_parquet(folder / DATA_FILE)
    if verify and content_hash(df) != document["content_hash"]:
        raise InvalidDataError(
            f"dataset files must match their recorded content hash; got different content in "
            f"'{folder}'. The files were changed or damaged; register the dataset again."
        )
    return df, Metadata.from_dict(document["metadata"])
