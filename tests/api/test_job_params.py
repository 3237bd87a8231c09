"""Job parameters over HTTP: typed per kind, files confined to the import folders, sizes bounded."""

from __future__ import annotations

import json

TOKENS = "sentence,word,tag\n" + "".join(f"{i},acme,B-ORG\n{i},pays,O\n" for i in range(6))


def _tokens(client, headers):
    r = client.post("/api/datasets", headers=headers, files={"file": ("t.csv", TOKENS.encode())}, data={"name": "toks"})
    assert r.status_code == 201, r.text


def test_test_path_outside_the_import_folders_is_refused(app, client, analyst):
    _tokens(client, analyst)
    params = {"dataset": "toks", "test_path": "/etc/passwd"}
    r = client.post("/api/jobs", headers=analyst, json={"kind": "nlp.train_ner", "params": params})
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "test_path must be a file inside the workspace's imports folder or a FINLOOM_IMPORT_ROOTS folder; "
        "got '/etc/passwd'. Copy the file into the imports folder and pass its path relative to it."
    )
    assert "root:" not in r.text
    assert client.get("/api/jobs", headers=analyst).json() == []  # nothing was queued


def test_encoder_pointing_at_the_workspace_is_refused_without_a_listing(app, client, analyst):
    _tokens(client, analyst)
    workspace = str(app.state.workbench.workspace)
    r = client.post("/api/nlp/train-ner", headers=analyst, json={"dataset": "toks", "encoder": workspace})
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "encoder must be a registered model or a model folder inside the workspace's imports folder or a "
        f"FINLOOM_IMPORT_ROOTS folder; got '{workspace}'. Leave it empty for the default encoder, or copy "
        "the model folder into the imports folder and pass its path relative to it."
    )
    assert ".secret_key" not in r.text and "finloom.db" not in r.text


def test_encoder_folder_inside_the_imports_folder_must_hold_a_model(app, client, analyst):
    _tokens(client, analyst)
    folder = app.state.workbench.workspace / "imports" / "enc"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("not a model")
    r = client.post("/api/jobs", headers=analyst, json={"kind": "nlp.train", "params": {"dataset": "toks", "encoder": "enc"}})
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "encoder must be a folder holding a Hugging Face model (config.json and model weights); got 'enc'. "
        "Copy the complete model folder into the imports folder."
    )
    assert "notes.txt" not in r.text and str(folder) not in r.text


def test_unknown_parameters_are_refused(client, analyst):
    r = client.post("/api/jobs", headers=analyst, json={"kind": "demo.count", "params": {"steps": 2, "data_pth": "/etc"}})
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "parameters must be those of demo.count (delay, fail_at, steps, write); got 'data_pth'. "
        "Remove it; GET /api/jobs/kinds/demo.count describes each parameter."
    )


def test_a_bad_value_gets_the_same_detail_from_the_jobs_route_and_the_area_route(client, analyst):
    _tokens(client, analyst)
    expected = "test_size must be less than 0.9; got 2. Share of the sentences held out for the entity report (0 = none)."
    r = client.post("/api/jobs", headers=analyst, json={"kind": "nlp.train_ner", "params": {"dataset": "toks", "test_size": 2}})
    assert r.status_code == 422 and r.json()["detail"] == expected
    r = client.post("/api/nlp/train-ner", headers=analyst, json={"dataset": "toks", "test_size": 2})
    assert r.status_code == 422 and r.json()["detail"] == expected


def test_several_problems_are_all_listed(client, analyst):
    r = client.post("/api/jobs", headers=analyst, json={"kind": "demo.count", "params": {"steps": 0, "delay": -1}})
    body = r.json()
    assert r.status_code == 422 and body["detail"].startswith("parameters have 2 problems:\n  - steps must")
    assert body["problems"] == [
        "steps must be greater than or equal to 1; got 0. Number of steps to count.",
        "delay must be greater than or equal to 0; got -1. Seconds to wait at each step.",
    ]


def test_kind_description_lists_parameters(client, viewer):
    schema = client.get("/api/jobs/kinds/nlp.train_ner", headers=viewer).json()
    assert {"dataset", "test_path", "encoder", "test_size"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False
    r = client.get("/api/jobs/kinds/nlp.tran_ner", headers=viewer)
    assert r.status_code == 400 and r.json()["detail"].endswith("Did you mean 'nlp.train_ner'?")


def test_oversized_params_are_refused(client, analyst):
    params = {"steps": 1, "delay": 0, "note": "x" * 100_000}
    r = client.post("/api/jobs", headers=analyst, json={"kind": "demo.count", "params": params})
    assert r.status_code == 413
    assert r.json()["detail"] == "params must be at most 64 KiB as JSON; got 98 KiB. Send fewer or shorter values."


def test_oversized_json_body_is_refused_before_parsing(client, analyst):
    body = json.dumps({"kind": "demo.count", "params": {"steps": 1, "blob": "x" * (9 * 2**20)}})
    r = client.post("/api/jobs", headers={**analyst, "Content-Type": "application/json"}, content=body)
    assert r.status_code == 413
    assert r.json()["detail"] == (
        "request body must be at most 8 MiB; got 9.0 MiB. Send less data; upload tables with POST /api/datasets."
    )


def test_oversized_chunked_body_is_refused(client, analyst):
    chunks = (b"x" * 2**20 for _ in range(10))  # no Content-Length: counted while read
    r = client.post("/api/jobs", headers={**analyst, "Content-Type": "application/json"}, content=chunks)
    assert r.status_code == 413
    assert r.json()["detail"] == (
        "request body must be at most 8 MiB; got more than 8 MiB. Send less data; upload tables with POST /api/datasets."
    )


def test_job_list_is_paginated_summaries(client, analyst):
    ids = [client.post("/api/jobs", headers=analyst, json={"kind": "demo.count", "params": {"steps": 1, "delay": 0}}).json()["id"]
           for _ in range(3)]
    r = client.get("/api/jobs?limit=2", headers=analyst)
    page = r.json()
    assert r.status_code == 200 and r.headers["X-Total-Count"] == "3" and len(page) == 2
    assert "params" not in page[0] and "result" not in page[0]
    rest = client.get("/api/jobs?limit=2&offset=2", headers=analyst).json()
    assert sorted(j["id"] for j in page + rest) == sorted(ids)
    assert client.get("/api/jobs?limit=1000", headers=analyst).status_code == 422
