"""Credit review over HTTP and on the pages: fit, score an upload, override (audited), letters."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app
from finloom.store._models import AuditEvent
from tests.apps.credit_review.conftest import make_applications

KEY = "fl_creditcredit_" + "c" * 32
ADMIN = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """An app with a fitted credit model and one scored queue."""
    app = create_app(
        Settings(workspace=tmp_path_factory.mktemp("credit"), bootstrap_admin_key=KEY),
        executor_mode="thread",
    )
    with TestClient(app) as client:
        wb = app.state.workbench
        data = make_applications(400)
        r = client.post(
            "/api/datasets",
            files={"file": ("apps.csv", data.to_csv(index=False).encode())},
            data={"name": "apps"},
            headers=ADMIN,
        )
        assert r.status_code == 201, r.text
        fit = client.post(
            "/api/credit/fit",
            json={
                "dataset": "apps",
                "target": "bad",
                "id_column": "app_id",
                "protected": "sex",
                "name": "cm",
            },
            headers=ADMIN,
        )
        assert fit.status_code == 202, fit.text
        assert wb.jobs.wait(fit.json()["id"], timeout=120).status == "succeeded"
        new = data.drop(columns=["bad"]).head(60).to_csv(index=False).encode()
        findings = b'{"A0001": [{"document": "payslip.pdf", "check": "income_match", "message": "Income differs"}]}'
        score = client.post(
            "/api/credit/score",
            files={"file": ("new.csv", new), "findings": ("f.json", findings)},
            data={"model": "cm"},
            headers=ADMIN,
        )
        assert score.status_code == 202, score.text
        job = wb.jobs.wait(score.json()["id"], timeout=120)
        assert job.status == "succeeded", job.error
        client.job_id = job.id
        yield client


def test_score_upload_makes_a_queue_with_reasons_and_findings(scored):
    queues = scored.get("/api/credit/queues", headers=ADMIN).json()
    assert [q["applications"] for q in queues] == [60]
    queue = scored.get(f"/api/credit/queues/{scored.job_id}", headers=ADMIN).json()
    first = {a["applicant_id"]: a for a in queue["applicants"]}["A0001"]
    assert first["findings"][0]["message"] == "Income differs" and first["reasons"][0]["zh"]
    assert "adverse_impact" in queue["monitoring"]


def test_override_needs_a_reason_and_is_audited(scored):
    url = f"/api/credit/queues/{scored.job_id}/applicants/A0002/override"
    assert scored.post(url, json={"band": "approve"}, headers=ADMIN).status_code == 422
    assert (
        scored.post(
            url, json={"band": "approve", "reason": "Guarantor added"}, headers=ADMIN
        ).status_code
        == 200
    )
    queue = scored.get(f"/api/credit/queues/{scored.job_id}", headers=ADMIN).json()
    assert queue["overrides"][-1]["reason"] == "Guarantor added"
    with scored.app.state.workbench.session() as session:
        actions = [e.action for e in session.query(AuditEvent).all()]
    assert "credit.override" in actions
    missing = scored.post(
        f"/api/credit/queues/{scored.job_id}/applicants/nobody/override",
        json={"band": "approve", "reason": "Guarantor added"},
        headers=ADMIN,
    )
    assert missing.status_code == 404


def test_letter_in_chinese_is_guarded(scored):
    queue = scored.get(f"/api/credit/queues/{scored.job_id}", headers=ADMIN).json()
    decided = next(a for a in queue["applicants"] if (a["final_band"] or a["band"]) != "refer")
    r = scored.get(
        f"/api/credit/queues/{scored.job_id}/applicants/{decided['applicant_id']}/letter?lang=zh",
        headers=ADMIN,
    )
    assert r.status_code == 200, r.text
    assert (
        r.json()["ok"] and r.json()["unsupported_numbers"] == 0 and "信用评分" in r.json()["text"]
    )


def test_statements_edit_saves_a_new_model_version(scored):
    r = scored.put(
        "/api/credit/models/cm/statements",
        json={"income": {"en": "Income too low", "zh": "收入偏低"}},
        headers=ADMIN,
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    table = scored.get("/api/credit/models/cm/statements", headers=ADMIN).json()
    assert table["income"] == {"en": "Income too low", "zh": "收入偏低"}
    bad = scored.put(
        "/api/credit/models/cm/statements", json={"income": {"fr": "x"}}, headers=ADMIN
    )
    assert bad.status_code == 422


def test_queue_page_override_form_end_to_end(scored):
    scored.post("/login", data={"key": KEY, "next": "/credit"})
    job_page = scored.get(f"/jobs/{scored.job_id}")
    assert "Applications scored" in job_page.text and "approve" in job_page.text
    page = scored.get("/credit")
    assert page.status_code == 200 and "new.csv" in page.text
    queue_page = scored.get(f"/credit/queues/{scored.job_id}")
    assert "Income differs" in queue_page.text and 'name="reason"' in queue_page.text
    no_reason = scored.post(
        f"/credit/queues/{scored.job_id}/override",
        data={"applicant_id": "A0003", "band": "decline", "reason": " "},
    )
    assert no_reason.status_code == 422 and "override reason must be given" in no_reason.text
    done = scored.post(
        f"/credit/queues/{scored.job_id}/override",
        data={"applicant_id": "A0003", "band": "decline", "reason": "Forged payslip"},
    )
    assert done.status_code == 200 and "Forged payslip" in done.text
    assert re.search(r"Override saved for\s+A0003", done.text)
    foreign = scored.post(
        f"/credit/queues/{scored.job_id}/override",
        headers={"Origin": "http://evil.example"},
        data={"applicant_id": "A0003", "band": "approve", "reason": "Because I say so"},
    )
    assert foreign.status_code == 403


def test_queue_page_shows_per_feature_csi_in_both_languages(scored):
    scored.post("/login", data={"key": KEY, "next": "/credit"})
    csi = scored.get(f"/api/credit/queues/{scored.job_id}", headers=ADMIN).json()["monitoring"]["csi"]
    page = scored.get(f"/credit/queues/{scored.job_id}")
    table = page.text.split('<table id="csi">')[1].split("</table>")[0]
    assert "Characteristic stability (CSI) per feature" in page.text
    rows = re.findall(r'<tr class="csi-(stable|watch|shifted)"><td translate="no">([^<]+)</td><td>([\d.]+)</td>', table)
    assert sorted(f for _, f, _ in rows) == sorted(csi)  # one row per scorecard feature, largest first
    assert [float(v) for _, _, v in rows] == sorted((round(v, 4) for v in csi.values()), reverse=True)
    assert table.count("<svg") == len(csi)
    scored.cookies.set("lang", "zh")
    try:
        zh = scored.get(f"/credit/queues/{scored.job_id}").text
    finally:
        scored.cookies.delete("lang")
    zh_table = zh.split('<table id="csi">')[1].split("</table>")[0]
    levels = re.findall(r"<td>(\S+)</td></tr>", zh_table)
    assert "各特征的特征稳定性指数（CSI）" in zh and "<th>特征</th>" in zh_table
    assert len(levels) == len(csi) and set(levels) <= {"稳定", "需关注", "已偏移"}


def _decided(client) -> str:
    queue = client.get(f"/api/credit/queues/{client.job_id}", headers=ADMIN).json()
    return next(a for a in queue["applicants"] if (a["final_band"] or a["band"]) != "refer")["applicant_id"]


def test_letter_as_pdf_is_authenticated_audited_and_typed(scored):
    url = f"/api/credit/queues/{scored.job_id}/applicants/{_decided(scored)}/letter"
    assert TestClient(scored.app).get(url, params={"format": "pdf"}).status_code == 401  # no key, no session
    r = scored.get(url, params={"format": "pdf", "lang": "zh"}, headers=ADMIN)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert re.search(r'attachment; filename=".+-(approval|adverse)-zh\.pdf"', r.headers["content-disposition"])
    with scored.app.state.workbench.session() as session:
        formats = [e.details.get("format") for e in session.query(AuditEvent).filter_by(action="credit.letter")]
    assert "pdf" in formats
    assert scored.get(url, params={"format": "docx"}, headers=ADMIN).status_code == 422


def test_a_held_letter_is_not_printed(scored, monkeypatch):
    monkeypatch.setattr(
        "finloom.services.credit.compliance_findings",
        lambda text, lang: [{"rule_id": "x", "message": "Promises approval"}],
    )
    url = f"/api/credit/queues/{scored.job_id}/applicants/{_decided(scored)}/letter"
    r = scored.get(url, params={"format": "pdf"}, headers=ADMIN)
    assert r.status_code == 409
    assert r.json()["detail"].startswith("letter must pass the guard and the compliance rules to be printed")
    assert "Promises approval" in r.json()["detail"]


def test_letters_job_writes_the_pdfs_of_a_queue(scored):
    wb = scored.app.state.workbench
    r = scored.post(
        "/api/jobs",
        json={"kind": "credit.letters", "params": {"queue": scored.job_id, "langs": ["en"], "pdf": True}},
        headers=ADMIN,
    )
    assert r.status_code == 202, r.text
    job = wb.jobs.wait(r.json()["id"], timeout=120)
    assert job.status == "succeeded", job.error
    names = [f["name"] for f in scored.get(f"/api/jobs/{job.id}/files", headers=ADMIN).json()]
    pdfs = [n for n in names if n.startswith("letters/") and n.endswith("-en.pdf")]
    assert len(pdfs) == job.result["letters"] > 0 and job.result["held"] == 0
    pdf = scored.get(f"/api/jobs/{job.id}/files/{pdfs[0]}", headers=ADMIN)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    bad = scored.post("/api/jobs", json={"kind": "credit.letters", "params": {"queue": "nope"}}, headers=ADMIN)
    assert bad.status_code == 404 and "credit.score job" in bad.json()["detail"]
