"""Trade-blotter rules on a DataFrame: limits, restricted list, wash trades, hours, concentration."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from finloom.apps.compliance.schemas import Finding, TradeAuditConfig
from finloom.errors import InvalidDataError

__all__ = ["REQUIRED_COLUMNS", "audit_trade_frame"]

REQUIRED_COLUMNS = ("trade_id", "timestamp", "trader", "account", "symbol", "side", "quantity", "price")


def _prepare(df: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise InvalidDataError(f"trades must be a pandas DataFrame; got {type(df).__name__}.")
    problems = [f"trades must have a column {c!r}; got columns {list(df.columns)}. Rename your columns."
                for c in REQUIRED_COLUMNS if c not in df.columns]
    if problems:
        raise InvalidDataError(problems)
    out = df.loc[:, list(REQUIRED_COLUMNS)].copy()
    out["timestamp"] = pd.to_datetime(out["timestamp"], errors="coerce")
    out["side"] = out["side"].astype(str).str.upper().str.strip()
    for col in ("quantity", "price"):
        out[col] = pd.to_numeric(out[col], errors="coerce")
    bad = out[["timestamp", "quantity", "price"]].isna().any(axis=1)
    if bad.any():
        rows = out.loc[bad, "trade_id"].tolist()[:5]
        problems.append(f"timestamp, quantity and price must parse; got unparseable values in trades {rows}.")
    if not out["side"].isin(["BUY", "SELL"]).all():
        problems.append(f"side must be BUY or SELL; got {sorted(set(out['side']) - {'BUY', 'SELL'})}.")
    if problems:
        raise InvalidDataError(problems)
    out["notional"] = (out["quantity"] * out["price"]).abs()
    return out


def _f(rule: str, severity: str, category: str, row: object, explanation: str) -> Finding:
    return Finding(rule, severity, category, explanation, row=row)


def _limits(t: pd.DataFrame, cfg: TradeAuditConfig) -> list[Finding]:
    out = []
    if cfg.max_notional_per_trade is not None:
        for r in t[t["notional"] > cfg.max_notional_per_trade].itertuples():
            out.append(_f("TRD-LIMIT-TRADE", "high", "limit", r.trade_id,
                          f"notional {r.notional:,.2f} exceeds the per-trade limit {cfg.max_notional_per_trade:,.2f}"))
    if cfg.max_daily_notional_per_trader is not None:
        limit = cfg.max_daily_notional_per_trader
        days = t["timestamp"].dt.date.astype(str)
        for (trader, day), g in t.groupby([t["trader"].astype(str), days]):
            total = float(g["notional"].sum())
            if total > limit:
                out.append(_f("TRD-LIMIT-DAY", "high", "limit", f"{trader}@{day}",
                              f"trader {trader} traded {total:,.2f} on {day}, above the daily limit {limit:,.2f}"))
    return out


def _restricted(t: pd.DataFrame, cfg: TradeAuditConfig) -> list[Finding]:
    restricted = {s.upper() for s in cfg.restricted_symbols}
    hits = t[t["symbol"].astype(str).str.upper().isin(restricted)]
    return [_f("TRD-RESTRICTED", "critical", "restricted_list", r.trade_id,
               f"{r.symbol} is on the restricted list") for r in hits.itertuples()]


def _wash(t: pd.DataFrame, cfg: TradeAuditConfig) -> list[Finding]:
    out = []
    window = np.timedelta64(int(cfg.wash_window_minutes * 60), "s")
    for _, g in t.sort_values("timestamp").groupby(["account", "symbol"]):
        ts = g["timestamp"].to_numpy()
        qty, px = g["quantity"].to_numpy(float), g["price"].to_numpy(float)
        side, ids = g["side"].to_numpy(), g["trade_id"].to_numpy()
        for i in np.flatnonzero(side == "BUY"):
            near = (side == "SELL") & (np.abs(ts - ts[i]) <= window)
            near &= np.abs(qty - qty[i]) <= cfg.wash_quantity_tolerance * abs(qty[i])
            near &= np.abs(px - px[i]) <= cfg.wash_price_tolerance * abs(px[i])
            for j in np.flatnonzero(near):
                out.append(_f("TRD-WASH", "critical", "wash_trade", f"{ids[i]}+{ids[j]}",
                              f"account {g['account'].iloc[0]} bought and sold {g['symbol'].iloc[0]} "
                              f"({qty[i]:g} @ {px[i]:g} vs {qty[j]:g} @ {px[j]:g}) within "
                              f"{cfg.wash_window_minutes:g} minutes"))
    return out


def _hours(t: pd.DataFrame, cfg: TradeAuditConfig) -> list[Finding]:
    start = dt.time.fromisoformat(cfg.market_open)
    end = dt.time.fromisoformat(cfg.market_close)
    times = t["timestamp"].dt.time
    outside = (times < start) | (times >= end) | (t["timestamp"].dt.dayofweek >= 5)
    return [_f("TRD-HOURS", "medium", "after_hours", r.trade_id,
               f"trade at {r.timestamp} is outside market hours {cfg.market_open}-{cfg.market_close} on weekdays")
            for r in t[outside].itertuples()]


def _concentration(t: pd.DataFrame, cfg: TradeAuditConfig) -> list[Finding]:
    out = []
    for trader, g in t.groupby("trader"):
        if len(g) < cfg.concentration_min_trades:
            continue
        share = g.groupby("symbol")["notional"].sum() / g["notional"].sum()
        for symbol, s in share[share > cfg.concentration_threshold].items():
            out.append(_f("TRD-CONC", "medium", "concentration", f"{trader}:{symbol}",
                          f"{symbol} is {s:.0%} of trader {trader}'s gross notional, above "
                          f"{cfg.concentration_threshold:.0%}"))
    return out


def audit_trade_frame(df: pd.DataFrame, config: TradeAuditConfig) -> list[Finding]:
    """Run every trade rule; the caller's DataFrame is not modified."""
    t = _prepare(df)
    findings: list[Finding] = []
    for step in (_limits, _restricted, _wash, _hours, _concentration):
        findings += step(t, config)
    return findings
