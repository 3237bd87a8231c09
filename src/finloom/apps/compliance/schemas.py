"""Typed inputs and findings of the compliance scenario."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Finding", "TradeAuditConfig"]

SEVERITY_ORDER = {"low": 0, "medium": 1, "high": 2, "critical": 3}


@dataclass(frozen=True)
class Finding:
    """One rule hit: a text span (``start``/``end``) or a trade row (``row``), with an explanation.

    Examples
    --------
    >>> Finding("EN-PROM-001", "critical", "promissory", "no promises", start=0, end=4).to_dict()["rule_id"]
    'EN-PROM-001'
    """

    rule_id: str
    severity: str
    category: str
    explanation: str
    start: int | None = None
    end: int | None = None
    text: str | None = None
    row: Any = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (for the audit log and API)."""
        return asdict(self)


@dataclass
class TradeAuditConfig:
    """Thresholds for :func:`audit_trades`; every field maps to one trade rule.

    Parameters
    ----------
    max_notional_per_trade : float or None
        TRD-LIMIT-TRADE: a single trade's |quantity × price| above this is a breach.
    max_daily_notional_per_trader : float or None
        TRD-LIMIT-DAY: a trader's gross notional per calendar day above this is a breach.
    restricted_symbols : list of str
        TRD-RESTRICTED: trading these symbols is prohibited.
    wash_window_minutes : float
        TRD-WASH: a buy and a sell of the same symbol by the same account within this window...
    wash_quantity_tolerance, wash_price_tolerance : float
        ...with quantities and prices within these relative tolerances.
    market_open, market_close : str
        TRD-HOURS: trades outside [open, close) local time ("HH:MM") or on weekends.
    concentration_threshold : float
        TRD-CONC: a symbol above this share of a trader's gross notional (with at least
        ``concentration_min_trades`` trades by that trader).

    Examples
    --------
    >>> TradeAuditConfig(restricted_symbols=["XYZ"]).market_open
    '09:30'
    """

    max_notional_per_trade: float | None = 1_000_000.0
    max_daily_notional_per_trader: float | None = 5_000_000.0
    restricted_symbols: list[str] = field(default_factory=list)
    wash_window_minutes: float = 30.0
    wash_quantity_tolerance: float = 0.05
    wash_price_tolerance: float = 0.01
    market_open: str = "09:30"
    market_close: str = "16:00"
    concentration_threshold: float = 0.5
    concentration_min_trades: int = 5
