"""Market and portfolio reports in English and Chinese, every number checked by the guard."""

from finloom.apps.reports._data import DEMO_INSTRUMENTS, load_demo_prices
from finloom.apps.reports.service import (
    Report,
    build_market_report,
    build_portfolio_report,
    market_report_job,
    portfolio_report_job,
    render_html,
    render_pdf,
    write_report,
)

__all__ = [
    "DEMO_INSTRUMENTS",
    "Report",
    "build_market_report",
    "build_portfolio_report",
    "load_demo_prices",
    "market_report_job",
    "portfolio_report_job",
    "render_html",
    "render_pdf",
    "write_report",
]
