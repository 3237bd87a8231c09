"""The workbench's encoder setting reaches its jobs: a tagger trained in a job uses that encoder."""

from __future__ import annotations

import json
import os
import time

from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app
from tests.nlp.conftest import make_tiny_bert

KEY = "fl_encoderencode_" + "e" * 32
H = {"X-API-Key": KEY}


def test_encoder_path_setting_is_used_by_training_jobs(tmp_path, monkeypatch):
    monkeypatch.delenv("FINLOOM_ENCODER_PATH", raising=False)
    encoder = make_tiny_bert(tmp_path / "enc")
    settings = Settings(workspace=tmp_path / "ws", bootstrap_admin_key=KEY, encoder_path=encoder)
    rows = "sentence,word,tag\n" + "".join(f"{i},acme,B-ORG\n{i},pays,O\n{i},lender,B-PER\n" for i in range(8))
    with TestClient(create_app(settings, executor_mode="thread")) as client:
        client.post("/api/datasets", headers=H, files={"file": ("t.csv", rows.encode())}, data={"name": "t"})
        job = client.post("/api/nlp/train-ner", headers=H, json={"dataset": "t", "epochs": 1}).json()
        deadline = time.monotonic() + 120
        while job["status"] not in ("succeeded", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
            job = client.get(f"/api/jobs/{job['id']}", headers=H).json()
        assert job["status"] == "succeeded", job["error"]
        model = client.get("/api/models/t-tagger", headers=H).json()
    saved = next((tmp_path / "ws").rglob("encoder/config.json"))
    assert json.loads(saved.read_text())["hidden_size"] == 32 and model["kind"] == "TokenTagger"
    assert "FINLOOM_ENCODER_PATH" not in os.environ  # passed to the job, not through the environment
