"""Compliance services: audit a text against rule packs, audit a trade blotter, mask PII for logs."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from finloom._base import ProgressCallback, noop_progress
from finloom._io import atomic_write_text
from finloom.apps.compliance._batch import TextAudit, audit_each, read_text_table
from finloom.apps.compliance._doc import Doc, detect_lang
from finloom.apps.compliance._learned import (
    CategoryClassifier,
    combine_with_rules,
    shipped_classifier,
)
from finloom.apps.compliance._rules import RulePack, apply_rule, builtin_packs, load_rule_pack
from finloom.apps.compliance._suitability import risk_level, suitability_from_context
from finloom.apps.compliance._text_audit import detect_categories
from finloom.apps.compliance._trades import audit_trade_frame
from finloom.apps.compliance.schemas import SEVERITY_ORDER, Finding, TradeAuditConfig
from finloom.data import read_table, write_csv
from finloom.errors import ConfigError
from finloom.textgen._pii import mask_pii

__all__ = ["audit_text", "audit_text_file", "audit_texts", "audit_trades", "audit_trades_csv", "audit_trades_job", "mask_pii",
           "risk_level", "write_findings"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
Classifier = CategoryClassifier | Literal["shipped"] | None  # "shipped" = the bundled model, None = rules alone
_LATIN = re.compile(r"[A-Za-z]{3,}")


def audit_text(
    text: str, lang: str | None = None, *, context: Mapping[str, Any] | None = None,
    rule_files: Sequence[str | Path | RulePack] = (), classifier: Classifier = "shipped",
) -> list[Finding]:
    """Check a text for promises, missing risk warnings, superlatives, PII and suitability.

    The five categories are detectors that read the text in both languages (texts mix them);
    the YAML rule packs add prohibited claims and "suits everyone", and ``context`` the
    structured suitability check.

    Parameters
    ----------
    text : str
        Marketing copy, advice, a chat reply, a notice or a generated report.
    lang : {"en", "zh"} or None
        The text's main language, whose rule pack applies; detected when None. The other
        language's pack applies too when the text contains its script.
    context : mapping
        Optional ``product_risk`` (R1–R5) and ``customer_risk`` (C1–C5) for the suitability rule.
    rule_files : sequence of paths or RulePack
        Extra YAML rule packs to apply.
    classifier : CategoryClassifier, "shipped" or None
        The learned per-category classifier combined with the rules (see
        :func:`~finloom.apps.compliance.combine_with_rules`): it drops a rule flag it finds very
        unlikely and adds a category the rules missed when it is confident; never for PII. The
        default ``"shipped"`` is the one trained on the outside authors' labelled sets (on new
        authors' sets it raised F1 on every one, ``benchmarks/compliance_learned_veto.py``);
        ``None`` = the rules alone.

    Returns
    -------
    list of Finding
        Each names its rule, its span and why; sorted by position, most severe first on ties.

    Examples
    --------
    >>> [f.rule_id for f in audit_text("Guaranteed 8% returns! Capital at risk.")]
    ['PROM-CERTAIN-GAIN']
    >>> sorted({f.category for f in audit_text("本产品保本保收益，欢迎认购。")})
    ['promissory', 'risk_disclosure']
    """
    if not isinstance(text, str):
        raise ConfigError(f"text must be a str; got {type(text).__name__}.")
    if lang not in (None, "en", "zh"):
        raise ConfigError(f"lang must be 'en', 'zh' or None; got {lang!r}.")
    doc = Doc(text)
    findings = detect_categories(doc)
    for pack in _packs(text, lang or detect_lang(text), rule_files):
        for rule in pack.rules:
            findings += apply_rule(rule, text, [(s.start, s.end) for s in doc.sentences])
    if classifier is not None:
        findings = combine_with_rules(text, findings, shipped_classifier() if classifier == "shipped" else classifier)
    findings += suitability_from_context(context or {})
    return sorted(findings, key=lambda f: (f.start if f.start is not None else -1,
                                           -SEVERITY_ORDER[f.severity]))


def audit_texts(
    texts: Sequence[str], ids: Sequence[Any] | None = None, *, lang: str | None = None,
    rule_files: Sequence[str | Path] = (), classifier: Classifier = "shipped",
    progress: ProgressCallback = noop_progress,
) -> list[TextAudit]:
    """Audit a batch of texts with :func:`audit_text`; ``ids`` default to the 1-based positions.

    Examples
    --------
    >>> [(r.text_id, r.categories) for r in audit_texts(["保本保收益的理财，欢迎认购", "Hello"], ids=["a", "b"])]
    [('a', ['promissory', 'risk_disclosure']), ('b', [])]
    """
    packs = [load_rule_pack(p) for p in rule_files]  # a bad rule file fails before the first text

    def audit(text: str) -> list[Finding]:
        return audit_text(text, lang, rule_files=packs, classifier=classifier)

    return audit_each(texts, ids, audit=audit, progress=progress)


def audit_text_file(
    path: str | Path, *, text_column: str | None = None, id_column: str | None = None,
    lang: str | None = None, rule_files: Sequence[str | Path] = (), classifier: Classifier = "shipped",
    progress: ProgressCallback = noop_progress,
) -> list[TextAudit]:
    """Audit every row of a CSV / TSV / JSONL / Excel file of texts (read by :func:`finloom.data.read_table`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.jsonl"
    >>> _ = p.write_text('{"id": "m1", "text": "The best bank in town!"}\\n', encoding="utf-8")
    >>> [(r.text_id, r.categories) for r in audit_text_file(p)]
    [('m1', ['superlative'])]
    """
    ids, texts = read_text_table(path, text_column=text_column, id_column=id_column)
    return audit_texts(texts, ids, lang=lang, rule_files=rule_files, classifier=classifier, progress=progress)


def _packs(text: str, lang: str, rule_files: Sequence[str | Path | RulePack]) -> list[RulePack]:
    packs = builtin_packs()
    langs = [lang] + [other for other, script in (("zh", _CJK), ("en", _LATIN))
                      if other != lang and script.search(text)]
    extra = [p if isinstance(p, RulePack) else load_rule_pack(p) for p in rule_files]
    return [packs["common"], *(packs[x] for x in langs), *extra]


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
