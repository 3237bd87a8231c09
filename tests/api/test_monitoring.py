"""``/api/monitoring``: ingest one or a batch of events, the case queue, narratives, roles, audit."""

from __future__ import annotations

import pandas as pd
import pytest

from finloom.services import monitoring as service
from finloom.store import list_audit
from finloom.synth.transactions import ANOMALY_TYPES, inject_anomalies, make_demo_tables


@pytest.fixture
def fitted(app, client):
    hub = service.hub_of(app.state)
    service.fit_demo(
        hub, app.state.workbench, "tester", service.FitIn(accounts=60, days=20, warmup_days=7)
    )
    return hub


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


def test_ingest_cases_and_narrative(client, fitted, analyst, viewer, app) -> None:
    events = _events()
    r = client.post("/api/monitoring/events/batch", json={"events": events}, headers=analyst)
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == len(events)
    again = client.post("/api/monitoring/events", json=events[0], headers=analyst).json()
    assert again["duplicates"] == 1 and again["accepted"] == 0
    bad = client.post(
        "/api/monitoring/events",
        json={**events[0], "event_id": "zz", "amount": "5"},
        headers=analyst,
    )
    assert bad.status_code == 422 and "amount must be a number" in bad.json()["detail"]
    assert client.get("/api/monitoring/status", headers=viewer).json()["rejected"] == {
        "bad_amount": 1
    }
    cases = client.get("/api/monitoring/cases", params={"status": "open"}, headers=viewer).json()
    assert cases
    case_id = cases[0]["case_id"]
    assert (
        client.post(
            f"/api/monitoring/cases/{case_id}", json={"assignee": "x"}, headers=viewer
        ).status_code
        == 403
    )
    done = client.post(
        f"/api/monitoring/cases/{case_id}",
        json={"assignee": "analyst-user", "note": "ok", "disposition": "escalated"},
        headers=analyst,
    )
    assert done.status_code == 200 and done.json()["status"] == "closed"
    text = client.post(f"/api/monitoring/cases/{case_id}/narrative", headers=analyst).json()
    assert text["unsupported_numbers"] == 0 and cases[0]["account_id"] in text["text"]
    with app.state.workbench.session() as session:
        actions = [e.action for e in list_audit(session)]
    assert {"monitoring.fit", "monitoring.case", "monitoring.narrative"} <= set(actions)
    assert client.get("/api/monitoring/cases/999999", headers=viewer).status_code == 404


def test_ingest_before_fit_says_what_to_do(client, analyst) -> None:
    r = client.post("/api/monitoring/events", json={"event_id": "a"}, headers=analyst)
    assert r.status_code == 404 and "finloom monitor fit" in r.json()["detail"]
