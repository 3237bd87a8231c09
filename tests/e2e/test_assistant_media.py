"""The assistant page in Chromium: a document upload answered from its fields, a voice message sent
from the page (a prepared WAV through the page's own upload code, since CI has no microphone) with
its spoken reply, and a spending chart drawn in the transcript."""

from __future__ import annotations

import base64
import shutil

import pytest

from .conftest import sign_in_as


def test_chat_with_a_document_a_voice_message_and_a_chart(server, page, tmp_path):
    sign_in_as(page, server, "e2e-media", "viewer")
    page.goto(f"{server}/assistant?new=1")
    page.wait_for_selector("#message", timeout=180_000)

    page.fill("#message", "show my spending by category")
    page.click("#send")
    page.wait_for_selector("img.chart", timeout=20_000)
    page.wait_for_function("document.querySelector('img.chart').naturalWidth > 0", timeout=20_000)

    if shutil.which("tesseract"):
        from finloom.documents import generate_document

        doc = generate_document("payslip", "en", noise="none", seed=5)
        doc.image.save(tmp_path / "slip.png")
        page.set_input_files("#document", str(tmp_path / "slip.png"))
        page.fill("#document-question", "what is my net pay?")
        page.click("#upload")
        net = f"{float(doc.truth['fields']['net_income']):,.2f}"
        page.wait_for_selector(f".turn-assistant >> text={net}", timeout=60_000)

    pytest.importorskip("pocketsphinx")
    from finloom.apps.customer_service._speech import espeak_available, synthesize_speech

    if not espeak_available():
        pytest.skip("espeak-ng is not installed")
    wav = base64.b64encode(synthesize_speech("show my recent transactions")).decode()
    page.evaluate("""b64 => {
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        return window.finloomVoice.send(new Blob([bytes], {type: 'audio/wav'}));
    }""", wav)
    page.wait_for_function("document.getElementById('voice-reply').src.startsWith('data:audio/wav')", timeout=60_000)
    assert page.inner_text("#voice-status") == ""
    page.wait_for_selector(".turn-customer >> text=transactions", timeout=20_000)
