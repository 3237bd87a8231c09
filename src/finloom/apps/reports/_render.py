"""HTML (Jinja2, charts embedded as PNG) and PDF (WeasyPrint) rendering of a report."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from finloom._io import atomic_write_bytes, atomic_write_text
from finloom._optional import require

if TYPE_CHECKING:
    from finloom.apps.reports.service import Report

__all__ = ["render_html", "render_pdf"]

_HEADINGS = {
    "en": {"summary": "Summary", "table": "Key figures", "charts": "Charts"},
    "zh": {"summary": "摘要", "table": "关键数据", "charts": "图表"},
}
_GUARD_NOTE = {
    "en": "Every number in this report was checked against the computed data by the faithfulness guard.",
    "zh": "本报告中的每个数字均已由忠实性校验器与计算数据逐一核对。",
}


def render_html(report: Report) -> str:
    """The report as a self-contained HTML page (charts as base64 PNG ``<img>`` tags).

    Examples
    --------
    >>> from finloom.apps.reports import build_market_report
    >>> r = build_market_report(["SP500"], "2018-01-01", "2018-03-31")  # doctest: +SKIP
    >>> render_html(r).count('src="data:image/png;base64,')  # doctest: +SKIP
    2
    """
    import jinja2

    source = (resources.files("finloom.apps.reports") / "templates" / "report.html.j2").read_text("utf-8")
    env = jinja2.Environment(autoescape=True)
    lines = report.narrative.splitlines()
    disclaimer = lines[-1] if lines and lines[-1] == report.disclaimer else report.disclaimer
    body = [ln for ln in lines if ln != disclaimer]
    return env.from_string(source).render(
        lang=report.lang, title=report.title, meta=report.meta, headings=_HEADINGS[report.lang],
        narrative=body, guard_note=_GUARD_NOTE[report.lang], table=report.table,
        charts=report.charts, disclaimer=disclaimer,
    )


def render_pdf(report: Report, path: str | os.PathLike[str] | None = None) -> tuple[bytes, int]:
    """Render the report to PDF bytes (and to ``path`` when given); return ``(pdf, n_pages)``.

    The page count comes from WeasyPrint's laid-out document.

    Examples
    --------
    >>> pdf, pages = render_pdf(report, "report.pdf")  # doctest: +SKIP
    >>> pdf[:4], pages  # doctest: +SKIP
    (b'%PDF', 2)
    """
    weasyprint = require("weasyprint", feature="PDF reports")
    document = weasyprint.HTML(string=render_html(report)).render()
    pdf = document.write_pdf()
    if path is not None:
        atomic_write_bytes(Path(path), pdf)
    return pdf, len(document.pages)


def write_report(report: Report, path: str | os.PathLike[str]) -> dict[str, object]:
    """Write ``.html`` or ``.pdf`` by suffix; return ``{"path", "format", "pages"}``.

    Examples
    --------
    >>> write_report(report, "out/report.pdf")  # doctest: +SKIP
    {'path': 'out/report.pdf', 'format': 'pdf', 'pages': 2}
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".pdf":
        _, pages = render_pdf(report, target)
        return {"path": str(target), "format": "pdf", "pages": pages}
    if suffix in (".html", ".htm"):
        atomic_write_text(target, render_html(report))
        return {"path": str(target), "format": "html", "pages": None}
    from finloom.errors import ConfigError

    raise ConfigError(f"output path must end in .html or .pdf; got {target.name!r}. Use report.pdf.")
