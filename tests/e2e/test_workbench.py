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
    assert "3" in page.inner_text("#result-facts") and page.locator("#profile-table").is_visible()
    assert not page.locator("#job-result").is_visible()  # the raw JSON is behind its toggle
    page.click("#job-raw summary")
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
    errors = page.locator("#upload-errors")
    errors.wait_for()
    assert "line" in errors.inner_text().lower()
    # the form is left as it was: the chosen file is still there to fix the name or retry
    assert page.eval_on_selector("#file", "e => e.files.length") == 1 and page.input_value("#name") == "bad"


def test_dataset_name_is_checked_by_the_browser(server, page, tmp_path):
    sign_in(page, server)
    page.goto(f"{server}/datasets")
    page.fill("#name", "bad name!")
    # a pattern the browser cannot compile is ignored (patternMismatch stays false)
    assert page.eval_on_selector("#name", "e => e.validity.patternMismatch") is True
    page.fill("#name", "loans-2024_v1.csv")
    assert page.eval_on_selector("#name", "e => e.validity.valid") is True


def test_chinese_table_headers_stay_on_one_line(server, page, tmp_path):
    csv = tmp_path / "wide.csv"
    csv.write_text("a_rather_long_column_name,another_long_column_name,third_long_column_name,b,c,d,e,f,g,h\n"
                   + "1,2,3,4,5,6,7,8,9,10\n")
    sign_in(page, server)
    page.goto(f"{server}/lang/zh")
    page.goto(f"{server}/datasets")
    page.fill("#name", "wide")
    page.set_input_files("#file", str(csv))
    page.fill("#description", "monthly balances of retail customers by branch, region and product " * 3)
    page.click("#upload")
    page.wait_for_url(f"{server}/datasets/wide")
    page.goto(f"{server}/datasets")
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(tmp_path / "zh-datasets.png"))
    for header in page.locator("#datasets th").all():
        box = header.bounding_box()
        style = "e => { const s = getComputedStyle(e); return parseFloat(s.lineHeight) || 1.25 * parseFloat(s.fontSize); }"
        line = float(header.evaluate(style))
        assert box["height"] < 1.5 * line + 12, header.inner_text()  # one line, not a character per line
