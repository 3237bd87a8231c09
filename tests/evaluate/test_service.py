"""Job service: reads tables, writes report.json / report.html."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.errors import ConfigError
from finloom.evaluate import run_quality_report


def test_run_quality_report_writes_files(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=200), "y": rng.integers(0, 2, size=200)})
    df[:100].to_csv(tmp_path / "train.csv", index=False)
    df[100:].to_parquet(tmp_path / "syn.parquet")
    df[100:].to_csv(tmp_path / "holdout.csv", index=False)
    meta = Metadata.infer(df, target="y").to_dict()
    progress: list[str] = []
    out = run_quality_report(
        {"real_path": str(tmp_path / "train.csv"), "synthetic_path": str(tmp_path / "syn.parquet"),
         "holdout_path": str(tmp_path / "holdout.csv"), "metadata": meta, "plots": False},
        lambda f, m="": progress.append(m), tmp_path / "out",
    )
    saved = json.loads(Path(out["json_path"]).read_text())
    assert saved["summary"] == out["summary"]
    assert "tstr_auc" in out["summary"] and "dcr_share" in out["summary"]
    assert Path(out["html_path"]).read_text().startswith("<!DOCTYPE html>")
    assert progress[-1] == "done"


def test_run_quality_report_requires_paths(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"params\['synthetic_path'\] must be a table path"):
        run_quality_report({"real_path": "a.csv"}, out_dir=tmp_path)
