"""Text-area jobs and routes on a real app: train + serve a classifier, reports, compliance audits."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app

KEY = "fl_texttexttext_" + "t" * 32
H = {"X-API-Key": KEY}
INTENTS = {
    "lost_card": ["I lost my card", "my card is missing", "can't find my debit card", "card was stolen yesterday",
                  "someone took my credit card", "I misplaced my card", "lost card please block", "my wallet with the card is gone"],
    "balance": ["what is my balance", "how much money do I have", "show my account balance", "check my balance please",
                "balance of my savings", "how much is left in my account", "current balance?", "tell me my balance"],
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(Settings(workspace=tmp_path_factory.mktemp("text"), bootstrap_admin_key=KEY), executor_mode="thread")
    with TestClient(app) as c:
        yield c


def _wait(client, job_id, timeout=300):
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/api/jobs/{job_id}", headers=H).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.2)


def test_train_then_predict_a_classifier(client):
    rows = "".join(f"{text},{label}\n" for label, texts in INTENTS.items() for text in texts)
    r = client.post("/api/datasets", headers=H, files={"file": ("intents.csv", ("text,label\n" + rows).encode())}, data={"name": "intents"})
    assert r.status_code == 201, r.text
    r = client.post("/api/nlp/train", headers=H, json={"dataset": "intents", "name": "intent-clf", "test_size": 0.25})
    job = _wait(client, r.json()["id"])
    assert job["status"] == "succeeded", job["error"]
    assert job["result"]["model"] == "intent-clf" and set(job["result"]["classes"]) == set(INTENTS)
    model = client.get("/api/models/intent-clf", headers=H).json()
    assert model["kind"] == "TextClassifier" and model["lineage"]["dataset"] == "intents"
    preds = client.post("/api/nlp/models/intent-clf/predict", headers=H, json={"texts": ["please block my lost card", "how much money is in my account"]}).json()
    assert [p["label"] for p in preds] == ["lost_card", "balance"]
    r = client.post("/api/nlp/models/nope/predict", headers=H, json={"texts": ["x"]})
    assert r.status_code == 404
    r = client.post("/api/nlp/models/intent-clf/predict", headers=H, json={"texts": ["ok", "  "]})
    assert r.status_code == 422 and r.json()["problems"] == ["texts[1] must match pattern '\\S'; got '  '. /docs describes each field."]


def test_train_with_int8_registers_and_serves_an_onnx_copy(client):
    pytest.importorskip("onnxruntime")
    if client.get("/api/datasets/intents", headers=H).status_code != 200:
        rows = "".join(f"{text},{label}\n" for label, texts in INTENTS.items() for text in texts)
        client.post("/api/datasets", headers=H, files={"file": ("intents.csv", ("text,label\n" + rows).encode())},
                    data={"name": "intents"})
    r = client.post("/api/nlp/train", headers=H, json={"dataset": "intents", "name": "fast-clf", "test_size": 0.25, "int8": True})
    job = _wait(client, r.json()["id"])
    assert job["status"] == "succeeded", job["error"]
    assert job["result"]["int8_model"] == "fast-clf-int8"
    model = client.get("/api/models/fast-clf-int8", headers=H).json()
    assert model["kind"] == "OnnxClassifier" and model["lineage"] == {"model": "fast-clf", "version": 1}
    texts = ["please block my lost card", "how much money is in my account"]
    fp32 = client.post("/api/nlp/models/fast-clf/predict", headers=H, json={"texts": texts}).json()
    int8 = client.post("/api/nlp/models/fast-clf-int8/predict", headers=H, json={"texts": texts}).json()
    assert [p["label"] for p in int8] == [p["label"] for p in fp32] == ["lost_card", "balance"]


def test_explain_route_scores_words_and_returns_nearest_training_examples(client):
    if client.get("/api/models/intent-clf", headers=H).status_code != 200:
        test_train_then_predict_a_classifier(client)
    r = client.post("/api/nlp/models/intent-clf/explain", headers=H, json={"text": "please block my lost card"})
    assert r.status_code == 200 and r.json()["method"] == "occlusion"  # the default (auto)
    r = client.post("/api/nlp/models/intent-clf/explain", headers=H,
                    json={"text": "please block my lost card", "method": "integrated_gradients", "steps": 8,
                          "neighbours": 3})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["label"] == "lost_card" and body["method"] == "integrated_gradients"
    assert [w["word"] for w in body["words"]] == ["please", "block", "my", "lost", "card"]
    assert body["completeness"]["error"] < 0.05
    assert len(body["neighbours"]) == 3 and body["neighbours"][0]["label"] == "lost_card"
    r = client.post("/api/nlp/models/intent-clf/explain", headers=H, json={"text": "card " * 201})
    assert r.status_code == 422 and "at most 1000 characters" in r.json()["problems"][0]
    r = client.post("/api/nlp/models/intent-clf/explain", headers=H, json={"text": "   "})
    assert r.status_code == 422
    assert client.post("/api/nlp/models/nope/explain", headers=H, json={"text": "x"}).status_code == 404


def _token_rows() -> str:
    """A one-row-per-token CSV: company names (ORG) that pay the lender / borrower (PER)."""
    rows, n = ["sentence,word,tag"], 0
    for org in ["Acme Corp", "Zenith Bank", "Orbit Holdings", "Delta Trust", "Nova Capital", "Apex Partners"]:
        for verb in ["pays", "owes", "notifies"]:
            for party in ["the lender", "the borrower"]:
                n += 1
                words = [*org.split(), verb, *party.split()]
                tags = ["B-ORG", *["I-ORG"] * (len(org.split()) - 1), "O", "O", "B-PER"]
                rows += [f"{n},{w},{t}" for w, t in zip(words, tags, strict=True)]
    return "\n".join(rows) + "\n"


def test_train_then_serve_an_entity_tagger(client):
    r = client.post("/api/datasets", headers=H, files={"file": ("ner.csv", _token_rows().encode())}, data={"name": "ner"})
    assert r.status_code == 201, r.text
    r = client.post("/api/nlp/train-ner", headers=H, json={"dataset": "ner", "name": "deal-ner", "epochs": 6})
    job = _wait(client, r.json()["id"])
    assert job["status"] == "succeeded", job["error"]
    assert job["result"]["entity_types"] == ["ORG", "PER"] and job["result"]["metrics"]["n_test"] == 7
    model = client.get("/api/models/deal-ner", headers=H).json()
    assert model["kind"] == "TokenTagger" and model["lineage"]["dataset"] == "ner"
    text = "Zenith Bank pays the lender 5% on 2024-01-31"
    [spans] = client.post("/api/nlp/models/deal-ner/entities", headers=H, json={"texts": [text]}).json()
    found = {(s["label"], s["text"], s["source"]) for s in spans}
    assert {("PERCENT", "5%", "rule"), ("DATE", "2024-01-31", "rule"), ("PER", "lender", "model")} <= found
    assert all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    r = client.post("/api/nlp/models/deal-ner/predict", headers=H, json={"texts": ["x"]})
    assert r.status_code == 400 and "model must be a text classifier; got 'deal-ner', a TokenTagger" in r.text
    r = client.post("/api/nlp/models/deal-ner/entities", headers=H, json={"texts": [" "]})
    assert r.status_code == 422
    r = client.post("/api/nlp/train-ner", headers=H, json={"dataset": "intents-nope"})
    assert r.status_code == 404
    client.post("/login", data={"key": KEY})  # the NLP page's try-it box highlights the same spans
    page = client.get("/nlp").text
    assert 'id="train-ner"' in page and '<option value="deal-ner">' in page
    html = client.post("/nlp/entities", data={"model": "deal-ner", "text": text + " <script>x</script>"}).text
    assert '<mark class="entity" title="PER">lender <small><b>PER</b></small></mark>' in html
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_tagger_scored_on_a_test_file_from_the_imports_folder(client):
    rows = _token_rows()
    client.post("/api/datasets", headers=H, files={"file": ("ner2.csv", rows.encode())}, data={"name": "ner2"})
    imports = client.app.state.workbench.workspace / "imports"
    (imports / "held_out.conll").write_text("Zenith B-ORG\nBank I-ORG\npays O\nthe O\nlender B-PER\n\n"
                                            "Acme B-ORG\nowes O\nthe O\nborrower B-PER\n")
    r = client.post("/api/nlp/train-ner", headers=H, json={"dataset": "ner2", "epochs": 1, "test_path": "held_out.conll"})
    assert r.status_code == 202, r.text
    job = _wait(client, r.json()["id"])
    assert job["status"] == "succeeded", job["error"]
    assert job["params"]["test_path"] == "held_out.conll" and job["result"]["metrics"]["n_test"] == 2
    assert str(imports) not in str(job)  # neither params nor result show the server path


def test_market_report_job_writes_html_and_pdf(client):
    r = client.post("/api/reports/market", headers=H, json={"tickers": ["SP500"], "start": "2018-01-01", "end": "2018-03-31", "lang": "zh"})
    job = _wait(client, r.json()["id"])
    assert job["status"] == "succeeded", job["error"]
    assert job["result"]["guard_ok"] is True and job["result"]["lang"] == "zh"
    files = {f["name"] for f in client.get(f"/api/jobs/{job['id']}/files", headers=H).json()}
    assert {"report.html", "report.pdf"} <= files
    pdf = client.get(f"/api/jobs/{job['id']}/files/report.pdf", headers=H)
    assert pdf.content.startswith(b"%PDF")


def test_compliance_text_flags_and_masks(client):
    r = client.post("/api/compliance/text", headers=H, json={"text": "Guaranteed 8% return! Card 4111 1111 1111 1111."})
    body = r.json()
    assert r.status_code == 200
    categories = {f["category"] for f in body["findings"]}
    assert "promissory" in categories
    assert "4111 1111 1111 1111" not in body["masked_text"]
    events = client.get("/api/audit?action=compliance.text", headers=H).json()
    assert events and "4111 1111 1111 1111" not in str(events)


def test_compliance_trades_job(client):
    csv = ("trade_id,timestamp,trader,account,symbol,side,quantity,price\n"
           "1,2024-03-04 10:00,ann,A1,AAPL,BUY,10,5\n2,2024-03-04 22:00,ann,A1,XYZ,BUY,10,5\n")
    client.post("/api/datasets", headers=H, files={"file": ("t.csv", csv.encode())}, data={"name": "blotter"})
    r = client.post("/api/compliance/trades", headers=H, json={"dataset": "blotter", "restricted_symbols": ["XYZ"]})
    job = _wait(client, r.json()["id"])
    assert job["status"] == "succeeded", job["error"]
    rules = {f["rule_id"] for f in job["result"]["findings"]}
    assert {"TRD-RESTRICTED", "TRD-HOURS"} <= rules
