"""Audit many texts: from a list, or from a CSV / JSONL file read by finloom.data; write findings.

The findings file has one row per finding (with the text's id) plus one summary row per text;
personal data in a finding's span is masked before it is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from finloom._base import ProgressCallback, noop_progress
from finloom._io import atomic_write_text
from finloom.apps.compliance.schemas import Finding
from finloom.data import read_table, write_csv
from finloom.errors import ConfigError, InvalidDataError, did_you_mean
from finloom.textgen._pii import mask_pii

__all__ = ["TextAudit", "audit_each", "findings_rows", "read_text_table", "summarise", "write_findings_file"]

COLUMNS = ("row_type", "text_id", "categories", "findings", "rule_id", "category", "severity", "start", "end",
           "span", "explanation")
_TEXT_COLUMNS = ("text", "content", "message", "body", "copy", "文本", "内容")
_ID_COLUMNS = ("id", "text_id", "doc_id", "message_id")
_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
Audit = Callable[[str], list[Finding]]


@dataclass(frozen=True)
class TextAudit:
    """The findings of one text of a batch."""

    text_id: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        """The categories found, sorted."""
        return sorted({f.category for f in self.findings})

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (spans of personal data masked)."""
        return {"text_id": self.text_id, "categories": self.categories,
                "findings": [_safe(f).to_dict() for f in self.findings]}


def _safe(finding: Finding) -> Finding:
    if finding.category != "pii" or finding.text is None:
        return finding
    masked = mask_pii(finding.text, validate=False)
    return Finding(finding.rule_id, finding.severity, finding.category, finding.explanation, finding.start,
                   finding.end, masked, finding.row)


def audit_each(texts: Sequence[str], ids: Sequence[Any] | None = None, *, audit: Audit,
               progress: ProgressCallback = noop_progress) -> list[TextAudit]:
    """Run ``audit`` on every text; ``ids`` default to the 1-based positions.

    Examples
    --------
    >>> from finloom.apps.compliance import audit_text
    >>> [r.categories for r in audit_each(["Guaranteed 8% a year!", "Hello"], audit=audit_text)]
    [['promissory', 'risk_disclosure'], []]
    """
    if ids is not None and len(ids) != len(texts):
        raise InvalidDataError(f"ids must have one entry per text; got {len(ids)} ids for {len(texts)} texts.")
    names = [str(i) for i in ids] if ids is not None else [str(i + 1) for i in range(len(texts))]
    out = []
    for i, (name, text) in enumerate(zip(names, texts, strict=True)):
        out.append(TextAudit(name, audit(text)))
        if i % 50 == 0:
            progress(i / max(1, len(texts)), f"{i} of {len(texts)} texts")
    progress(1.0, f"{len(texts)} texts audited")
    return out


def _pick(columns: list[str], wanted: str | None, defaults: tuple[str, ...], what: str) -> str | None:
    if wanted is not None:
        if wanted not in columns:
            raise InvalidDataError(f"{what} column must be one of the file's columns {columns}; got {wanted!r}."
                                   f"{did_you_mean(wanted, columns)}")
        return wanted
    lower = {c.lower(): c for c in columns}
    return next((lower[d] for d in defaults if d in lower), None)


def read_text_table(path: str | Path, *, text_column: str | None = None,
                    id_column: str | None = None) -> tuple[list[str], list[str]]:
    """Ids and texts of a CSV / TSV / JSONL / Excel file (encoding and delimiter detected).

    The text column defaults to ``text`` (or content, message, body ...), else the only column;
    ids come from ``id_column``, an ``id`` column, or the row numbers.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("id;text\\n7;hello\\n", encoding="utf-8")
    >>> read_text_table(p)
    (['7'], ['hello'])
    """
    frame = read_table(path)
    columns = [str(c) for c in frame.columns]
    text = _pick(columns, text_column, _TEXT_COLUMNS, "text")
    if text is None:
        if len(columns) != 1:
            raise InvalidDataError(f"text column must be given (--text-column) when the file has no 'text' column; "
                                   f"got columns {columns}.")
        text = columns[0]
    ident = _pick(columns, id_column, _ID_COLUMNS, "id")
    texts = ["" if pd.isna(t) else str(t) for t in frame[text].tolist()]
    ids = [str(i) for i in frame[ident].tolist()] if ident else [str(i + 1) for i in range(len(texts))]
    return ids, texts


def findings_rows(results: Sequence[TextAudit]) -> list[dict[str, Any]]:
    """One ``summary`` row per text, followed by one ``finding`` row per finding (spans masked).

    Examples
    --------
    >>> rows = findings_rows([TextAudit("a", [Finding("X", "high", "pii", "why", 0, 4, "4111")])])
    >>> [(r["row_type"], r["text_id"], r["categories"]) for r in rows]
    [('summary', 'a', 'pii'), ('finding', 'a', 'pii')]
    """
    rows: list[dict[str, Any]] = []
    for result in results:
        cats = ";".join(result.categories)
        rows.append({**dict.fromkeys(COLUMNS), "row_type": "summary", "text_id": result.text_id, "categories": cats,
                     "findings": len(result.findings)})
        for f in map(_safe, result.findings):
            rows.append({**dict.fromkeys(COLUMNS), "row_type": "finding", "text_id": result.text_id,
                         "categories": f.category, "rule_id": f.rule_id, "category": f.category,
                         "severity": f.severity, "start": f.start, "end": f.end, "span": f.text,
                         "explanation": f.explanation})
    return rows


def write_findings_file(results: Sequence[TextAudit], out: str | Path) -> Path:
    """Write :func:`findings_rows` to ``out`` (``.jsonl`` or ``.csv``), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_findings_file([TextAudit("1")], pathlib.Path(tempfile.mkdtemp()) / "f.jsonl")
    >>> p.read_text().strip()
    '{"row_type": "summary", "text_id": "1", "categories": "", "findings": 0, "rule_id": null, "category": null, "severity": null, "start": null, "end": null, "span": null, "explanation": null}'
    """
    path = Path(out)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ConfigError(f"output file must end in .jsonl or .csv; got {path.name!r}. Rename the output.")
    rows = findings_rows(results)
    if fmt == "jsonl":
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    else:
        frame = pd.DataFrame(rows, columns=list(COLUMNS))
        for col in ("findings", "start", "end"):
            frame[col] = frame[col].astype("Int64")
        body = write_csv(frame, index=False) or ""
    return atomic_write_text(path, body)


def summarise(results: Sequence[TextAudit]) -> Mapping[str, int]:
    """How many texts have each category (for the CLI's table)."""
    counts: dict[str, int] = {}
    for result in results:
        for cat in result.categories:
            counts[cat] = counts.get(cat, 0) + 1
    return dict(sorted(counts.items()))
