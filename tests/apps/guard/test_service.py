"""The faithfulness service: single and batch checks, item files, bad facts."""

from __future__ import annotations

import pytest

from finloom.apps.guard import GuardCheckIn, check_file, check_item, check_items, read_items
from finloom.errors import InvalidDataError

FACTS = {"index": "S&P 500", "as_of": "2024-03-15", "change_pct": -2.37}


def test_check_item_flags_and_explains() -> None:
    out = check_item(GuardCheckIn(id="t1", facts=FACTS, text="The S&P 500 rose 2.4% on March 15."))
    assert (out.id, out.ok) == ("t1", False)
    (issue,) = out.issues
    assert issue.reason == "direction" and issue.text == "2.4%" and "S&P 500" in (issue.fact_id or "")


def test_batch_keeps_order_and_reports_bad_facts_per_item() -> None:
    outs = check_items([GuardCheckIn(facts=FACTS, text="The S&P 500 fell 2.37%."),
                        GuardCheckIn(facts={"note": "no numbers"}, text="Anything."),
                        GuardCheckIn(facts=FACTS, text="The S&P 500 fell 2.3%.")])
    assert [o.ok for o in outs] == [True, False, False]
    assert outs[1].issues[0].reason == "invalid_facts"
    assert outs[2].issues[0].reason == "wrong_number"


def test_read_items_jsonl_json_and_csv(tmp_path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "x", "facts": {"a_pct": 1.5}, "text": "a was 1.5%."}\n\n', encoding="utf-8")
    (tmp_path / "b.json").write_text('[{"facts": {"a_pct": 1.5}, "text": "a was 1.6%."}]', encoding="utf-8")
    (tmp_path / "c.csv").write_text('id,facts,text\n7,"{""a_pct"": 1.5}",a was 1.5%.\n', encoding="utf-8")
    assert [i.id for i in read_items(tmp_path / "a.jsonl")] == ["x"]
    assert [o.ok for o in check_file(tmp_path / "b.json")] == [False]
    assert [(o.id, o.ok) for o in check_file(tmp_path / "c.csv")] == [("7", True)]


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ('{"facts": {"a": 1}}\n', "text"),
        ('{"facts": {"a": 1}, "text": "x", "colour": "red"}\n', "colour"),
        ("not json\n", "valid JSON"),
        ("", "at least one item"),
    ],
)
def test_read_items_bad_files_name_the_problem(tmp_path, body: str, match: str) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InvalidDataError, match=match):
        read_items(path)


def test_read_items_non_utf8(tmp_path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_bytes('{"facts": {"a": 1}, "text": "caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(InvalidDataError, match="UTF-8"):
        read_items(path)
