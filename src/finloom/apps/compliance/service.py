"""Compliance services: audit a text against rule packs, audit a trade blotter, mask PII for logs."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from finloom._base import ProgressCallback, noop_progress
from finloom._io import atomic_write_text
from finloom.apps.compliance._rules import (
    RulePack,
    apply_rule,
    builtin_packs,
    load_rule_pack,
    sentences,
)
from finloom.apps.compliance._trades import audit_trade_frame
from finloom.apps.compliance.schemas import SEVERITY_ORDER, Finding, TradeAuditConfig
from finloom.data import read_table, write_csv
from finloom.errors import ConfigError
from finloom.textgen._pii import mask_pii

__all__ = ["audit_text", "audit_trades", "audit_trades_csv", "audit_trades_job", "mask_pii", "risk_level",
           "write_findings"]

_LEVEL = re.compile(r"^\s*[RCrc]?\s*([1-5])\s*$")
_NAMED = {"conservative": 1, "cautious": 2, "moderate": 3, "balanced": 3, "growth": 4, "aggressive": 5,
          "保守型": 1, "谨慎型": 2, "稳健型": 3, "积极型": 4, "激进型": 5}


def risk_level(value: str | int) -> int:
    """Parse a risk level (R1–R5 product, C1–C5 customer, 1–5, or a profile name) to 1–5.

    Examples
    --------
    >>> risk_level("R4"), risk_level("C2"), risk_level("balanced"), risk_level("稳健型")
    (4, 2, 3, 3)
    """
    if isinstance(value, int) and 1 <= value <= 5:
        return value
    text = str(value).strip()
    m = _LEVEL.match(text)
    if m:
        return int(m.group(1))
    if text.lower() in _NAMED:
        return _NAMED[text.lower()]
    raise ConfigError(f"risk level must be R1-R5, C1-C5, 1-5 or one of {sorted(_NAMED)}; got {value!r}.")


def _detect_lang(text: str) -> str:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def _suitability(pack: RulePack, context: Mapping[str, Any]) -> list[Finding]:
    if "product_risk" not in context or "customer_risk" not in context:
        return []
    product, customer = risk_level(context["product_risk"]), risk_level(context["customer_risk"])
    if product <= customer:
        return []
    rule = next(r for r in pack.rules if r.type == "suitability")
    return [Finding(rule.id, rule.severity, rule.category,
                    f"{rule.explanation} Product R{product} > customer C{customer}.")]


def audit_text(
    text: str, lang: str | None = None, *, context: Mapping[str, Any] | None = None,
    rule_files: Sequence[str | Path] = (),
) -> list[Finding]:
    """Check a text against the common rule pack plus the pack of its language.

    Parameters
    ----------
    text : str
        Marketing copy, advice or a generated report.
    lang : {"en", "zh"} or None
        Language pack to apply; detected from the text when None.
    context : mapping
        Optional ``product_risk`` (R1–R5) and ``customer_risk`` (C1–C5) for the suitability rule.
    rule_files : sequence of paths
        Extra YAML rule packs to apply.

    Returns
    -------
    list of Finding
        Sorted by position, most severe first on ties.

    Examples
    --------
    >>> [f.rule_id for f in audit_text("Guaranteed 8% returns! Capital at risk.")]
    ['EN-PROM-001']
    >>> [f.category for f in audit_text("本产品保本保收益，市场有风险。")]
    ['promissory']
    """
    if not isinstance(text, str):
        raise ConfigError(f"text must be a str; got {type(text).__name__}.")
    lang = lang or _detect_lang(text)
    if lang not in ("en", "zh"):
        raise ConfigError(f"lang must be 'en', 'zh' or None; got {lang!r}.")
    packs = builtin_packs()
    active = [packs["common"], packs[lang], *(load_rule_pack(p) for p in rule_files)]
    spans = sentences(text)
    findings: list[Finding] = []
    for pack in active:
        for rule in pack.rules:
            findings += apply_rule(rule, text, spans)
    findings += _suitability(packs["common"], context or {})
    return sorted(findings, key=lambda f: (f.start if f.start is not None else -1,
                                           -SEVERITY_ORDER[f.severity]))


def audit_trades(
    df: pd.DataFrame, config: TradeAuditConfig | None = None, *,
    progress: ProgressCallback = noop_progress,
) -> list[Finding]:
    """Audit a trade blotter (columns trade_id, timestamp, trader, account, symbol, side, quantity,
    price); each finding's ``row`` names the trade(s), trader-day or trader:symbol.

    Examples
    --------
    >>> df = pd.DataFrame({"trade_id": [1], "timestamp": ["2024-01-02 20:00"], "trader": ["t"],
    ...     "account": ["a"], "symbol": ["XYZ"], "side": ["BUY"], "quantity": [10], "price": [5.0]})
    >>> sorted(f.rule_id for f in audit_trades(df, TradeAuditConfig(restricted_symbols=["XYZ"])))
    ['TRD-HOURS', 'TRD-RESTRICTED']
    """
    progress(0.0, "auditing trades")
    findings = audit_trade_frame(df, config or TradeAuditConfig())
    progress(1.0, f"{len(findings)} findings")
    return findings


def audit_trades_csv(path: str | Path, config: TradeAuditConfig | None = None, *,
                     progress: ProgressCallback = noop_progress) -> list[Finding]:
    """Read a CSV of trades and audit it (for uploads and the CLI).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("trade_id,timestamp,trader,account,symbol,side,quantity,price\\n"
    ...                  "1,2024-03-04 10:00,ann,A1,AAPL,BUY,10,5\\n")
    >>> audit_trades_csv(p)
    []
    """
    return audit_trades(read_table(path), config, progress=progress)


def audit_trades_job(params: Mapping[str, Any], progress: ProgressCallback,
                     out_dir: str | Path) -> dict[str, Any]:
    """Job entry point: ``params["csv_path"]`` plus any :class:`TradeAuditConfig` field; writes
    ``findings.csv`` in ``out_dir`` and returns the findings as JSON-able dicts.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "t.csv").write_text("trade_id,timestamp,trader,account,symbol,side,quantity,price\\n"
    ...                              "1,2024-03-04 20:00,ann,A1,AAPL,BUY,10,5\\n")
    >>> out = audit_trades_job({"csv_path": str(d / "t.csv")}, lambda f, m="": None, d)
    >>> out["count"], out["findings"][0]["rule_id"], out["output"], (d / "findings.csv").is_file()
    (1, 'TRD-HOURS', 'findings.csv', True)
    """
    fields = {f.name for f in dataclasses.fields(TradeAuditConfig)}
    unknown = sorted(set(params) - fields - {"csv_path"})
    if unknown:
        raise ConfigError(f"audit_trades params must be csv_path or {sorted(fields)}; got {unknown}.")
    config = TradeAuditConfig(**{k: v for k, v in params.items() if k in fields})
    rows = write_findings(audit_trades_csv(params["csv_path"], config, progress=progress), out_dir)
    return {"count": len(rows), "findings": rows, "output": "findings.csv"}


def write_findings(findings: Sequence[Finding], out_dir: str | Path) -> list[dict[str, Any]]:
    """Write ``findings.csv`` (one row per finding) into ``out_dir``; return the rows as dicts.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_findings([], d), (d / "findings.csv").read_text().split(",")[0]
    ([], 'rule_id')
    """
    rows = [f.to_dict() for f in findings]
    frame = pd.DataFrame(rows, columns=[f.name for f in dataclasses.fields(Finding)])
    atomic_write_text(Path(out_dir) / "findings.csv", write_csv(frame, index=False) or "")
    return rows
