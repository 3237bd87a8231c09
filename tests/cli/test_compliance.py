from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from finloom.cli.compliance import app

runner = CliRunner()


def test_audit_text_json_and_strict() -> None:
    result = runner.invoke(app, ["audit-text", "Guaranteed returns! Capital at risk.", "--json"])
    assert result.exit_code == 0, result.output
    assert [f["rule_id"] for f in json.loads(result.output)] == ["EN-PROM-001"]
    strict = runner.invoke(app, ["audit-text", "本产品保本保收益。", "--strict"])
    assert strict.exit_code == 2 and "ZH-PROM-001" in strict.output


def test_audit_text_without_input_fails_cleanly() -> None:
    result = runner.invoke(app, ["audit-text"])
    assert result.exit_code == 1 and "error: text must be given" in result.output


def test_audit_trades_csv(tmp_path: Path) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text("trade_id,timestamp,trader,account,symbol,side,quantity,price\n"
                   "1,2024-03-04 10:00,ann,A1,XYZ,BUY,10,5\n")
    result = runner.invoke(app, ["audit-trades", str(csv), "--restricted", "XYZ", "--json"])
    assert result.exit_code == 0, result.output
    assert [f["rule_id"] for f in json.loads(result.output)] == ["TRD-RESTRICTED"]
    bad = runner.invoke(app, ["audit-trades", str(tmp_path / "missing.csv")])
    assert bad.exit_code == 1 and "error: trades CSV must be an existing file" in bad.output


def test_mask_command() -> None:
    result = runner.invoke(app, ["mask", "card 4111 1111 1111 1111"])
    assert result.exit_code == 0 and result.output.strip() == "card **** **** **** 1111"
