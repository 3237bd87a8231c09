"""``finloom guard check``: does a text state only what its facts support? One text or a file of them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from finloom.cli._common import console, handle_errors, print_json, run_with_progress
from finloom.errors import ConfigError

app = typer.Typer(help="Faithfulness guard: flag numbers, periods, entities and directions the facts "
                       "do not support.", no_args_is_help=True)


def _facts_arg(value: str) -> dict:  # type: ignore[type-arg]
    from finloom.errors import InvalidDataError

    text = value
    if not value.lstrip().startswith("{"):
        path = Path(value)
        if not path.is_file():
            raise ConfigError(f"FACTS must be a JSON object or a JSON file; got {value!r}, which is neither. "
                              "Example: '{\"index\": \"S&P 500\", \"change_pct\": -2.37}'.")
        text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidDataError(f"FACTS must be valid JSON; got an error at line {exc.lineno}, column {exc.colno}: "
                               f"{exc.msg}.") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"FACTS must be a JSON object; got a {type(data).__name__}.")
    return data


def _write(rows: list, out: Path) -> None:  # type: ignore[type-arg]
    from finloom._io import atomic_write_text

    flat = [{"id": r.id, "ok": r.ok, "score": r.score, "n_claims": r.n_claims, **i.model_dump()}
            for r in rows for i in (r.issues or [None]) if i is not None] if out.suffix.lower() == ".csv" else []
    if out.suffix.lower() == ".csv":
        import pandas as pd

        from finloom.data import write_csv

        cols = ["id", "ok", "score", "n_claims", "kind", "reason", "start", "end", "text", "explanation", "fact_id"]
        atomic_write_text(out, write_csv(pd.DataFrame(flat, columns=cols), index=False) or "")
    else:
        atomic_write_text(out, "".join(json.dumps(r.model_dump(), ensure_ascii=False) + "\n" for r in rows))


@app.command("check")
@handle_errors
def check_cmd(
    facts: Annotated[str | None, typer.Argument(help="Facts: a JSON object or a JSON file.")] = None,
    text: Annotated[str | None, typer.Argument(help="The text to check ('-' reads stdin).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Check many: JSONL/JSON/CSV of {facts, text}.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write results (.jsonl, or .csv one row per issue).")] = None,
    lang: Annotated[str | None, typer.Option(help="'en' or 'zh'; detected when omitted.")] = None,
    require_disclaimer: Annotated[bool, typer.Option("--require-disclaimer", help="Also require the report disclaimer.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
    strict: Annotated[bool, typer.Option(help="Exit with code 2 when any text is flagged.")] = False,
) -> None:
    """Check TEXT against FACTS, or every item of --file; print what is unsupported and why."""
    from finloom.apps.guard import GuardCheckIn, check_file, check_item

    if file is not None:
        if facts is not None or text is not None:
            raise ConfigError("give either FACTS TEXT or --file, not both; got both.")
        results = run_with_progress("checking", lambda p: check_file(file, progress=p))
    else:
        if facts is None or text is None:
            raise ConfigError("FACTS and TEXT must both be given (or --file); got "
                              f"{'nothing' if facts is None else 'FACTS only'}.")
        body = sys.stdin.read() if text == "-" else text
        if lang not in (None, "en", "zh"):
            raise ConfigError(f"--lang must be 'en' or 'zh'; got {lang!r}.")
        item = GuardCheckIn.model_validate({"facts": _facts_arg(facts), "text": body, "lang": lang,
                                            "require_disclaimer": require_disclaimer})
        results = [check_item(item)]
    if out is not None:
        _write(results, out)
    if as_json:
        print_json([r.model_dump() for r in results])
    else:
        _table(results)
    if out is not None:
        console.print(f"wrote {len(results)} result(s) to {out}")
    if strict and any(not r.ok for r in results):
        raise typer.Exit(2)


def _table(results: list) -> None:  # type: ignore[type-arg]
    flagged = sum(not r.ok for r in results)
    table = Table(title=f"{len(results)} text(s), {flagged} flagged")
    for col in ("text", "claim", "reason", "why"):
        table.add_column(col, overflow="fold")
    for n, r in enumerate(results, start=1):
        if r.ok:
            table.add_row(r.id or str(n), "", "ok", f"{r.n_claims} claim(s) supported")
        for i in r.issues:
            table.add_row(r.id or str(n), i.text, i.reason, i.explanation)
    console.print(table)
