from __future__ import annotations

import re
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from finloom.apps.reports import (
    build_market_report,
    build_portfolio_report,
    market_report_job,
    render_html,
    render_pdf,
    write_report,
)
from finloom.errors import ConfigError, InvalidDataError, NotFoundError
from finloom.textgen import FaithfulnessGuard


@pytest.fixture(scope="module")
def en_report():  # type: ignore[no-untyped-def]
    return build_market_report(["SP500", "NASDAQ"], "2018-01-01", "2018-03-31", lang="en")


@pytest.fixture(scope="module")
def zh_report():  # type: ignore[no-untyped-def]
    return build_market_report(["SP500", "NASDAQ"], "2018-01-01", "2018-03-31", lang="zh")


def test_market_report_numbers_pass_guard(en_report) -> None:  # type: ignore[no-untyped-def]
    assert en_report.guard.ok and en_report.table_guard.ok
    assert FaithfulnessGuard().check(en_report.narrative, en_report.facts).ok
    ret = en_report.facts["SP500:return"]
    assert ret.period.start.isoformat() == "2018-01-02" and ret.period.end.isoformat() == "2018-03-29"
    assert f"{abs(ret.value):.2f}%" in en_report.narrative
    assert {"prices", "drawdown", "correlation"} == set(en_report.charts)


def test_market_report_html_embeds_charts(en_report) -> None:  # type: ignore[no-untyped-def]
    html = render_html(en_report)
    charts = re.findall(r'data-chart="(\w+)" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert [c[0] for c in charts] == ["prices", "drawdown", "correlation"]
    assert all(len(c[1]) > 1000 for c in charts)
    assert "S&amp;P 500" in html and en_report.disclaimer in html


def test_market_report_pdf_page_count(en_report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    info = write_report(en_report, tmp_path / "r.pdf")
    assert info["pages"] == 2
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def _pdf_fonts(pdf: bytes) -> set[bytes]:
    fonts: set[bytes] = set()
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            fonts |= set(re.findall(rb"/(?:FontName|BaseFont)\s*/([^\s/>]+)", zlib.decompress(m.group(1))))
        except zlib.error:
            continue
    return fonts


def test_chinese_report_renders_with_cjk_font(zh_report) -> None:  # type: ignore[no-untyped-def]
    assert zh_report.guard.ok and "标普500指数" in zh_report.narrative
    pdf, pages = render_pdf(zh_report)
    assert pages == 2
    fonts = _pdf_fonts(pdf)
    if not any(b"CJK" in f for f in fonts):
        pytest.skip(f"no CJK font installed (fonts-noto-cjk); embedded fonts: {fonts}")
    assert any(b"Sans-CJK" in f for f in fonts)


def test_portfolio_report(tmp_path: Path) -> None:
    r = build_portfolio_report({"SP500": 0.6, "WTI": 0.4}, "2017-01-01", "2017-06-30", lang="zh")
    assert r.guard.ok and r.table["rows"][0][:2] == ["标普500指数", "60.00%"]
    assert "投资组合" in r.narrative and set(r.charts) == {"value", "contributions"}
    assert write_report(r, tmp_path / "p.html")["format"] == "html"


def test_report_on_custom_prices_keeps_input() -> None:
    idx = pd.bdate_range("2024-01-01", periods=80)
    rng = np.random.default_rng(0)
    prices = pd.DataFrame({"AAA": 100 * np.cumprod(1 + rng.normal(0, 0.01, 80)),
                           "BBB": 50 * np.cumprod(1 + rng.normal(0, 0.02, 80))}, index=idx)
    before = prices.copy()
    r = build_market_report(prices=prices, labels={"AAA": {"zh": "甲"}}, lang="zh", with_charts=False)
    assert r.guard.ok and "甲" in r.narrative
    pd.testing.assert_frame_equal(prices, before)


def test_report_bad_inputs(en_report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError, match="Did you mean 'NASDAQ'"):
        build_market_report(["NASDQ"], "2018-01-01", "2018-03-31")
    with pytest.raises(InvalidDataError, match="at least 21 trading days"):
        build_market_report(["SP500"], "2018-01-01", "2018-01-10")
    with pytest.raises(InvalidDataError, match="weights must sum to 1"):
        build_portfolio_report({"SP500": 0.6, "WTI": 0.6}, "2017-01-01", "2017-06-30")
    with pytest.raises(ConfigError, match="lang must be 'en' or 'zh'"):
        build_market_report(["SP500"], lang="fr")
    with pytest.raises(ConfigError, match="must end in .html or .pdf"):
        write_report(en_report, tmp_path / "r.docx")


def test_market_report_job(tmp_path: Path) -> None:
    seen: list[float] = []
    out = market_report_job({"tickers": ["SP500"], "start": "2018-01-01", "end": "2018-03-31",
                             "format": "html", "lang": "en"}, lambda f, m="": seen.append(f), tmp_path)
    assert out["output"]["format"] == "html" and (tmp_path / "report.html").is_file()
    assert out["guard"]["ok"] and seen[-1] == 1.0 and seen == sorted(seen)


def _falling(n: int = 80) -> pd.DataFrame:
    idx = pd.bdate_range("2024-01-01", periods=n)
    return pd.DataFrame({"AAA": np.linspace(100, 95, n), "BBB": np.linspace(50, 40, n)}, index=idx)


@pytest.mark.parametrize("seed", range(6))
def test_when_every_instrument_fell_the_best_is_the_smallest_decline(seed: int) -> None:
    en = build_market_report(prices=_falling(), lang="en", with_charts=False, seed=seed)
    assert en.guard.ok and "Every instrument fell" in en.narrative
    assert not re.search(r"top gainer|best performer|strongest instrument", en.narrative)
    zh = build_market_report(prices=_falling(), lang="zh", with_charts=False, seed=seed)
    assert zh.guard.ok and "跌幅最小的是" in zh.narrative and "表现最好的是" not in zh.narrative


@pytest.mark.parametrize("seed", range(12))
def test_dates_in_a_report_share_one_format(seed: int) -> None:
    text = build_market_report(prices=_falling(), lang="en", with_charts=False, seed=seed).narrative
    first = text.split("\n")[0]
    iso = re.findall(r"\d{4}-\d{2}-\d{2}", first)
    words = re.findall(r"\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2}, \d{4}", first)
    assert len(iso) + len(words) == 2 and (len(iso) == 2 or len(words) == 2), first
