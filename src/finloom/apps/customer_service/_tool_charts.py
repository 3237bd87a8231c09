"""Charts of tool results: a chart kept as a table (and its kind) in a turn's meta is drawn as a PNG,
so a transcript can show it again without running the tool."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["chart_png", "chart_spec"]


def chart_spec(kind: str, title: str, columns: list[str], table: list[dict[str, Any]], lang: str,
               **extra: Any) -> dict[str, Any]:
    """A JSON-able chart: ``kind`` "line" (first column the dates, the others price series drawn
    rebased to 100) or "bar"
    (first column labels, second values), its title, columns and rows.

    Examples
    --------
    >>> chart_spec("bar", "t", ["label", "value"], [{"label": "a", "value": 1.0}], "en")["kind"]
    'bar'
    """
    return {"type": "chart", "kind": kind, "title": title, "columns": columns, "table": table, "lang": lang,
            **extra}


def chart_png(chart: dict[str, Any]) -> str:
    """The base64 PNG of a chart spec (see :func:`chart_spec`); a spending chart (no ``kind``) is
    drawn by the spending helper.

    Examples
    --------
    >>> spec = chart_spec("line", "t", ["date", "A"], [{"date": "2024-01-01", "A": 1.0},
    ...                                                 {"date": "2024-01-02", "A": 2.0}], "en")
    >>> import base64; base64.b64decode(chart_png(spec))[:4] == b"\\x89PNG"
    True
    """
    from finloom.apps.customer_service._spending import chart_from_table
    from finloom.apps.reports._charts import bar_chart, line_chart

    kind = chart.get("kind")
    if kind is None:
        return chart_from_table(chart)
    columns = [str(c) for c in chart.get("columns", [])]
    rows = list(chart.get("table", []))
    title = str(chart.get("title", ""))
    if kind == "line" and len(columns) >= 2 and rows:
        frame = pd.DataFrame(rows, columns=columns)
        frame.index = pd.to_datetime(frame.pop(columns[0]), errors="coerce")
        frame = frame.apply(pd.to_numeric, errors="coerce").dropna(how="all")
        uri = line_chart(frame, title, {})  # rebased to 100 at the first date
    else:
        values = {str(r.get(columns[0], "")): float(r.get(columns[1], 0.0) or 0.0) for r in rows} if len(columns) >= 2 else {}
        uri = bar_chart(dict(reversed(list(values.items()))), title, {})
    return uri.split(",", 1)[1]

