"""Compliance: text detectors that read language (promises, risk disclosure, superlatives, PII,
suitability) with YAML lexicons and rule packs, a batch audit, and trade-blotter rules."""

from finloom.apps.compliance._batch import (
    TextAudit,
    findings_rows,
    read_text_table,
    write_findings_file,
)
from finloom.apps.compliance._learned import (
    CategoryClassifier,
    combine_with_rules,
    shipped_classifier,
)
from finloom.apps.compliance._rules import RulePack, builtin_packs, load_rule_pack
from finloom.apps.compliance.schemas import Finding, TradeAuditConfig
from finloom.apps.compliance.service import (
    audit_text,
    audit_text_file,
    audit_texts,
    audit_trades,
    audit_trades_csv,
    audit_trades_job,
    mask_pii,
    risk_level,
)
from finloom.textgen._pii import find_pii, iban_valid, luhn_valid, valid_cn_id

__all__ = [
    "CategoryClassifier",
    "combine_with_rules",
    "Finding",
    "RulePack",
    "TextAudit",
    "TradeAuditConfig",
    "audit_text",
    "audit_text_file",
    "audit_texts",
    "audit_trades",
    "audit_trades_csv",
    "audit_trades_job",
    "builtin_packs",
    "find_pii",
    "findings_rows",
    "iban_valid",
    "load_rule_pack",
    "luhn_valid",
    "mask_pii",
    "read_text_table",
    "risk_level",
    "shipped_classifier",
    "valid_cn_id",
    "write_findings_file",
]
