"""Service functions for jobs, the API and the CLI: run a quality report and write its files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from finloom._base import ProgressCallback, noop_progress
from finloom._io import atomic_write_text
from finloom.data import Metadata, read_table  # the one table reader (re-exported)
from finloom.errors import ConfigError
from finloom.evaluate._report import QualityReport

__all__ = ["read_table", "report_to_files", "run_quality_report"]


def report_to_files(report: QualityReport, out_dir: str | Path) -> dict[str, Any]:
    """Write ``report.json`` and ``report.html`` into ``out_dir``; return the summary and paths.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [float(i % 7) for i in range(20)]})
    >>> rep = QualityReport.generate(df, df, Metadata.infer(df), plots=False)
    >>> out = report_to_files(rep, tempfile.mkdtemp())
    >>> out["summary"]["quality"], Path(out["html_path"]).name
    (1.0, 'report.html')
    """
    out = Path(out_dir)
    json_path = atomic_write_text(out / "report.json", json.dumps(report.to_dict(), indent=2) + "\n")
    html_path = atomic_write_text(out / "report.html", report.to_html())
    summary: dict[str, Any] = report.to_dict()["summary"]
    return {"summary": summary, "json_path": str(json_path), "html_path": str(html_path)}


def run_quality_report(
    params: dict[str, Any], progress: ProgressCallback = noop_progress, out_dir: str | Path = "."
) -> dict[str, Any]:
    """Job entry point: ``params`` = {real_path, synthetic_path, holdout_path?, metadata?, target?, seed?}.

    ``metadata`` is a :meth:`Metadata.to_dict` dict; when absent it is inferred from the real table.
    Returns the JSON-able summary and the paths of ``report.json`` / ``report.html``.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> d = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"x": [float(i % 5) for i in range(30)]}).to_csv(d / "r.csv", index=False)
    >>> res = run_quality_report({"real_path": str(d / "r.csv"), "synthetic_path": str(d / "r.csv"),
    ...                           "plots": False}, out_dir=d)
    >>> res["summary"]["quality"]
    1.0
    """
    for key in ("real_path", "synthetic_path"):
        if not params.get(key):
            raise ConfigError(f"params['{key}'] must be a table path; got {params.get(key)!r}. Pass it.")
    real = read_table(params["real_path"])
    synthetic = read_table(params["synthetic_path"])
    holdout = read_table(params["holdout_path"]) if params.get("holdout_path") else None
    meta_dict = params.get("metadata")
    metadata = Metadata.from_dict(meta_dict) if meta_dict else Metadata.infer(real, target=params.get("target"))
    report = QualityReport.generate(
        real, synthetic, metadata, holdout=holdout, target=params.get("target"),
        random_state=int(params.get("seed", 0)), plots=bool(params.get("plots", True)), progress=progress,
    )
    return report_to_files(report, out_dir)
