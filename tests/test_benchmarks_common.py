"""Benchmark provenance: every results row says where and when it was measured; run caches are
keyed on the code and the encoder, so a changed model or encoder is measured again."""

from __future__ import annotations

import json

import pytest
from benchmarks import _common


@pytest.fixture
def results(tmp_path, monkeypatch):
    monkeypatch.setattr(_common, "RESULTS", tmp_path)
    return tmp_path


def test_write_results_stamps_every_row_and_run_with_commit_date_and_machine(results):
    path = _common.write_results("x", {"rows": [{"model": "gan"}, {"model": "vae", "provenance": {"commit": "old"}}],
                                       "runs": {"part": {"acc": 0.9}}})
    doc = json.loads(path.read_text())
    fresh = doc["rows"][0]["provenance"]
    assert set(fresh) == {"commit", "date", "machine"} and fresh["commit"] == doc["machine"]["commit"]
    assert doc["rows"][1]["provenance"] == {"commit": "old"}  # measured earlier: kept as it was
    assert doc["runs"]["part"]["provenance"]["date"] == fresh["date"]


def test_committed_rows_keep_the_machine_of_the_file_they_came_from(results):
    (results / "x.json").write_text(json.dumps({"rows": [{"model": "gan", "q": 1}],
                                                "machine": {"commit": "abc", "date": "2026-01-01", "cpu_count": 2}}))
    rows = _common.committed_rows("x", ["model"], [{"model": "vae", "q": 2}])
    assert rows[0]["provenance"] == {"commit": "abc", "date": "2026-01-01", "machine": {"cpu_count": 2}}


def test_a_run_is_reused_only_under_the_same_key(results, monkeypatch):
    key = _common.run_key(part="frozen")
    path = _common.RESULTS / "runs" / "frozen.json"
    written = _common.write_run(path, {"acc": 0.9}, key)
    assert _common.read_run(path, key) == written and written["provenance"]["commit"]
    monkeypatch.setattr(_common, "code_version", lambda: "changed-code")
    assert _common.run_key(part="frozen") != key and _common.read_run(path, _common.run_key(part="frozen")) is None


def test_the_run_key_changes_with_the_encoder(tmp_path):
    from tests.nlp.conftest import make_tiny_bert

    tiny = make_tiny_bert(tmp_path / "enc")
    assert _common.run_key(encoders=[None]) != _common.run_key(encoders=[tiny]) != _common.run_key()
    assert _common.encoder_version(tiny).startswith("enc-")
