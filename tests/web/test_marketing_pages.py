"""The marketing pages: the campaign form, a campaign's results in English and Chinese, and the A/B
planner and analyser forms (answers and clear problems)."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app
from finloom.store._models import Job
from tests.web.test_catalogue import english_leftovers

KEY = "fl_mktmktmktmkt_" + "k" * 32
RESULT = {
    "dataset": "camp", "rows": 400, "contacts": 2, "budget": 4.0, "cost": 2.0, "margin": 40.0,
    "propensity": {"auc": 0.81, "top_decile_lift": 4.2, "brier": 0.08, "dropped_leaky": ["duration"]},
    "profit": {"at_budget": 30.5, "contacts_at_budget": 2, "best_contacts": 120, "best_profit": 900.0},
    "segments": {"k": 2, "silhouette": 0.41, "bootstrap_ari": 0.93},
    "copy": {"variants": 2, "accepted": 1, "rejected": 1},
    "gains": [{"band": 1, "rows": 40, "response_rate": 0.5, "cum_gain": 0.45, "lift": 4.2}],
    "top_contacts": [{"rank": 1, "id": "C0001", "probability": 0.71, "expected_profit": 26.4, "segment": "A"},
                     {"rank": 2, "id": "C0002", "probability": 0.2, "expected_profit": 6.0, "segment": "B"}],
    "profiles": [{"segment": "A", "text_en": "Segment A has 200 customers (50.0% of the base).",
                  "text_zh": "A类客群共200位客户，占全部客户的50.0%。"}],
    "copy_items": [
        {"segment": "A", "product": "td", "channel": "sms", "lang": "zh", "subject": "", "accepted": True,
         "text": "【定期存款】年利率2.15%。回复TD退订", "reasons": []},
        {"segment": "A", "product": "td", "channel": "sms", "lang": "en", "subject": "", "accepted": False,
         "text": "x" * 170, "reasons": ["length: the SMS has 170 characters; the limit is 160"]}],
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(Settings(workspace=tmp_path_factory.mktemp("mkt"), bootstrap_admin_key=KEY,
                              assistant_dense=False), executor_mode="thread")
    with TestClient(app) as c:
        c.post("/login", data={"key": KEY, "next": "/"})
        c.job_id = str(uuid.uuid4())
        with app.state.workbench.session() as session:
            session.add(Job(id=c.job_id, kind="marketing.campaign", params={"dataset": "camp"}, status="succeeded",
                            progress=1.0, message="done", result=RESULT, created_by="admin"))
        yield c


def test_marketing_page_lists_campaigns_and_offers_the_forms(client):
    r = client.get("/marketing")
    assert r.status_code == 200
    assert 'action="/marketing/campaigns"' in r.text and f"/marketing/campaigns/{client.job_id}" in r.text
    assert 'href="/marketing"' in client.get("/").text  # the home tile is live


def test_campaign_page_in_both_languages(client):
    r = client.get(f"/marketing/campaigns/{client.job_id}")
    assert r.status_code == 200
    assert "Segment A has 200 customers" in r.text and "C0001" in r.text and "gains.png" in r.text
    assert "length: the SMS has 170 characters" in r.text
    client.cookies.set("lang", "zh")
    try:
        zh = client.get(f"/marketing/campaigns/{client.job_id}")
        assert "A类客群共200位客户" in zh.text and english_leftovers(zh.text) == []
        assert english_leftovers(client.get("/marketing").text) == []
    finally:
        client.cookies.set("lang", "en")


def test_the_job_page_shows_the_headline_figures(client):
    r = client.get(f"/jobs/{client.job_id}")
    assert r.status_code == 200 and "Hold-out AUC" in r.text and "1 / 2" in r.text


def test_planner_and_analyser_forms(client):
    r = client.post("/marketing/plan", data={"baseline": "0.1", "mde": "0.02"})
    assert r.status_code == 200 and "3,835" in r.text
    r = client.post("/marketing/analyse", data={"conv_control": "100", "n_control": "1000",
                                                "conv_treatment": "130", "n_treatment": "1000", "looks": "4"})
    assert r.status_code == 200 and "looked at 4 times" in r.text
    bad = client.post("/marketing/plan", data={"baseline": "0.1", "mde": ""})
    assert bad.status_code == 422 and "target or mde" in bad.text


def test_starting_a_campaign_with_bad_input_shows_the_problem(client):
    r = client.post("/marketing/campaigns", data={"dataset": "nope", "target": "y"})
    assert r.status_code == 422 and "nope" in r.text
    r = client.post("/marketing/campaigns", data={"dataset": "nope", "target": "y", "budget": "0"})
    assert r.status_code == 422 and "budget" in r.text
    assert client.get("/marketing/campaigns/" + client.job_id + "/files/secret.txt").status_code == 404
