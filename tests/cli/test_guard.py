"""``finloom guard check``: one text, a batch file, and clear errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from finloom.cli.main import app

runner = CliRunner()
FACTS = '{"company": "Harbor Bank", "period": "2024-Q1", "net_profit_yoy_pct": -3.4}'


def test_guard_check_one_text_flags_and_strict_exit() -> None:
    ok = runner.invoke(app, ["guard", "check", FACTS, "Harbor Bank's net profit fell 3.4% in Q1."])
    assert ok.exit_code == 0 and "supported" in ok.output
    bad = runner.invoke(app, ["guard", "check", FACTS, "Harbor Bank's net profit rose 3.4% in Q1.", "--strict", "--json"])
    assert bad.exit_code == 2
    (result,) = json.loads(bad.stdout)
    assert result["issues"][0]["reason"] == "direction"


def test_guard_check_batch_writes_jsonl_and_csv(tmp_path) -> None:
    items = tmp_path / "items.jsonl"
    items.write_text("\n".join(json.dumps({"id": f"t{i}", "facts": json.loads(FACTS), "text": t}) for i, t in
                               enumerate(["Net profit fell 3.4%.", "Net profit fell 3.5%."])), encoding="utf-8")
    out = tmp_path / "res.jsonl"
    result = runner.invoke(app, ["guard", "check", "--file", str(items), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["ok"]) for r in rows] == [("t0", True), ("t1", False)]
    csv = tmp_path / "res.csv"
    assert runner.invoke(app, ["guard", "check", "-f", str(items), "-o", str(csv)]).exit_code == 0
    assert csv.read_text(encoding="utf-8").splitlines()[1].startswith("t1,False")


def test_guard_check_errors_are_one_line() -> None:
    result = runner.invoke(app, ["guard", "check", "{bad json", "text"])
    assert result.exit_code == 1 and "FACTS must be valid JSON" in result.output
    result = runner.invoke(app, ["guard", "check", FACTS])
    assert result.exit_code == 1 and "must both be given" in result.output
    result = runner.invoke(app, ["guard", "check", "no-such-file.json", "text"])
    assert result.exit_code == 1 and "FACTS must be a JSON object or a JSON file" in result.output


def test_the_formula_guard_setting_reaches_the_csv_the_cli_writes(tmp_path, monkeypatch) -> None:
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps({"id": "=1+1", "facts": json.loads(FACTS), "text": "Net profit fell 3.5%."}),
                     encoding="utf-8")
    for setting, cell in (("true", "'=1+1"), ("false", "=1+1")):
        monkeypatch.setenv("FINLOOM_CSV_FORMULA_GUARD", setting)
        out = tmp_path / f"res-{setting}.csv"
        assert runner.invoke(app, ["guard", "check", "--file", str(items), "-o", str(out)]).exit_code == 0
        assert out.read_text(encoding="utf-8").splitlines()[1].startswith(cell + ",")
