"""Model files without pickle: tensors in ``model.safetensors``, everything else in ``config.json``.

Estimators call :func:`save_state` / :func:`load_state` from their ``save`` / ``load`` methods;
the artifact registry stores the resulting directory as one versioned artifact.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np

from finloom._io import atomic_dir
from finloom.errors import FinloomError, InvalidDataError

__all__ = ["FORMAT_VERSION", "load_state", "save_state", "state_kind", "to_jsonable"]

FORMAT_VERSION = 1
TENSORS_FILE = "model.safetensors"
CONFIG_FILE = "config.json"


def to_jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays, dataclasses, paths and sets into plain JSON values.

    Non-finite floats become the strings "nan", "inf", "-inf" so the JSON stays standard.

    Examples
    --------
    >>> to_jsonable({"a": np.int64(3), "b": np.array([1.5, np.inf])})
    {'a': 3, 'b': [1.5, 'inf']}
    """
    if is_dataclass(obj) and not isinstance(obj, type):
        return to_jsonable(asdict(obj))
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        value = float(obj)
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    return obj


def save_state(
    path: str | os.PathLike[str],
    *,
    kind: str,
    config: dict[str, Any],
    tensors: dict[str, np.ndarray] | None = None,
    overwrite: bool = True,
) -> Path:
    """Write a model directory atomically: ``config.json`` (+ ``model.safetensors`` if tensors).

    Parameters
    ----------
    path : directory to create.
    kind : the estimator's class name, checked again by :func:`load_state`.
    config : JSON-serialisable parameters and learned non-tensor state.
    tensors : name -> numpy array; torch users pass ``{k: v.detach().cpu().numpy()}``.
    overwrite : replace an existing directory.

    Returns
    -------
    The directory path.

    Examples
    --------
    >>> import tempfile
    >>> d = save_state(tempfile.mkdtemp() + "/m", kind="Demo", config={"a": 1},
    ...                tensors={"w": np.ones((2, 2), dtype=np.float32)})
    >>> state = load_state(d, kind="Demo")
    >>> state["config"]["a"], state["tensors"]["w"].shape
    (1, (2, 2))
    """
    from safetensors.numpy import save_file

    with atomic_dir(path, overwrite=overwrite) as tmp:
        document = {"format_version": FORMAT_VERSION, "kind": kind, "config": to_jsonable(config)}
        (tmp / CONFIG_FILE).write_text(json.dumps(document, indent=2, ensure_ascii=False))
        if tensors:
            arrays = {k: np.ascontiguousarray(v) for k, v in tensors.items()}
            save_file(arrays, str(tmp / TENSORS_FILE))
    return Path(path)


def _read_document(root: Path, kind: str | None) -> dict[str, Any]:
    """``config.json`` of a model directory, checked to be a finloom model (of ``kind``)."""
    config_path = root / CONFIG_FILE
    if not config_path.is_file():
        inner = root / "model"  # the training commands write the model into <out>/model
        hint = (f"Did you mean '{inner}' (the model folder inside a training run)?"
                if (inner / CONFIG_FILE).is_file() else "Pass the directory written by save().")
        raise FinloomError(f"model path must be a directory with {CONFIG_FILE}; got '{root}'. {hint}")
    try:
        document: dict[str, Any] = json.loads(config_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidDataError(f"{config_path} must be valid UTF-8 JSON; got a parse error: {exc}.") from exc
    if kind is not None and document.get("kind") != kind:
        raise FinloomError(
            f"model kind must be '{kind}'; got '{document.get('kind')}' in {root}. "
            f"Load it with {document.get('kind')}.load() instead."
        )
    return document


def state_kind(path: str | os.PathLike[str]) -> str | None:
    """The ``kind`` a directory written by :func:`save_state` holds, without reading its tensors.

    Examples
    --------
    >>> import tempfile
    >>> state_kind(save_state(tempfile.mkdtemp() + "/m", kind="Demo", config={}))
    'Demo'
    """
    return _read_document(Path(path), None).get("kind")


def load_state(path: str | os.PathLike[str], *, kind: str | None = None) -> dict[str, Any]:
    """Read a directory written by :func:`save_state`; returns ``{"config", "tensors", "kind"}``.

    Raises
    ------
    FinloomError
        When the directory is missing, is not a finloom model, or holds another kind of model.

    Examples
    --------
    >>> import tempfile
    >>> d = save_state(tempfile.mkdtemp() + "/m", kind="Demo", config={"a": 1})
    >>> load_state(d)["tensors"]
    {}
    """
    from safetensors.numpy import load_file

    root = Path(path)
    document = _read_document(root, kind)
    tensor_path = root / TENSORS_FILE
    tensors = load_file(str(tensor_path)) if tensor_path.is_file() else {}
    return {"kind": document.get("kind"), "config": document.get("config", {}), "tensors": tensors}
