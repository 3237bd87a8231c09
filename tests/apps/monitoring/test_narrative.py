"""The case narrative: every number it states is supported by the case's facts."""

from __future__ import annotations

from finloom.apps.monitoring.transactions import Case, draft_narrative


def test_reason_counts_no_other_fact_shares_are_supported() -> None:
    # 4 alerts: structuring and the model on all four, the anomaly detector on three; "3" is
    # supported only by the anomaly reason's own count
    alerts = tuple(
        {
            "event_id": f"e{i}",
            "ts": 1705400000.0 + 3600 * i,
            "amount": 9000.0 + i,
            "risk": 0.75,
            "reasons": ["structuring", "model"] + (["anomaly"] if i < 3 else []),
        }
        for i in range(4)
    )
    drafted = draft_narrative(Case(17, "A000009", "open", "", "", 0.0, 0.0, 0.752, alerts=alerts))
    assert "(in 3 of them)" in drafted.text
    assert drafted.unsupported_numbers == 0, drafted.guard["issues"]
