"""The alert queue end to end in Chromium: events in by HTTP, a case opened, worked and closed."""

from __future__ import annotations

import httpx
import pandas as pd

from finloom.synth.transactions import ANOMALY_TYPES, inject_anomalies, make_demo_tables

from .conftest import KEY, sign_in


def _events() -> list[dict]:
    _, tx = make_demo_tables(40, days=20, random_state=5)
    tx = inject_anomalies(
        tx, rates=dict.fromkeys(ANOMALY_TYPES, 0.05), after="2024-01-08", random_state=5
    )
    tx["timestamp"] = (tx["timestamp"] - pd.Timestamp("1970-01-01")).dt.total_seconds()
    tx = tx.rename(
        columns={
            "transaction_id": "event_id",
            "merchant_category": "category",
            "device_id": "device",
        }
    )
    return tx.drop(columns=["anomaly_type", "is_anomaly"]).to_dict(orient="records")


def test_alert_to_case_to_close(server, page) -> None:
    headers = {"X-API-Key": KEY}
    fit = httpx.post(
        f"{server}/api/monitoring/fit",
        headers=headers,
        timeout=600,
        json={"accounts": 60, "days": 20, "warmup_days": 7},
    )
    assert fit.status_code == 200, fit.text
    r = httpx.post(
        f"{server}/api/monitoring/events/batch",
        headers=headers,
        json={"events": _events()},
        timeout=300,
    )
    assert r.status_code == 200 and r.json()["cases"], r.text
    sign_in(page, server)
    page.wait_for_url(f"{server}/")
    page.goto(f"{server}/monitoring")
    page.click("#cases tbody a")
    page.fill("#assignee", "ana")
    page.fill("#note", "customer confirmed the payments were not theirs")
    page.select_option("#disposition", "fraud")
    page.click("#save-case")
    page.wait_for_selector("#notes")
    assert "fraud" in page.inner_text("#case-status") and page.locator("#case-form").count() == 0
    page.click("#draft")
    page.wait_for_selector("#narrative-text")
    assert "Draft suspicious-activity narrative" in page.inner_text("#narrative-text")
