"""docs/benchmarks.md: its tables are the ones ``python -m benchmarks.docs`` builds from the results."""

from __future__ import annotations

import json
import shutil

import pytest
from benchmarks import docs
from benchmarks._common import RESULTS


def test_committed_benchmark_tables_match_the_committed_results():
    doc = docs.DOC.read_text(encoding="utf-8")
    assert docs.stale_tables(doc, docs.load_results()) == [], "run `python -m benchmarks.docs` and commit the docs"
    textgen = json.loads((RESULTS / "textgen.json").read_text(encoding="utf-8"))
    html, pdf = textgen["render_seconds_html"], textgen["render_seconds_pdf"]
    assert f"| render HTML / PDF (EN, 2 pages) | {html:.2f} s / {pdf:.2f} s | reported |" in doc  # the measured times


def test_a_changed_result_makes_its_table_stale_until_the_docs_are_rewritten(tmp_path):
    results = tmp_path / "results"
    shutil.copytree(RESULTS, results, ignore=shutil.ignore_patterns("runs"))
    textgen = json.loads((results / "textgen.json").read_text(encoding="utf-8"))
    html, pdf = textgen["render_seconds_html"], textgen["render_seconds_pdf"]
    textgen["render_seconds_pdf"] = 2.214
    (results / "textgen.json").write_text(json.dumps(textgen), encoding="utf-8")
    doc = tmp_path / "benchmarks.md"
    shutil.copy(docs.DOC, doc)
    args = ["--doc", str(doc), "--results", str(results)]
    assert docs.main([*args, "--check"]) == 1
    assert docs.main(args) == 0
    assert docs.main([*args, "--check"]) == 0
    text = doc.read_text(encoding="utf-8")
    assert f"| render HTML / PDF (EN, 2 pages) | {html:.2f} s / 2.21 s | reported |" in text
    assert text.replace("2.21 s", f"{pdf:.2f} s") == docs.DOC.read_text(encoding="utf-8")  # only that cell changed


def test_table_blocks_must_name_known_tables(tmp_path):
    with pytest.raises(ValueError, match="table names must be one of .*got \\['textgn'\\]"):
        docs.render("<!-- table:textgn -->\n| x |\n<!-- /table:textgn -->\n", docs.load_results())
    doc = tmp_path / "benchmarks.md"
    doc.write_text("<!-- table:textgen -->\nold\n<!-- /table:textgen -->\n", encoding="utf-8")
    assert docs.main(["--doc", str(doc), "--check"]) == 1  # the other tables have no block
    assert docs.main(["--doc", str(doc)]) == 1 and "old" in doc.read_text(encoding="utf-8")


def test_number_formats():
    assert [docs.sig(x) for x in (4.688, 81.20, 196.37, 10.04, 0.02669, 0.1297)] == [
        "4.69", "81.2", "196", "10.0", "0.0267", "0.130"]
    assert (docs.signed(0.0036), docs.signed(-0.0681), docs.signed(0.0001)) == ("+0.004", "−0.068", "0.000")
    assert (docs.seconds(1.7871), docs.seconds(3445.3), docs.whole(None)) == ("1.787", "3,445", "–")
