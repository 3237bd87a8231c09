from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from finloom.cli.report import app

runner = CliRunner()


def test_report_market_writes_html(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["market", "--tickers", "SP500,NASDAQ", "--start", "2018-01-01",
                                 "--end", "2018-03-31", "--lang", "zh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "guard score 1.00" in result.output
    assert "标普500指数" in out.read_text(encoding="utf-8")


def test_report_market_unknown_ticker_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["market", "--tickers", "FOO", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "(report.market) failed: ticker must be one of" in result.output


def test_report_portfolio_pdf_and_bad_weights(tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    ok = runner.invoke(app, ["portfolio", "--weights", "SP500=0.5,NASDAQ=0.5", "--start", "2017-01-01",
                             "--end", "2017-03-31", "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    assert out.read_bytes().startswith(b"%PDF")
    bad = runner.invoke(app, ["portfolio", "--weights", "SP500:0.5", "--out", str(out)])
    assert bad.exit_code == 1 and "--weights must look like" in bad.output


def test_report_market_rejects_an_impossible_date_without_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["market", "-t", "SP500", "--start", "2018-13-45", "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "error: start must be a valid date or datetime" in result.output and "'2018-13-45'" in result.output


def test_report_market_accepts_tickers_in_any_case(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["market", "-t", "sp500,nasdaq", "--start", "2018-01-01", "--end", "2018-03-31",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "S&amp;P 500" in out.read_text(encoding="utf-8") or "S&P 500" in out.read_text(encoding="utf-8")
