"""Compliance: YAML rule packs for text (promises, risk disclosure, superlatives, PII, suitability)
and trade-blotter rules (limits, restricted list, wash trades, hours, concentration)."""

from finloom.apps.compliance._rules import RulePack, builtin_packs, load_rule_pack
from finloom.apps.compliance.schemas import Finding, TradeAuditConfig
from finloom.apps.compliance.service import (
    audit_text,
    audit_trades,
    audit_trades_csv,
    audit_trades_job,
    mask_pii,
    risk_level,
)
from finloom.textgen._pii import find_pii, iban_valid, luhn_valid, valid_cn_id

__all__ = [
    "Finding",
    "RulePack",
    "TradeAuditConfig",
    "audit_text",
    "audit_trades",
    "audit_trades_csv",
    "audit_trades_job",
    "builtin_packs",
    "find_pii",
    "iban_valid",
    "load_rule_pack",
    "luhn_valid",
    "mask_pii",
    "risk_level",
    "valid_cn_id",
]
