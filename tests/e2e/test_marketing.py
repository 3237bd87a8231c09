"""End to end in headless Chromium: upload a small campaign log, build a campaign on the marketing page,
see its contact list, gains chart, segment profiles and checked copy, then plan an A/B test."""

from __future__ import annotations

from tests.apps.marketing.data import campaign_table

from .conftest import sign_in, upload


def test_campaign_built_in_the_browser(server, page, tmp_path):
    csv = tmp_path / "camp.csv"
    campaign_table(400, seed=7).to_csv(csv, index=False)
    sign_in(page, server)
    upload(page, server, "camp", csv)
    page.wait_for_url(f"{server}/datasets/camp")
    page.goto(f"{server}/marketing")
    page.select_option("#dataset", "camp")
    page.fill("#target", "y")
    page.fill("#positive", "yes")
    page.fill("#id_column", "customer")
    page.fill("#budget", "100")
    page.fill("#cost", "2")
    page.click("#start-campaign")
    page.wait_for_selector("#campaign-summary", timeout=120_000)
    assert page.inner_text("#contact-count") == "50"
    assert page.locator("#contacts tr").count() == 51  # header + 50 contacts
    assert page.locator("#profiles .profile").count() >= 2
    assert "customers" in page.locator("#profiles .profile").first.inner_text()
    assert page.evaluate("document.querySelector('#gains-chart').naturalWidth") > 0
    assert page.locator("#copy tr.ok").count() > 0
    page.goto(f"{server}/marketing")
    assert page.locator("#campaigns a").count() >= 1
    page.fill("#baseline", "0.1")
    page.fill("#mde", "0.02")
    page.click("#plan-test")
    assert "3,835" in page.inner_text("#plan-result")
