from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from finloom.cli.compliance import app

runner = CliRunner()


def test_audit_text_json_and_strict() -> None:
    result = runner.invoke(app, ["audit-text", "Guaranteed returns! Capital at risk.", "--json"])
    assert result.exit_code == 0, result.output
    assert [f["rule_id"] for f in json.loads(result.output)] == ["PROM-GUARANTEED-RETURN"]
    strict = runner.invoke(app, ["audit-text", "本产品保本保收益。", "--strict"])
    assert strict.exit_code == 2 and "PROM-NO-LOSS" in strict.output


def test_audit_text_single_file_still_reads_one_text(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("We are the best bank in town.\nCall us.", encoding="utf-8")
    result = runner.invoke(app, ["audit-text", "--file", str(note), "--json"])
    assert result.exit_code == 0, result.output
    assert [f["category"] for f in json.loads(result.output)] == ["superlative"]


def test_audit_text_batch_file_writes_findings(tmp_path: Path) -> None:
    texts = tmp_path / "texts.csv"
    texts.write_text("id,text\nm1,\"Guaranteed 8% a year, invest today!\"\nm2,Hello\nm3,卡号4111 1111 1111 1111\n",
                     encoding="utf-8")
    out = tmp_path / "findings.jsonl"
    result = runner.invoke(app, ["audit-text", "--file", str(texts), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 of 3 text(s) with findings" in result.output and "findings written to findings.jsonl" in result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    summaries = {r["text_id"]: r["categories"] for r in rows if r["row_type"] == "summary"}
    assert summaries == {"m1": "promissory;risk_disclosure", "m2": "", "m3": "pii"}
    assert "4111 1111 1111 1111" not in out.read_text(encoding="utf-8")
    csv_out = tmp_path / "findings.csv"
    strict = runner.invoke(app, ["audit-text", "-f", str(texts), "-o", str(csv_out), "--strict"])
    assert strict.exit_code == 2 and csv_out.read_text(encoding="utf-8").startswith("row_type,text_id")


def test_audit_text_batch_failures(tmp_path: Path) -> None:
    texts = tmp_path / "texts.csv"
    texts.write_text("id,body\n1,hello\n", encoding="utf-8")
    bad_column = runner.invoke(app, ["audit-text", "-f", str(texts), "--text-column", "bdy"])
    assert bad_column.exit_code == 1 and "error: text column must be one of the file's columns" in bad_column.output
    assert "Did you mean 'body'" in bad_column.output
    missing = runner.invoke(app, ["audit-text", "-f", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 1 and "error: --file must be an existing file; got 'nope.jsonl'" in missing.output
    bad_out = runner.invoke(app, ["audit-text", "-f", str(texts), "--text-column", "body", "-o", "out.xml"])
    assert bad_out.exit_code == 1 and "error: --output must end in .jsonl or .csv; got 'out.xml'" in bad_out.output


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


def test_mask_command_masks_us_ssn() -> None:
    result = runner.invoke(app, ["mask", "SSN 123-45-6789 on file"])
    assert result.exit_code == 0 and result.output.strip() == "SSN ***-**-6789 on file"
