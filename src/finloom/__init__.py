"""finloom: an offline, CPU-first generative-AI workbench for banks and fintechs.

Importing ``finloom`` is cheap: torch, transformers and dask load only when a feature needs them.

Examples
--------
>>> import finloom
>>> finloom.__version__
'0.1.0'
"""

from finloom.errors import FinloomError, InvalidDataError, NotFittedError

__version__ = "0.1.0"

__all__ = ["FinloomError", "InvalidDataError", "NotFittedError", "__version__"]
