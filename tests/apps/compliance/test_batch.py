from __future__ import annotations

import json
from pathlib import Path

import pytest

from finloom.apps.compliance import (
    TextAudit,
    audit_text_file,
    audit_texts,
    findings_rows,
    read_text_table,
    write_findings_file,
)
from finloom.apps.compliance.schemas import Finding
from finloom.errors import ConfigError, InvalidDataError


def test_audit_texts_ids_and_categories() -> None:
    texts = ["全城最好的理财，保本保收益！", "Open a current account today.", "Card 4111 1111 1111 1111"]
    results = audit_texts(texts, ids=["a", "b", "c"])
    assert [(r.text_id, r.categories) for r in results] == [
        ("a", ["promissory", "risk_disclosure", "superlative"]), ("b", []), ("c", ["pii"])]
    assert [r.text_id for r in audit_texts(texts)] == ["1", "2", "3"]
    with pytest.raises(InvalidDataError, match="ids must have one entry per text; got 1 ids for 3 texts"):
        audit_texts(texts, ids=["a"])


def test_read_text_table_detects_delimiter_and_encoding(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    rows = ["本产品保本保收益，欢迎认购理财产品", "您好，请问有什么可以帮您，我们的客服热线是九五五八八",
            "理财非存款，产品有风险，投资需谨慎"]
    p.write_bytes(("编号;内容\n" + "".join(f"{i};{r}\n" for i, r in enumerate(rows, 1))).encode("gbk"))
    assert read_text_table(p, id_column="编号") == (["1", "2", "3"], rows)
    j = tmp_path / "t.jsonl"
    j.write_text('{"id": "x1", "message": "hi"}\n{"id": "x2", "message": "yo"}\n', encoding="utf-8")
    assert read_text_table(j) == (["x1", "x2"], ["hi", "yo"])


def test_read_text_table_errors_name_the_column(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_text("id,body_text,lang\n1,hello,en\n", encoding="utf-8")
    with pytest.raises(InvalidDataError, match="text column must be given"):
        read_text_table(p)
    with pytest.raises(InvalidDataError, match="text column must be one of the file's columns .* got 'body'. "
                                               "Did you mean 'body_text'"):
        read_text_table(p, text_column="body")


def test_audit_text_file_single_column(tmp_path: Path) -> None:
    p = tmp_path / "only.csv"
    p.write_text("copy\nThe best bank in town!\nHello\n", encoding="utf-8")
    assert [r.categories for r in audit_text_file(p)] == [["superlative"], []]


def test_findings_rows_mask_personal_data_in_spans() -> None:
    result = audit_texts(["My card is 4111 1111 1111 1111."], ids=["t1"])
    rows = findings_rows(result)
    assert [r["row_type"] for r in rows] == ["summary", "finding"]
    assert rows[1]["span"] == "**** **** **** 1111" and rows[1]["text_id"] == "t1"
    assert "4111 1111 1111 1111" not in json.dumps(result[0].to_dict())


def test_write_findings_file_csv_jsonl_and_bad_suffix(tmp_path: Path) -> None:
    results = [TextAudit("a", [Finding("SUP-BEST", "medium", "superlative", "why", 0, 8, "the best")]), TextAudit("b")]
    csv = write_findings_file(results, tmp_path / "f.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0].startswith("row_type,text_id,categories,findings,rule_id")
    assert csv[1] == "summary,a,superlative,1,,,,,,,"
    assert csv[2].startswith("finding,a,superlative,,SUP-BEST,superlative,medium,0,8,the best")
    lines = (write_findings_file(results, tmp_path / "f.jsonl")).read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["row_type"] for x in lines] == ["summary", "finding", "summary"]
    with pytest.raises(ConfigError, match="output file must end in .jsonl or .csv; got 'f.txt'"):
        write_findings_file(results, tmp_path / "f.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.csv", "f.jsonl"]  # atomic: no leftovers
