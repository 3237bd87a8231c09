"""End to end in headless Chromium: sign in, upload a CSV, see its preview, watch a job reach 100%."""

from __future__ import annotations

import httpx

from .conftest import KEY, sign_in, upload


def test_sign_in_upload_preview_and_job_progress(server, page, tmp_path):
    csv = tmp_path / "loans.csv"
    csv.write_text("id,amount,segment,default\n1,1200.5,retail,0\n2,800.0,sme,1\n3,450.25,retail,0\n")

    page.goto(f"{server}/datasets")
    assert "/login" in page.url
    page.fill("#key", KEY)
    page.click("#signin")
    page.wait_for_url(f"{server}/datasets")

    page.fill("#name", "loans")
    page.set_input_files("#file", str(csv))
    page.fill("#target", "default")
    page.click("#upload")
    page.wait_for_url(f"{server}/datasets/loans")
    preview = page.inner_text("#preview")
    assert "1200.5" in preview and "retail" in preview
    assert "default" in page.inner_text("#metadata")

    page.click("#profile")
    page.wait_for_selector("#job-status:has-text('succeeded')", timeout=60_000)
    assert page.inner_text(".pct") == "100%"
    assert '"rows": 3' in page.inner_text("#job-result")

    # A longer job: the jobs page polls with htmx and its bar reaches 100%.
    job = httpx.post(
        f"{server}/api/jobs", headers={"X-API-Key": KEY}, json={"kind": "demo.count", "params": {"steps": 8, "delay": 0.25}}
    ).json()
    page.goto(f"{server}/jobs")
    locator = page.locator(f".pct[data-job='{job['id']}']")
    locator.wait_for()
    page.wait_for_function(
        "id => document.querySelector(`.pct[data-job='${id}']`)?.textContent === '100%'", arg=job["id"], timeout=60_000
    )
    page.screenshot(path=str(tmp_path / "jobs.png"))


def test_error_shown_for_a_bad_upload(server, page, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,c\n1,2,3\n4,5\n")
    sign_in(page, server)
    upload(page, server, "bad", bad)
    errors = page.inner_text("#upload-errors")
    assert "line" in errors.lower()
