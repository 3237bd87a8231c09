"""The report in both languages: guarded sentences, charts, summary vs full, PDF."""

from __future__ import annotations

from html import escape

import numpy as np
import pytest

from finloom.apps.insights import build_report, find_insights, render_html, render_pdf, write_report
from finloom.errors import ConfigError


@pytest.fixture
def found(table):
    df, month = table
    df.loc[month >= 12, "amount"] += 8.0
    north = (df["region"] == "North").to_numpy()
    df.loc[north, "default"] = (np.random.default_rng(1).random(north.sum()) < 0.3).astype(int)
    return find_insights(df, target="default"), df


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_in_both_languages_is_fully_supported(found, lang):
    insights, df = found
    report = build_report(insights, "loans", lang=lang, data=df)
    assert len(report.sentences) == len(insights.insights) >= 2
    assert all(n.ok and n.guard.n_claims >= 3 for n in report.sentences)
    assert report.unsupported_numbers == 0
    html = render_html(report)
    assert html.count('src="data:image/png;base64,') == len(insights.insights)
    assert ("数据洞察" if lang == "zh" else "Insights: loans") in html
    assert ("default比率" if lang == "zh" else "the default rate") in html
    assert escape(report.sentences[0].text, quote=False) in html


def test_summary_is_shorter_than_the_full_report(found):
    insights, df = found
    report = build_report(insights, "loans", data=df)
    assert "Method" in render_html(report) and "Method" not in render_html(report, full=False)


def test_pdf_and_output_suffix(found, tmp_path):
    insights, _ = found
    report = build_report(insights, "loans", with_charts=False)
    assert render_pdf(report, tmp_path / "r.pdf").startswith(b"%PDF")
    with pytest.raises(ConfigError, match="output path must end in .html or .pdf; got 'r.txt'"):
        write_report(report, tmp_path / "r.txt")
    with pytest.raises(ConfigError, match="lang must be 'en' or 'zh'; got 'fr'"):
        build_report(insights, "loans", lang="fr")
