"""A draft suspicious-activity narrative written from a case's facts and checked by the guard.

Every number in the draft comes from a :class:`~finloom.textgen.Fact` computed from the case's
alerts; :class:`~finloom.textgen.FaithfulnessGuard` then reads the draft back against those facts
and its report (``unsupported_numbers`` must be 0) travels with the text.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from finloom.apps.monitoring.transactions._alerts import Case
from finloom.textgen import Fact, FactSet, FaithfulnessGuard, format_value

__all__ = ["Narrative", "case_facts", "draft_narrative"]

_REASON_WORDS = {
    "velocity": "a burst of activity within an hour",
    "amount_above_baseline": "amounts far above the usual",
    "new_country": "a country never used before",
    "new_merchant_category": "a new kind of merchant",
    "structuring": "cash deposits just under the reporting threshold",
    "dormant_reactivation": "activity after a dormant period",
    "round_amount_burst": "repeated round amounts",
    "card_testing": "small payments at new merchants (card testing)",
    "new_device_payment": "payments from a new device",
    "fan_in": "money from many new payers",
    "fan_out": "money passed on soon after it arrived",
    "anomaly": "behaviour unlike the account's peers",
    "model": "a pattern the fraud model recognises",
}


@dataclass(frozen=True)
class Narrative:
    """The draft, its facts and the guard's verdict."""

    text: str
    facts: list[dict[str, Any]]
    unsupported_numbers: int
    guard: dict[str, Any]


def case_facts(case: Case, *, currency: str = "GBP") -> FactSet:
    """Facts of a case: alert count, total and largest amount, highest risk, first/last day, reasons.

    Examples
    --------
    >>> c = Case(1, "A1", "open", "", "", 0.0, 0.0, 0.91,
    ...          alerts=({"event_id": "e", "ts": 1704103200.0, "amount": 950.0, "risk": 0.91,
    ...                   "reasons": ["fan_out"]},))
    >>> case_facts(c)["amount:total"].value
    950.0
    """
    alerts = case.alerts
    amounts = [float(a["amount"]) for a in alerts] or [0.0]
    days = [dt.datetime.fromtimestamp(float(a["ts"]), dt.UTC).date() for a in alerts] or [
        dt.date(1970, 1, 1)
    ]
    facts = [
        Fact("case:id", float(case.case_id), unit="count", label="case"),
        Fact(
            "alerts:count", float(len(alerts)), unit="count", entity=case.account_id, label="alerts"
        ),
        Fact(
            "amount:total",
            sum(amounts),
            unit="currency",
            currency=currency,
            entity=case.account_id,
            label="total amount",
        ),
        Fact(
            "amount:max",
            max(amounts),
            unit="currency",
            currency=currency,
            entity=case.account_id,
            label="largest amount",
        ),
        Fact(
            "risk:max",
            round(100 * float(case.max_risk), 1),
            unit="%",
            decimals=1,
            entity=case.account_id,
            label="risk score",
        ),
        Fact("day:first", 0.0, date=min(days), entity=case.account_id, label="first alert"),
        Fact("day:last", 0.0, date=max(days), entity=case.account_id, label="last alert"),
    ]
    for reason, n in Counter(r for a in alerts for r in a["reasons"]).most_common():
        facts.append(
            Fact(f"reason:{reason}", float(n), unit="count", entity=case.account_id, label=reason)
        )
    return FactSet(facts)


def draft_narrative(
    case: Case, *, currency: str = "GBP", guard: FaithfulnessGuard | None = None
) -> Narrative:
    """Write the draft narrative of a case and check it.

    Examples
    --------
    >>> c = Case(7, "A000042", "open", "", "", 0.0, 0.0, 0.874,
    ...          alerts=({"event_id": "e1", "ts": 1704103200.0, "amount": 1500.0, "risk": 0.874,
    ...                   "reasons": ["fan_in"]},
    ...                  {"event_id": "e2", "ts": 1704189600.0, "amount": 2900.5, "risk": 0.8,
    ...                   "reasons": ["fan_out", "model"]}))
    >>> n = draft_narrative(c)
    >>> n.unsupported_numbers
    0
    >>> "£4,400.50" in n.text
    True
    """
    fs = case_facts(case, currency=currency)
    first, last = fs["day:first"].date, fs["day:last"].date
    assert first is not None and last is not None  # set by case_facts
    when = (
        f"on {first:%d %B %Y}" if first == last else f"between {first:%d %B %Y} and {last:%d %B %Y}"
    )
    n = int(fs["alerts:count"].value)
    lines = [
        f"Draft suspicious-activity narrative for account {case.account_id} (case {case.case_id}).",
        f"Transaction monitoring raised {format_value(fs['alerts:count'])} alert{'s' if n != 1 else ''} "
        f"{when}, on transactions totalling {format_value(fs['amount:total'])}; the largest was "
        f"{format_value(fs['amount:max'])}. The highest risk score was {format_value(fs['risk:max'])}.",
    ]
    reasons = [f for f in fs if f.id.startswith("reason:")]
    if reasons:
        parts = [
            f"{_REASON_WORDS.get(f.label, f.label.replace('_', ' '))} (in {format_value(f)} "
            "of them)"  # "N times" / "N alerts" read to the guard as another quantity
            for f in reasons
        ]
        lines.append("The alerts point to " + "; ".join(parts) + ".")
    lines.append(
        "This draft states only what the monitoring recorded; the analyst must confirm the "
        "facts, add what the customer said and decide whether to file."
    )
    text = " ".join(lines)
    report = (guard or FaithfulnessGuard()).check(text, fs, lang="en")
    return Narrative(
        text,
        [{"id": f.id, "value": f.value, "date": str(f.date) if f.date else None} for f in fs],
        int(report.unsupported_numbers),
        report.to_dict(),
    )
