"""Self-contained HTML pieces for reports: escaped tables, base64 PNG figures, one page shell.

Reusable by every evaluator (tabular, market stylized facts, text): build sections with
:func:`section`, :func:`table` and :func:`figure_img`, then wrap them with :func:`page`.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = [
    "figure_img",
    "format_value",
    "key_value_table",
    "new_figure",
    "page",
    "png_bytes",
    "png_data_uri",
    "section",
    "table",
]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;
color:#1f2933;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d9e2ec}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #d9e2ec;padding:.25rem .6rem;text-align:left}th{background:#f0f4f8}
td.num{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;height:auto;display:block;margin:.6rem 0}
.note{color:#52606d;font-size:.9rem}
"""


def format_value(value: Any) -> str:
    """Format one cell: floats with 4 significant digits, None as an em dash, the rest as text.

    Examples
    --------
    >>> format_value(0.123456), format_value(None), format_value("a<b")
    ('0.1235', '—', 'a&lt;b')
    """
    if value is None:
        return "—"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.4g}"
    return html.escape(str(value))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Render an HTML table; every cell is escaped, numbers are right-aligned.

    Examples
    --------
    >>> table(["metric", "value"], [["auc", 0.5]])
    '<table><tr><th>metric</th><th>value</th></tr><tr><td>auc</td><td class="num">0.5</td></tr></table>'
    """
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for v in row:
            cls = ' class="num"' if isinstance(v, int | float) and not isinstance(v, bool) else ""
            cells.append(f"<td{cls}>{format_value(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def key_value_table(values: Mapping[str, Any]) -> str:
    """Two-column table of a flat mapping (nested values are skipped).

    Examples
    --------
    >>> "0.75" in key_value_table({"auc": 0.75, "details": {"x": 1}})
    True
    """
    rows = [[k, v] for k, v in values.items() if not isinstance(v, Mapping | list)]
    return table(["metric", "value"], rows)


def png_bytes(fig: Any, *, dpi: int = 80) -> bytes:
    """A matplotlib figure as PNG bytes.

    Examples
    --------
    >>> with new_figure() as fig:
    ...     png_bytes(fig)[:4]
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def png_data_uri(fig: Any, *, dpi: int = 80) -> str:
    """Encode a matplotlib figure as a ``data:image/png;base64,...`` URI and close it.

    Examples
    --------
    >>> with new_figure() as fig:
    ...     _ = fig.add_subplot().plot([0, 1])
    ...     uri = png_data_uri(fig)
    >>> uri.startswith("data:image/png;base64,")
    True
    """
    encoded = base64.b64encode(png_bytes(fig, dpi=dpi)).decode("ascii")
    return f"data:image/png;base64,{encoded}"


@contextmanager
def new_figure(width: float = 6.0, height: float = 4.0) -> Iterator[Any]:
    """Yield a matplotlib ``Figure`` drawn with the Agg backend (no display, no pyplot state).

    Examples
    --------
    >>> with new_figure(3, 2) as fig:
    ...     fig.get_size_inches().tolist()
    [3.0, 2.0]
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    try:
        yield fig
    finally:
        fig.clear()


def figure_img(fig: Any, alt: str) -> str:
    """An ``<img>`` tag with the figure embedded as base64 PNG.

    Examples
    --------
    >>> with new_figure() as fig:
    ...     tag = figure_img(fig, "empty")
    >>> tag.startswith('<img alt="empty" src="data:image/png;base64,')
    True
    """
    return f'<img alt="{html.escape(alt)}" src="{png_data_uri(fig)}">'


def section(title: str, *parts: str, note: str | None = None) -> str:
    """A titled ``<section>``; ``parts`` are already-rendered HTML fragments.

    Examples
    --------
    >>> section("Privacy", "<p>x</p>")
    '<section><h2>Privacy</h2><p>x</p></section>'
    """
    note_html = f'<p class="note">{html.escape(note)}</p>' if note else ""
    return f"<section><h2>{html.escape(title)}</h2>{note_html}{''.join(parts)}</section>"


def page(title: str, *sections: str, subtitle: str | None = None) -> str:
    """A complete, self-contained HTML document (inline CSS, no external resources).

    Examples
    --------
    >>> doc = page("Report", section("A", "<p>x</p>"))
    >>> doc.startswith("<!DOCTYPE html>") and "<h1>Report</h1>" in doc
    True
    """
    sub = f'<p class="note">{html.escape(subtitle)}</p>' if subtitle else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{sub}{''.join(sections)}</body></html>"
    )
