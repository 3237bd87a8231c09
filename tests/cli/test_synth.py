from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from finloom.cli.synth import app

runner = CliRunner()


def _write_table(path: Path) -> Path:
    rng = np.random.default_rng(0)
    pd.DataFrame({
        "limit": rng.choice([1_000, 2_000, 5_000], 80),
        "city": rng.choice(["Paris", "Lyon"], 80),
        "default": rng.integers(0, 2, 80),
    }).to_csv(path, index=False)
    return path


def test_synth_fit_and_sample_write_files(tmp_path: Path) -> None:
    data = _write_table(tmp_path / "train.csv")
    fit = runner.invoke(app, ["fit", str(data), "--out", str(tmp_path / "m"), "--model", "copula",
                              "--target", "default", "--param", "n_knots=101"])
    assert fit.exit_code == 0, fit.output
    assert "saved GaussianCopulaSynthesizer fitted on 80 rows" in fit.output
    out = tmp_path / "s.parquet"
    sample = runner.invoke(app, ["sample", str(tmp_path / "m"), "-n", "50", "--out", str(out),
                                 "-c", "city=Lyon", "-c", "limit=1500:6000"])
    assert sample.exit_code == 0, sample.output
    df = pd.read_parquet(out)
    assert len(df) == 50 and (df["city"] == "Lyon").all() and df["limit"].isin([2_000, 5_000]).all()


def test_synth_fit_unknown_model_fails_cleanly(tmp_path: Path) -> None:
    data = _write_table(tmp_path / "train.csv")
    result = runner.invoke(app, ["fit", str(data), "--out", str(tmp_path / "m"), "--model", "gann"])
    assert result.exit_code == 1
    assert "error: model must be 'auto', 'copula', 'gan', 'vae', 'diffusion' or 'ar'; got 'gann'" in result.output


def test_synth_sample_missing_model_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sample", str(tmp_path / "nope"), "-n", "5", "--out", str(tmp_path / "s.csv")])
    assert result.exit_code == 1
    assert "error: model path must be a directory" in result.output


def test_synth_report_writes_html(tmp_path: Path) -> None:
    data = _write_table(tmp_path / "train.csv")
    result = runner.invoke(app, ["report", str(data), str(data), "--out", str(tmp_path / "rep")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rep" / "report.html").is_file()


def test_synth_report_bad_path_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path / "a.xlsx"), str(tmp_path / "b.csv"),
                                 "--out", str(tmp_path / "rep")])
    assert result.exit_code == 1
    assert "error:" in result.output


def test_synth_fit_ragged_csv_is_one_line_error(tmp_path: Path) -> None:
    data = tmp_path / "rag.csv"
    data.write_text("a,b\n1,2\n3\n4,5,6\n")
    result = runner.invoke(app, ["fit", str(data), "--out", str(tmp_path / "m"), "--model", "copula"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stderr.startswith("error: every row of file 'rag.csv' must have 2 fields like the header")
    assert not (tmp_path / "m").exists()


def test_synth_fit_reads_like_the_data_package(tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    data.write_bytes("id;city;amount\n007;Málaga;1,5\n008;Köln;2,5\n009;Málaga;3\n".encode("cp1252"))
    result = runner.invoke(app, ["fit", str(data), "--out", str(tmp_path / "m"), "--model", "copula"])
    assert result.exit_code == 0, result.output


def test_synth_sample_bad_condition_range_is_an_error(tmp_path: Path) -> None:
    data = _write_table(tmp_path / "train.csv")
    assert runner.invoke(app, ["fit", str(data), "--out", str(tmp_path / "m"), "--model", "copula"]).exit_code == 0
    result = runner.invoke(app, ["sample", str(tmp_path / "m"), "-n", "5", "--out", str(tmp_path / "s.csv"),
                                 "-c", "limit=a:b"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "error: condition limit must look like limit=low:high with two numbers; got 'a:b'" in result.stderr


def test_synth_sample_csv_neutralises_formula_cells(tmp_path: Path) -> None:
    data = tmp_path / "train.csv"
    pd.DataFrame({"note": ["=HYPERLINK(\"http://x\")", "@SUM(A1)"] * 20, "x": np.arange(40.0)}).to_csv(data, index=False)
    assert runner.invoke(app, ["fit", str(data), "--out", str(tmp_path / "m"), "--model", "copula"]).exit_code == 0
    out = tmp_path / "s.csv"
    assert runner.invoke(app, ["sample", str(tmp_path / "m"), "-n", "20", "--out", str(out)]).exit_code == 0
    notes = set(pd.read_csv(out)["note"])
    assert notes and notes <= {"'=HYPERLINK(\"http://x\")", "'@SUM(A1)"}


def test_one_default_synthesizer_for_cli_api_and_web() -> None:
    from finloom.apps.synthetic_data.schemas import SynthFitParams
    from finloom.synth.tabular import DEFAULT_MODEL

    assert DEFAULT_MODEL == "auto" and SynthFitParams(dataset="d").model == DEFAULT_MODEL
    help_text = runner.invoke(app, ["fit", "--help"], env={"COLUMNS": "200"}).output
    assert "[default: auto]" in help_text
