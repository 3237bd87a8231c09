"""``finloom compliance audit-text|audit-trades|mask``: rule findings for texts and trade blotters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from finloom.cli._common import console, handle_errors, print_json
from finloom.errors import ConfigError

app = typer.Typer(help="Compliance checks: promises, risk disclosure, superlatives, PII, suitability; "
                       "trade-blotter rules.", no_args_is_help=True)


def _show(findings: list, as_json: bool, title: str) -> None:  # type: ignore[type-arg]
    if as_json:
        print_json([f.to_dict() for f in findings])
        return
    table = Table(title=f"{title}: {len(findings)} finding(s)")
    for col in ("rule", "severity", "where", "explanation"):
        table.add_column(col)
    for f in findings:
        where = f.text if f.text is not None else str(f.row if f.row is not None else "")
        table.add_row(f.rule_id, f.severity, where, f.explanation)
    console.print(table)


_TABLE_SUFFIXES = {".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".json", ".xlsx", ".xls", ".parquet"}


def _single_text(text: str | None, file: Path | None) -> str:
    if file is not None:
        if not file.is_file():
            raise ConfigError(f"--file must be an existing file; got {file.name!r}.")
        return file.read_text(encoding="utf-8")
    if text == "-":
        return sys.stdin.read()
    if text:
        return text
    raise ConfigError("text must be given as an argument, '-' for stdin, or --file; got nothing.")


def _show_batch(results: list, output: Path | None, as_json: bool) -> None:  # type: ignore[type-arg]
    from finloom.apps.compliance import write_findings_file
    from finloom.apps.compliance._batch import summarise

    if output is not None:
        write_findings_file(results, output)
    if as_json:
        print_json([r.to_dict() for r in results])
        return
    flagged = [r for r in results if r.findings]
    table = Table(title=f"text audit: {len(flagged)} of {len(results)} text(s) with findings")
    for col in ("text id", "categories", "findings"):
        table.add_column(col)
    for r in flagged[:50]:
        table.add_row(r.text_id, ", ".join(r.categories), str(len(r.findings)))
    console.print(table)
    counts = summarise(results)
    console.print("per category: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "none"))
    if output is not None:
        console.print(f"findings written to {output.name}")


@app.command("audit-text")
@handle_errors
def audit_text_cmd(
    text: Annotated[str | None, typer.Argument(help="Text to audit ('-' reads stdin).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="A CSV/TSV/JSONL/Excel file of texts (one per row), "
                                              "or any other file read as one text.")] = None,
    text_column: Annotated[str | None, typer.Option(help="Column holding the texts (default: 'text').")] = None,
    id_column: Annotated[str | None, typer.Option(help="Column holding the text ids (default: 'id', else row numbers).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write findings to a .jsonl or .csv file "
                                                "(one row per finding plus a summary row per text).")] = None,
    lang: Annotated[str | None, typer.Option(help="'en' or 'zh'; detected when omitted.")] = None,
    product_risk: Annotated[str | None, typer.Option(help="Product risk level R1-R5.")] = None,
    customer_risk: Annotated[str | None, typer.Option(help="Customer risk profile C1-C5.")] = None,
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra YAML rule pack(s).")] = None,
    classifier: Annotated[bool, typer.Option("--classifier/--rules-only", help=(
        "Combine the rules with the learned classifier (default; it drops rule flags it finds very unlikely and "
        "adds confident ones the rules missed, never for PII) or use the rules alone."))] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print findings as JSON.")] = False,
    strict: Annotated[bool, typer.Option(help="Exit with code 2 when there are findings.")] = False,
) -> None:
    """Audit marketing, advice or chat texts: one text, or a file of texts with -o findings.jsonl|csv."""
    from finloom.apps.compliance import audit_text, audit_text_file

    model: Literal["shipped"] | None = "shipped" if classifier else None
    if output is not None and output.suffix.lower() not in (".jsonl", ".ndjson", ".csv"):
        raise ConfigError(f"--output must end in .jsonl or .csv; got {output.name!r}.")
    if file is not None and file.suffix.lower() in _TABLE_SUFFIXES:
        if not file.is_file():
            raise ConfigError(f"--file must be an existing file; got {file.name!r}.")
        results = audit_text_file(file, text_column=text_column, id_column=id_column, lang=lang,
                                  rule_files=rules or [], classifier=model)
        _show_batch(results, output, as_json)
        if strict and any(r.findings for r in results):
            raise typer.Exit(2)
        return
    body = _single_text(text, file)
    context = {k: v for k, v in (("product_risk", product_risk), ("customer_risk", customer_risk)) if v}
    findings = audit_text(body, lang, context=context, rule_files=rules or [], classifier=model)
    if output is not None:
        from finloom.apps.compliance import TextAudit, write_findings_file

        write_findings_file([TextAudit("1", findings)], output)
    _show(findings, as_json, "text audit")
    if strict and findings:
        raise typer.Exit(2)


@app.command("audit-trades")
@handle_errors
def audit_trades_cmd(
    csv: Annotated[Path, typer.Argument(help="CSV with trade_id, timestamp, trader, account, symbol, side, quantity, price.")],
    restricted: Annotated[str, typer.Option(help="Comma-separated restricted symbols.")] = "",
    max_trade: Annotated[float | None, typer.Option(help="Per-trade notional limit.")] = 1_000_000.0,
    max_daily: Annotated[float | None, typer.Option(help="Per-trader daily notional limit.")] = 5_000_000.0,
    wash_minutes: float = 30.0,
    market_open: str = "09:30",
    market_close: str = "16:00",
    concentration: Annotated[float, typer.Option(help="Max share of one symbol in a trader's notional.")] = 0.5,
    as_json: Annotated[bool, typer.Option("--json", help="Print findings as JSON.")] = False,
) -> None:
    """Audit a trade blotter: limits, restricted list, wash trades, after-hours, concentration."""
    from finloom.apps.compliance import TradeAuditConfig, audit_trades_csv

    if not csv.is_file():
        raise ConfigError(f"trades CSV must be an existing file; got {str(csv)!r}.")
    config = TradeAuditConfig(
        max_notional_per_trade=max_trade, max_daily_notional_per_trader=max_daily,
        restricted_symbols=[s.strip() for s in restricted.split(",") if s.strip()],
        wash_window_minutes=wash_minutes, market_open=market_open, market_close=market_close,
        concentration_threshold=concentration)
    _show(audit_trades_csv(csv, config), as_json, "trade audit")


@app.command("mask")
@handle_errors
def mask_cmd(text: Annotated[str, typer.Argument(help="Text whose card/ID/IBAN/SSN/account/phone/e-mail to mask.")]) -> None:
    """Print the text with personal data masked (keeps the last 4 characters)."""
    from finloom.apps.compliance import mask_pii

    typer.echo(mask_pii(text))
