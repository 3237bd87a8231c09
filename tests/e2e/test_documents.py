"""End to end in headless Chromium: upload a generated payslip with a planted name mismatch on the
Documents page, wait for the check job, then see the finding listed and boxed on the page image."""

from __future__ import annotations

import shutil

import pytest

from finloom.documents import generate_document

from .conftest import sign_in


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is not installed")
def test_upload_a_document_and_see_its_findings_highlighted(server, page, tmp_path):
    doc = generate_document("payslip", "en", noise="light", fraud="name_mismatch", seed=21)
    path = tmp_path / "slip.png"
    doc.image.save(path)
    declared = doc.truth["declared"]
    sign_in(page, server)
    page.goto(f"{server}/documents")
    page.set_input_files("#files", str(path))
    page.fill("#name", declared["name"])
    page.fill("#monthly_income", str(declared["monthly_income"]))
    page.fill("#as_of", declared["as_of"])
    page.click("#check")
    page.wait_for_selector("#doc-summary", timeout=240_000)
    finding = page.locator("li.finding.high")
    assert finding.count() == 1 and "name_mismatch" in finding.inner_text()
    image = page.locator("img.doc-image")
    image.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", image.element_handle())
