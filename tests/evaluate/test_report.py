"""QualityReport: runs every evaluator, serialises to JSON and renders a self-contained page."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.evaluate import QualityReport


def _table(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame({
        "limit": np.round(rng.uniform(1, 50, size=n)) * 10_000,
        "x": x,
        "job": rng.choice(["a", "b", "c"], size=n),
        "default": (x + rng.logistic(size=n) > 0.8).astype(int),
    })


@pytest.fixture(scope="module")
def report() -> QualityReport:
    train, holdout, syn = _table(300, 0), _table(300, 1), _table(300, 2)
    meta = Metadata.infer(train, target="default")
    calls: list[float] = []
    rep = QualityReport.generate(train, syn, meta, holdout=holdout,
                                 progress=lambda f, m="": calls.append(f))
    assert calls[0] == 0.0 and calls[-1] == 1.0
    return rep


def test_quality_report_to_dict_is_json(report: QualityReport) -> None:
    data = json.loads(json.dumps(report.to_dict()))
    assert set(data) >= {"summary", "fidelity", "detection", "utility", "privacy", "skipped"}
    summary = data["summary"]
    assert 0.0 <= summary["quality"] <= 1.0
    assert 0.3 < summary["dcr_share"] < 0.7
    assert summary["exact_copy_rate"] == 0.0
    assert data["skipped"] == {}


def test_quality_report_html_embeds_images(report: QualityReport) -> None:
    doc = report.to_html()
    assert doc.startswith("<!DOCTYPE html>")
    images = re.findall(r'<img alt="[^"]*" src="data:image/png;base64,[A-Za-z0-9+/=]+">', doc)
    assert len(images) == 3
    for title in ("Marginal distributions", "Correlation difference", "2-D PCA overlay", "Privacy"):
        assert title in doc
    assert "http://" not in doc and "https://" not in doc  # self-contained


def test_quality_report_without_holdout_skips_utility_and_privacy() -> None:
    df = _table(120, 0)
    rep = QualityReport.generate(df, _table(120, 1), Metadata.infer(df), plots=False)
    assert rep.utility is None and rep.privacy is None
    assert set(rep.skipped) == {"utility", "privacy"}
    assert "Skipped" in rep.to_html()


def test_result_objects_render_own_pages(report: QualityReport) -> None:
    for part in (report.fidelity, report.detection, report.utility, report.privacy):
        assert part is not None
        assert part.to_html().startswith("<!DOCTYPE html>")
        json.dumps(part.to_dict())


def test_import_evaluate_is_light() -> None:
    import subprocess
    import sys

    code = ("import sys, finloom.evaluate; "
            "print(sorted(m for m in ('torch', 'matplotlib', 'sklearn', 'lightgbm', 'sdmetrics') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
