"""``import finloom`` stays light: no torch, transformers or dask."""

from __future__ import annotations

import subprocess
import sys


def test_import_finloom_loads_no_heavy_dependency():
    code = (
        "import sys, finloom, finloom.data, finloom.store, finloom.jobs, finloom.config, finloom.errors; "
        "heavy = [m for m in ('torch', 'transformers', 'dask', 'distributed') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
