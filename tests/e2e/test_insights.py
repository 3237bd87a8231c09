"""End to end in headless Chromium: the dataset page's Insights button runs the job, the report opens."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .conftest import sign_in, upload


def test_insights_button_to_report(server, page, tmp_path):
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "region": rng.choice(["North", "South", "East"], 400),
            "amount": rng.normal(100, 5, 400).round(2),
        }
    )
    df.loc[df["region"] == "North", "amount"] += 10
    csv = tmp_path / "ins.csv"
    df.to_csv(csv, index=False)
    sign_in(page, server)
    upload(page, server, "ins", csv)
    page.wait_for_url(f"{server}/datasets/ins")
    page.click("#insights")
    page.wait_for_selector("#job-status:has-text('succeeded')", timeout=90_000)
    link = page.locator("#report-link")
    assert link.get_attribute("href").endswith("/files/report.html")
    report = page.frame_locator("#report-frame")
    assert "Insights: ins" in report.locator("#insights-title").inner_text()
    assert "region = North" in report.locator(".insight").first.inner_text()
