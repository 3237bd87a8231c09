"""Check texts against their facts, one at a time or in batches (JSONL/JSON/CSV files)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from finloom._base import ProgressCallback, noop_progress
from finloom.apps.guard.schemas import GuardCheckIn, GuardCheckOut, GuardIssueOut
from finloom.errors import InvalidDataError
from finloom.textgen import FaithfulnessGuard, facts_from_dict

__all__ = ["check_file", "check_item", "check_items", "read_items"]


def check_item(item: GuardCheckIn) -> GuardCheckOut:
    """Check one text against its facts.

    Examples
    --------
    >>> out = check_item(GuardCheckIn(facts={"index": "S&P 500", "change_pct": -2.37},
    ...                               text="The S&P 500 rose 2.4%."))
    >>> out.ok, out.issues[0].reason
    (False, 'direction')
    """
    report = FaithfulnessGuard(require_disclaimer=item.require_disclaimer).check(
        item.text, facts_from_dict(item.facts), lang=item.lang)
    issues = [GuardIssueOut(kind=i.kind, reason=i.reason, start=i.start, end=i.end, text=i.text,
                            explanation=i.explanation, fact_id=i.fact_id) for i in report.issues]
    return GuardCheckOut(id=item.id, ok=report.ok, score=round(report.score, 4), n_claims=report.n_claims,
                         issues=issues)


def check_items(items: Sequence[GuardCheckIn], *, progress: ProgressCallback = noop_progress) -> list[GuardCheckOut]:
    """Check many texts; a text whose facts are unusable gets one ``invalid_facts`` issue, not a crash.

    Examples
    --------
    >>> outs = check_items([GuardCheckIn(facts={"x_pct": 1.5}, text="x was 1.5%."),
    ...                     GuardCheckIn(facts={"note": "none"}, text="x was 2%.")])
    >>> [o.ok for o in outs], outs[1].issues[0].reason
    ([True, False], 'invalid_facts')
    """
    out: list[GuardCheckOut] = []
    for i, item in enumerate(items):
        try:
            out.append(check_item(item))
        except InvalidDataError as exc:
            out.append(GuardCheckOut(id=item.id, ok=False, score=0.0, n_claims=0, issues=[GuardIssueOut(
                kind="unsupported", reason="invalid_facts", start=0, end=0, text="", explanation=exc.message)]))
        progress((i + 1) / len(items), f"{i + 1} of {len(items)} texts")
    return out


def _parse(rows: Iterable[tuple[int, Any]], source: str) -> list[GuardCheckIn]:
    items, problems = [], []
    for line, raw in rows:
        try:
            items.append(GuardCheckIn.model_validate(raw))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "item"
            problems.append(f"{source} item {line}: {where} {first['msg'].lower()}; give 'facts' (an object) and 'text'.")
    if problems:
        raise InvalidDataError(problems)
    if not items:
        raise InvalidDataError(f"{source} must contain at least one item; got none. Write one JSON object per line.")
    return items


def read_items(path: str | Path) -> list[GuardCheckIn]:
    """Read items from JSONL (one ``{"facts", "text"}`` object per line), a JSON list, or a CSV whose
    ``facts`` column holds JSON.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "items.jsonl"
    >>> _ = p.write_text('{"id": "a", "facts": {"x_pct": 1.5}, "text": "x was 1.5%."}\\n', encoding="utf-8")
    >>> [i.id for i in read_items(p)]
    ['a']
    """
    path = Path(path)
    name = path.name
    try:
        body = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InvalidDataError(f"items file must be readable; got {name!r} ({exc.strerror}).") from exc
    except UnicodeDecodeError as exc:
        raise InvalidDataError(f"items file must be UTF-8 text; got undecodable bytes in {name!r}. "
                               "Save it as UTF-8.") from exc
    if path.suffix.lower() == ".csv":
        return _parse(_csv_rows(path), name)
    if body.lstrip().startswith("["):
        return _parse(enumerate(_json(body, name, 1), start=1), name)
    rows = [(n, _json(line, name, n)) for n, line in enumerate(body.splitlines(), start=1) if line.strip()]
    return _parse(rows, name)


def _json(text: str, source: str, line: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidDataError(f"{source} line {line} must be valid JSON; got an error at column {exc.colno}: "
                               f"{exc.msg}.") from exc


def _csv_rows(path: Path) -> Iterable[tuple[int, Any]]:
    from finloom.data import read_table

    frame = read_table(path)
    if "facts" not in frame.columns or "text" not in frame.columns:
        raise InvalidDataError(f"items CSV must have columns 'facts' (JSON) and 'text'; got {list(frame.columns)}.")
    for n, row in enumerate(frame.to_dict("records"), start=2):
        facts = _json(str(row["facts"]), path.name, n)
        clean = {str(k): v for k, v in {**row, "facts": facts}.items() if v is not None and v == v}
        if "id" in clean:
            clean["id"] = str(clean["id"])
        yield n, clean


def check_file(path: str | Path, *, progress: ProgressCallback = noop_progress,
               on_items: Callable[[int], None] | None = None) -> list[GuardCheckOut]:
    """Read an items file and check every text (see :func:`read_items`)."""
    items = read_items(path)
    if on_items is not None:
        on_items(len(items))
    return check_items(items, progress=progress)
