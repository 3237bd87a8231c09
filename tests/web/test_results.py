"""Readable job results, the model pages, downloads without weights and small page fixes."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app
from finloom.store._models import Job
from finloom.web._results import fmt, is_model_weight, result_view

KEY = "fl_resresresres_" + "r" * 32


@pytest.fixture
def client(tmp_path):
    app = create_app(Settings(workspace=tmp_path, bootstrap_admin_key=KEY, assistant_dense=False), executor_mode="thread")
    with TestClient(app) as c:
        c.post("/login", data={"key": KEY, "next": "/"})
        yield c


def _job(client, kind, result):
    job_id = str(uuid.uuid4())
    with client.app.state.workbench.session() as session:
        session.add(Job(id=job_id, kind=kind, params={}, status="succeeded", progress=1.0, message="done", result=result))
    return job_id


def test_synth_result_reads_as_verdicts_with_the_json_behind_a_toggle(client):
    job_id = _job(client, "synth.fit", {"model": "loans-copula", "version": 1, "sample_rows": 800,
                                         "metrics": {"quality": 0.912345678901, "c2st_auc": 0.6312345678901234}})
    page = client.get(f"/jobs/{job_id}").text
    assert "C2ST AUC (detection)" in page and "0.631" in page and "hard to tell apart from real: good" in page
    assert "0.6312345678901234" not in page.split('<details id="job-raw">')[0]  # only in the raw JSON
    assert '<details id="job-raw"><summary>Raw result (JSON)</summary>' in page
    assert 'href="/models/loans-copula"' in page


def test_trade_findings_are_a_table_sorted_by_severity(client):
    findings = [{"rule_id": "TRD-HOURS", "severity": "medium", "explanation": "after hours", "row": "3"},
                {"rule_id": "TRD-WASH", "severity": "critical", "explanation": "wash", "row": "1+2"},
                {"rule_id": "TRD-LIMIT-TRADE", "severity": "high", "explanation": "too big", "row": "9"}]
    page = client.get(f"/jobs/{_job(client, 'compliance.trades', {'count': 3, 'findings': findings})}").text
    table = page.split('id="findings-table"')[1].split("</table>")[0]
    assert table.index("TRD-WASH") < table.index("TRD-LIMIT-TRADE") < table.index("TRD-HOURS")
    assert "/work" not in page and "/tmp" not in page.split("<details")[0]


@pytest.mark.parametrize("kind, result, text", [
    ("nlp.train", {"model": "c", "metrics": {"n_train": 8, "n_test": 2, "accuracy": 0.57, "macro_f1": 0.5}}, "not reliable: poor"),
    ("nlp.train_ner", {"model": "t", "metrics": {"entity_f1": 0.83}, "entity_types": ["ORG"]}, "finds most entities: good"),
    ("report.market", {"title": "Markets", "narrative": "Up 1%.", "guard_ok": True}, "every number traced to the data: good"),
    ("market.simulate", {"model": "m", "paths": 5, "days": 3, "scores": {"ks": 0.2}}, "returns unlike the real ones: poor"),
    ("lab.run", {"train_end": "2017-12-29", "test_days": 5, "summary": [{"params": {"fast": 1, "slow": 2}, "prob_loss": 0.25}]}, "25.0%"),
    ("dataset.profile", {"rows": 3, "columns": [{"name": "a", "kind": "numerical", "null_rate": 0, "distinct": 3, "mean": 1.5}]}, "numerical"),
])
def test_every_kind_has_a_readable_result(client, kind, result, text):
    page = client.get(f"/jobs/{_job(client, kind, result)}").text
    assert 'id="result-view"' in page and text in page


def test_model_weights_are_not_job_downloads():
    assert is_model_weight("model/encoder/model.safetensors") and is_model_weight("onnx/model.onnx")
    assert not is_model_weight("report/report.html") and not is_model_weight("sample.csv")


def test_result_view_formats_numbers_for_people():
    assert fmt(0.6312345678901234) == "0.631" and fmt(2000) == "2,000"
    view = result_view("synth.fit", {"metrics": {"c2st_auc": 0.9}})
    assert view is not None and view.facts[1].verdict == "poor"


def _model(client, tmp_path, name="clf", **info):
    folder = tmp_path / f"src-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"\0" * 10)
    (folder / "MODEL_CARD.md").write_text("# Model card: intents\n", encoding="utf-8")
    return client.app.state.workbench.artifacts.import_dir(name, folder, kind="TextClassifier", class_path="x:y", **info)


def test_models_page_links_names_and_formats_metrics(client, tmp_path):
    _model(client, tmp_path, metrics={"accuracy": 0.8712345678901234})
    _model(client, tmp_path, metrics={"accuracy": 0.9012345678901234})
    page = client.get("/models").text
    assert '<a href="/models/clf">clf</a>' in page and "0.901" in page and "0.9012345" not in page
    assert page.count('href="/models/clf"') == 1 and "2 versions" in page


def test_model_page_has_card_metrics_lineage_licences_versions_and_download(client, tmp_path):
    _model(client, tmp_path, metrics={"accuracy": 0.5})
    _model(client, tmp_path, metrics={"accuracy": 0.8712345678901234, "per_class": {"a": 0.5}},
           lineage={"dataset": "loans", "version": 3}, licences=["CC BY 4.0"])
    page = client.get("/models/clf").text
    assert "Model card: intents" in page and "0.871" in page and "per_class.a" in page
    assert "loans" in page and "CC BY 4.0" in page and 'href="/models/clf?version=1"' in page
    old = client.get("/models/clf?version=1").text
    assert "0.5" in old and "CC BY 4.0" not in old
    r = client.get("/models/clf/download?version=2")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "model/model.safetensors" in names and "manifest.json" in names
    assert client.get("/models/nope").status_code == 404


def test_model_page_shows_the_robustness_report_when_the_model_has_one(client, tmp_path):
    import json

    from finloom.nlp.perturb import RobustnessReport

    info = _model(client, tmp_path)
    assert 'id="model-robustness"' not in client.get("/models/clf").text
    report = RobustnessReport("accuracy", 0.9, 10, [
        {"kind": "typo_swap", "severity": 0.1, "score": 0.8, "drop": 0.1, "n_changed": 10, "n_flipped": 1,
         "examples": []}])
    (info.path / "robustness.json").write_text(json.dumps(report.to_dict()), encoding="utf-8")
    page = client.get("/models/clf").text
    assert 'id="model-robustness"' in page and "typo_swap" in page and "+10.0" in page
    assert "data:image/png;base64," in page
    client.cookies.set("lang", "zh")
    assert "鲁棒性" in client.get("/models/clf").text


def test_favicon_is_served(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.content[:4] == b"\0\0\1\0"


def test_upload_problems_keep_the_form_when_sent_by_htmx(client):
    r = client.post("/datasets", files={"file": ("x.csv", b"a,a\n1,2\n")}, data={"name": "x"}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'id="upload-errors"' in r.text and "<form" not in r.text
    r = client.post("/datasets", files={"file": ("d.csv", b"a,b\n1,2\n")}, data={"name": "d"}, headers={"HX-Request": "true"})
    assert r.headers["HX-Redirect"] == "/datasets/d"


def test_asking_twice_for_a_person_says_so(client):
    client.app.state.workbench.assistant_warmup.start().wait(120)
    client.get("/assistant")
    assert "already in the queue" not in client.post("/assistant/handoff").text
    r = client.post("/assistant/handoff")
    assert r.status_code == 200 and "already in the queue for a person" in r.text


def test_back_to_the_assistant_button_leaves_the_queue(client):
    client.app.state.workbench.assistant_warmup.start().wait(120)
    assert 'id="back-to-bot"' in client.get("/assistant?new=1").text
    assert "not waiting for a person" in client.post("/assistant/back").text
    client.post("/assistant/handoff")
    r = client.post("/assistant/back")
    assert r.status_code == 200 and "taken you out of the queue" in r.text


def test_market_page_offers_only_price_tables_and_says_what_is_needed(client):
    prices = b"date,close\n2024-01-02,100\n2024-01-03,101\n2024-01-04,99\n"
    credit = b"applied,income,segment\n2024-01-02,100,a\n2024-01-03,200,b\n2024-01-04,300,a\n"
    client.post("/datasets", files={"file": ("p.csv", prices)}, data={"name": "prices"})
    client.post("/datasets", files={"file": ("c.csv", credit)}, data={"name": "credit"})
    page = client.get("/market").text
    series = page.split('id="source"')[1].split("</select>")[0]
    assert 'value="prices"' in series and 'value="credit"' not in series
    assert 'id="series-help"' in page and "a date column and price columns" in page
    models = page.split('id="model"')[1].split("</select>")[0]
    assert '<option value="fhs" selected>' in models and 'value="ddpm"' in models and "hybrid" not in models


def _first_option(page: str, select_id: str) -> str:
    return page.split(f'id="{select_id}"')[1].split('value="')[1].split('"')[0]


def test_dropdowns_default_to_a_table_that_fits_the_form(client):
    tables = {
        "bank_intents": b"text,label\nmy card is lost,lost_card\nwhat is the fee,fees\nhi there,greeting\n",
        "credit": b"income,segment,default\n100,a,0\n200,b,1\n300,a,0\n",
        "trade_blotter": b"trade_id,timestamp,trader,account,symbol,side,quantity,price\n1,2024-03-04 10:00,ann,A1,AAPL,BUY,10,5\n",
    }
    for name, data in tables.items():
        target = {"target": "default"} if name == "credit" else {}
        client.post("/datasets", files={"file": (f"{name}.csv", data)}, data={"name": name, **target})
    assert _first_option(client.get("/compliance").text, "dataset") == "trade_blotter"
    assert _first_option(client.get("/synth").text, "dataset") == "credit"
    nlp = client.get("/nlp").text
    assert _first_option(nlp, "dataset") == "bank_intents"
    assert 'id="epochs" name="epochs" value="3"' in nlp  # as the README says: 3 epochs, under a minute


def test_raw_json_shows_chinese_as_written(client):
    page = client.get(f"/jobs/{_job(client, 'report.market', {'title': '市场报告', 'narrative': '标普 500 上涨。', 'guard_ok': True})}").text
    raw = page.split('<pre id="job-result">')[1].split("</pre>")[0]
    assert "市场报告" in raw and "\\u5e02" not in raw


def test_classifier_job_embeds_its_report_and_lists_no_weights(client):
    job_id = _job(client, "nlp.train", {"model": "intents-classifier", "metrics": {"n_train": 8, "n_test": 2}})
    root = client.app.state.workbench.workspace / "jobs" / job_id
    (root / "report").mkdir(parents=True)
    (root / "model").mkdir()
    (root / "report" / "report.html").write_text("<html>report</html>")
    (root / "model" / "model.safetensors").write_bytes(b"\0" * 1024)
    page = client.get(f"/jobs/{job_id}").text
    assert f'<iframe id="report-frame" src="/api/jobs/{job_id}/files/report/report.html"' in page
    assert "model.safetensors" not in page and 'id="weights-note"' in page
    assert 'href="/models/intents-classifier"' in page


def test_report_form_says_what_is_wrong_with_a_date(client):
    r = client.post("/reports/market", data={"start": "2018-13-45", "end": "2018-12-31", "tickers": ["SP500"], "lang": "en"})
    assert r.status_code == 422 and "start must be a valid date" in r.text and "2018-13-45" in r.text
