"""Credit review in Chromium: score an upload, override a band with a reason, see it counted."""

from __future__ import annotations

import time

import httpx

from tests.apps.credit_review.conftest import make_applications

from .conftest import KEY, sign_in

HEADERS = {"X-API-Key": KEY}


def _wait(server: str, job_id: str) -> dict:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        job = httpx.get(f"{server}/api/jobs/{job_id}", headers=HEADERS).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            assert job["status"] == "succeeded", job
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} did not finish")


def test_analyst_overrides_a_band_with_a_reason(server, page):
    data = make_applications(400)
    r = httpx.post(
        f"{server}/api/datasets",
        headers=HEADERS,
        data={"name": "credit-apps"},
        files={"file": ("apps.csv", data.to_csv(index=False).encode())},
    )
    assert r.status_code == 201, r.text
    fit = httpx.post(
        f"{server}/api/credit/fit",
        headers=HEADERS,
        timeout=30,
        json={"dataset": "credit-apps", "target": "bad", "id_column": "app_id", "name": "cm"},
    )
    _wait(server, fit.json()["id"])
    new = data.drop(columns=["bad"]).head(30).to_csv(index=False).encode()
    score = httpx.post(
        f"{server}/api/credit/score",
        headers=HEADERS,
        data={"model": "cm"},
        files={"file": ("batch.csv", new)},
        timeout=30,
    )
    job = _wait(server, score.json()["id"])

    sign_in(page, server)
    page.wait_for_url(f"{server}/")
    page.goto(f"{server}/credit")
    page.click("#queues a")
    page.wait_for_url(f"{server}/credit/queues/{job['id']}")
    row = page.locator("#applicant-A0005")
    assert row.locator(".reasons li").count() >= 1
    band = row.locator("select[name=band]")
    new_band = "approve" if band.input_value() == "decline" else "decline"
    band.select_option(new_band)
    row.locator("input[name=reason]").fill("Bank statement shows undisclosed debt")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("#saved")
    assert "Bank statement shows undisclosed debt" in page.locator("#applicant-A0005").inner_text()
    rates = page.locator("#override-rates").inner_text()
    assert "1" in rates
    assert page.locator("#applicant-A0005 .band").inner_text().startswith(new_band)
    queue = httpx.get(f"{server}/api/credit/queues/{job['id']}", headers=HEADERS).json()
    assert queue["overrides"][-1]["reason"] == "Bank statement shows undisclosed debt"
