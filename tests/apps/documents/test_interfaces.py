"""Documents through every interface: API upload → job → results; page upload → findings boxed; CLI generate."""

from __future__ import annotations

import io
import json

import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.documents import generate_document
from finloom.server import create_app
from tests.documents.conftest import needs_tesseract

KEY = "fl_docsdocsdocs_" + "a" * 32


@pytest.fixture
def client(tmp_path):
    app = create_app(Settings(workspace=tmp_path), executor_mode="thread")
    with TestClient(app) as c:
        c.app.state.workbench.ensure_key("admin", "admin", KEY)
        yield c


def _png(doc) -> bytes:
    buffer = io.BytesIO()
    doc.image.save(buffer, "PNG")
    return buffer.getvalue()


@needs_tesseract
def test_api_check_reads_a_payslip_and_reports_the_planted_name_mismatch(client):
    doc = generate_document("payslip", "en", noise="light", fraud="name_mismatch", seed=11)
    declared = doc.truth["declared"]
    r = client.post(
        "/api/documents/check",
        headers={"X-API-Key": KEY},
        files={"files": ("slip.png", _png(doc))},
        data={
            "lang": "en",
            "name": declared["name"],
            "monthly_income": str(declared["monthly_income"]),
            "as_of": declared["as_of"],
        },
    )
    assert r.status_code == 202, r.text
    job = client.app.state.workbench.jobs.wait(r.json()["id"], timeout=120)
    assert job.status == "succeeded", job.error
    results = client.get(f"/api/documents/check/{job.id}", headers={"X-API-Key": KEY}).json()
    page = results["pages"][0]
    assert (
        page["doc_type"] == "payslip"
        and page["fields"]["net_income"]["value"] == doc.truth["fields"]["net_income"]
    )
    assert [f["check"] for f in page["findings"]] == ["name_mismatch"] and page["findings"][0][
        "boxes"
    ]


def test_api_check_results_of_an_unknown_job_are_404(client):
    r = client.get("/api/documents/check/nope", headers={"X-API-Key": KEY})
    assert r.status_code == 404


def test_api_check_refuses_an_empty_upload_with_a_clear_reason_in_the_results(client):
    r = client.post(
        "/api/documents/check", headers={"X-API-Key": KEY}, files={"files": ("empty.png", b"")}
    )
    assert r.status_code == 202, r.text
    job = client.app.state.workbench.jobs.wait(r.json()["id"], timeout=60)
    page = client.get(f"/api/documents/check/{job.id}", headers={"X-API-Key": KEY}).json()["pages"][
        0
    ]
    assert page["error"].startswith("001-empty.png must be a non-empty image or PDF; got 0 bytes")


@needs_tesseract
def test_page_upload_shows_the_page_with_its_findings(client):
    client.post("/login", data={"key": KEY})
    assert '<a class="tile" href="/documents"' in client.get("/").text
    doc = generate_document("utility_bill", "en", noise="none", fraud="wrong_date", seed=5)
    declared = doc.truth["declared"]
    r = client.post(
        "/documents/check",
        files={"files": ("bill.png", _png(doc))},
        data={"lang": "en", "name": declared["name"], "as_of": declared["as_of"]},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    job_id = r.headers["location"].rsplit("/", 1)[1]
    assert client.app.state.workbench.jobs.wait(job_id, timeout=120).status == "succeeded"
    page = client.get(r.headers["location"]).text
    assert 'class="finding high"' in page and "stale_document" in page
    image = client.get(f"/documents/jobs/{job_id}/files/001-p1.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_page_generate_shows_a_sample_grid(client):
    client.post("/login", data={"key": KEY})
    r = client.post(
        "/documents/generate",
        data={"n": "2", "lang": "zh", "noise": "light"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    job_id = r.headers["location"].rsplit("/", 1)[1]
    assert client.app.state.workbench.jobs.wait(job_id, timeout=120).status == "succeeded"
    page = client.get(r.headers["location"]).text
    assert page.count("<img") == 2
    too_many = client.post("/documents/generate", data={"n": "50"})
    assert (
        too_many.status_code == 422 and "n must be at most 12 on this page; got 50" in too_many.text
    )


def test_cli_generate_writes_images_truth_and_manifest(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import finloom.cli._jobs as cli_jobs
    from finloom.cli.main import app

    monkeypatch.setattr(cli_jobs, "EXECUTOR_MODE", "thread")
    monkeypatch.setenv("FINLOOM_WORKSPACE", str(tmp_path / "ws"))
    out = tmp_path / "docs"
    result = CliRunner().invoke(
        app,
        [
            "documents",
            "generate",
            "--n",
            "2",
            "--noise",
            "none",
            "--fraud-rate",
            "1",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert [m["file"] for m in manifest] == ["doc-0001.png", "doc-0002.png"] and all(
        m["fraud"] for m in manifest
    )
    assert json.loads((out / "doc-0001.json").read_text())["doc_type"] == "payslip"
    bad = CliRunner().invoke(
        app, ["documents", "generate", "--n", "2", "--noise", "loud", "--out", str(out)]
    )
    assert bad.exit_code == 1 and "noise" in bad.output
