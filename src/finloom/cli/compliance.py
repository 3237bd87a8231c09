"""``finloom compliance audit-text|audit-trades|mask``: rule findings for texts and trade blotters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

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


@app.command("audit-text")
@handle_errors
def audit_text_cmd(
    text: Annotated[str | None, typer.Argument(help="Text to audit ('-' reads stdin).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the text from a file.")] = None,
    lang: Annotated[str | None, typer.Option(help="'en' or 'zh'; detected when omitted.")] = None,
    product_risk: Annotated[str | None, typer.Option(help="Product risk level R1-R5.")] = None,
    customer_risk: Annotated[str | None, typer.Option(help="Customer risk profile C1-C5.")] = None,
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra YAML rule pack(s).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print findings as JSON.")] = False,
    strict: Annotated[bool, typer.Option(help="Exit with code 2 when there are findings.")] = False,
) -> None:
    """Audit a marketing or advice text against the rule packs."""
    from finloom.apps.compliance import audit_text

    if file is not None:
        body = file.read_text(encoding="utf-8")
    elif text == "-":
        body = sys.stdin.read()
    elif text:
        body = text
    else:
        raise ConfigError("text must be given as an argument, '-' for stdin, or --file; got nothing.")
    context = {k: v for k, v in (("product_risk", product_risk), ("customer_risk", customer_risk)) if v}
    findings = audit_text(body, lang, context=context, rule_files=rules or [])
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
def mask_cmd(text: Annotated[str, typer.Argument(help="Text whose card/ID/IBAN/phone/e-mail to mask.")]) -> None:
    """Print the text with personal data masked (keeps the last 4 characters)."""
    from finloom.apps.compliance import mask_pii

    typer.echo(mask_pii(text))
