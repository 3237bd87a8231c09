"""Area pages render for a signed-in user; their forms start jobs (analyst) or explain why not (viewer)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finloom.apps.engine_jobs import NlpTrainParams
from finloom.config import Settings
from finloom.server import create_app

KEY = "fl_areaareaarea_" + "a" * 32


@pytest.fixture
def client(tmp_path):
    app = create_app(Settings(workspace=tmp_path), executor_mode="thread")
    with TestClient(app) as c:
        wb = app.state.workbench
        wb.ensure_key("admin", "admin", KEY)
        c.post("/login", data={"key": KEY})
        csv = "id,text,label,when,price\n" + "".join(f"{i},text {i},{'ab'[i % 2]},2024-01-{i:02d},{100 + i}\n" for i in range(1, 29))
        c.post("/datasets", files={"file": ("d.csv", csv.encode())}, data={"name": "d"})
        yield c


@pytest.mark.parametrize("path", ["/synth", "/nlp", "/reports", "/compliance", "/market", "/assistant"])
def test_area_pages_render_and_light_up_on_home(client, path):
    if path == "/assistant":  # built in the background; the page says "warming up" until then
        client.app.state.workbench.assistant_warmup.wait(timeout=300)
    r = client.get(path)
    assert r.status_code == 200 and "<form" in r.text
    assert f'<a class="tile" href="{path}"' in client.get("/").text


@pytest.mark.parametrize(
    ("path", "form", "kind"),
    [
        ("/synth/fit", {"dataset": "d", "model": "copula"}, "synth.fit"),
        ("/nlp/train", {"dataset": "d", "text_column": "text", "label_column": "label"}, "nlp.train"),
        ("/nlp/train-ner", {"dataset": "d", "epochs": "1"}, "nlp.train_ner"),
        ("/reports/market", {"tickers": "SP500", "start": "2018-01-01", "end": "2018-02-28", "lang": "en"}, "report.market"),
        ("/market/lab", {"fast": "10", "slow": "50"}, "lab.run"),
        ("/compliance/trades", {"dataset": "d"}, "compliance.trades"),
    ],
)
def test_forms_start_jobs(client, path, form, kind):
    r = client.post(path, data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
    job_id = r.headers["location"].rsplit("/", 1)[1]
    job = client.app.state.workbench.jobs.wait(job_id, timeout=300)  # let thread-mode jobs end before teardown
    assert job.kind == kind and job.status in ("succeeded", "failed")


def test_form_problems_are_shown(client):
    r = client.post("/market/lab", data={"fast": "50", "slow": "10"})
    assert r.status_code == 422 and "fast windows must be shorter than slow windows" in r.text
    r = client.post("/synth/fit", data={"dataset": "nope", "model": "copula"})
    assert r.status_code == 422 and "dataset must be a registered dataset" in r.text
    r = client.post("/nlp/train-ner", data={"dataset": "d", "epochs": "many"})
    assert r.status_code == 422 and (
        "epochs must be a valid integer, unable to parse string as an integer; got &#39;many&#39;. "
        "Training epochs (empty: the default)." in r.text
    )
    r = client.post("/nlp/entities", data={"model": "nope", "text": "Acme pays"})
    assert "model must be a saved model; got &#39;nope&#39;." in r.text
    r = client.post("/compliance/text", data={"text": "Guaranteed returns, no risk at all!"})
    assert "findings-table" in r.text


def test_nlp_tagger_form_offers_token_tables_first(client):
    csv = "sentence,word,tag\n1,Acme,B-ORG\n1,pays,O\n"
    client.post("/datasets", files={"file": ("t.csv", csv.encode())}, data={"name": "tokens"})
    page = client.get("/nlp").text
    tagger_form = page[page.index('id="ner-dataset"'):]
    assert tagger_form.index('value="tokens"') < tagger_form.index('value="d"')


def test_nlp_form_int8_box_asks_for_an_int8_copy(client):
    r = client.post("/nlp/train", data={"dataset": "d", "int8": "1"}, follow_redirects=False)
    assert r.status_code == 303
    job = client.app.state.workbench.jobs.wait(r.headers["location"].rsplit("/", 1)[1], timeout=300)
    assert job.params == NlpTrainParams(dataset="d", int8=True).model_dump(mode="json")  # the API's model
    assert 'name="int8"' in client.get("/nlp").text


def test_nlp_forms_send_the_robust_training_options(client):
    page = client.get("/nlp").text
    assert 'name="augment"' in page and 'name="adversarial"' in page and 'name="robustness"' in page
    r = client.post("/nlp/train", data={"dataset": "d", "augment": "1", "adversarial": "fgm", "normalize_text": "1",
                                        "robustness": "1"}, follow_redirects=False)
    assert r.status_code == 303
    job = client.app.state.workbench.jobs.get(r.headers["location"].rsplit("/", 1)[1])
    assert (job.params["augment"], job.params["adversarial"], job.params["normalize_text"], job.params["robustness"]) == (
        1, "fgm", True, True)
    r = client.post("/nlp/train-ner", data={"dataset": "d", "augment": "9"})
    assert r.status_code == 422 and "augment" in r.text
