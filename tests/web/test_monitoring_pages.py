"""The monitoring pages: queue, filter, a case (assign, note, close with disposition), narrative."""

from __future__ import annotations

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app
from finloom.services import monitoring as service
from finloom.synth.transactions import ANOMALY_TYPES, inject_anomalies, make_demo_tables

KEY = "fl_monmonmonmon_" + "m" * 32


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(
        Settings(
            workspace=tmp_path_factory.mktemp("mon"), bootstrap_admin_key=KEY, assistant_dense=False
        ),
        executor_mode="thread",
    )
    with TestClient(app) as c:
        c.post("/login", data={"key": KEY, "next": "/"})
        hub, workbench = service.hub_of(app.state), app.state.workbench
        service.fit_demo(
            hub, workbench, "admin", service.FitIn(accounts=60, days=20, warmup_days=7)
        )
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
        service.ingest(
            hub,
            workbench,
            tx.drop(columns=["anomaly_type", "is_anomaly"]).to_dict(orient="records"),
        )
        yield c


def test_queue_case_and_close(client) -> None:
    home = client.get("/").text
    assert 'href="/monitoring"' in home
    page = client.get("/monitoring")
    assert page.status_code == 200 and 'id="cases"' in page.text
    case_id = service.cases(
        service.hub_of(client.app.state), client.app.state.workbench, status="open"
    )[0].case_id
    assert f'/monitoring/cases/{case_id}"' in page.text
    bad = client.post(f"/monitoring/cases/{case_id}", data={"disposition": "maybe"})
    assert bad.status_code == 200 and 'role="alert"' in bad.text
    r = client.post(
        f"/monitoring/cases/{case_id}",
        data={"assignee": "ana", "note": "called", "disposition": "fraud"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    case = client.get(f"/monitoring/cases/{case_id}").text
    assert "fraud" in case and "called" in case and 'id="case-form"' not in case
    closed = client.get("/monitoring", params={"status": "closed"}).text
    assert f"#{case_id}<" in closed
    narrative = client.post(f"/monitoring/cases/{case_id}/narrative").text
    assert "Draft suspicious-activity narrative" in narrative and ": 0<" in narrative


def test_pages_in_chinese(client) -> None:
    client.cookies.set("lang", "zh")
    try:
        assert "风险监测" in client.get("/monitoring").text
    finally:
        client.cookies.delete("lang")
