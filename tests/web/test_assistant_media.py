"""The assistant page: voice messages, document uploads and spending charts through the web routes."""

from __future__ import annotations

import base64
import io
import shutil

import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app

KEY = "fl_mediamediame_" + "m" * 32


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(Settings(workspace=tmp_path_factory.mktemp("media"), assistant_dense=False),
                     executor_mode="thread")
    with TestClient(app) as c:
        app.state.workbench.ensure_key("admin", "admin", KEY)
        c.post("/login", data={"key": KEY})
        app.state.workbench.assistant_warmup.start().wait(120)
        yield c


def test_page_offers_voice_and_documents(client):
    page = client.get("/assistant").text
    assert 'id="record"' in page and 'id="document"' in page and "/static/voice.js" in page
    assert "English only" in page
    assert client.get("/static/voice.js").status_code == 200


def test_spending_chart_is_drawn_in_the_transcript(client):
    html = client.post("/assistant/send", data={"text": "show my spending by category"}).text
    assert 'class="chart-table"' in html and "Total CNY" in html
    index = int(html.split('/assistant/chart/')[1].split('.png')[0])
    png = client.get(f"/assistant/chart/{index}.png")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    assert client.get(f"/assistant/chart/{index - 1}.png").status_code == 404


def test_voice_message_is_answered_and_spoken(client):
    pytest.importorskip("pocketsphinx")
    from finloom.apps.customer_service._speech import espeak_available, synthesize_speech

    if not espeak_available():
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    r = client.post("/assistant/voice", files={"audio": ("m.wav", synthesize_speech("show my recent transactions"))})
    assert r.status_code == 200, r.text
    assert base64.b64decode(r.json()["audio"])[:4] == b"RIFF" and r.json()["error"] is None
    assert r.json()["transcript"] in client.get("/assistant/transcript").text
    bad = client.post("/assistant/voice", files={"audio": ("m.mp3", b"ID3 mp3 bytes")})
    assert bad.status_code == 422 and bad.json()["error"].startswith("audio must be a WAV file")


def test_document_upload_and_a_page_without_text(client):
    pytest.importorskip("pytesseract")
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed")
    from PIL import Image

    from finloom.documents import generate_document

    doc = generate_document("payslip", "en", noise="none", seed=3)
    buf = io.BytesIO()
    doc.image.save(buf, "PNG")
    html = client.post("/assistant/document", files={"file": ("slip.png", buf.getvalue(), "image/png")},
                       data={"question": "what is my net pay?"}).text
    assert f"{float(doc.truth['fields']['net_income']):,.2f}" in html
    blank = io.BytesIO()
    Image.new("RGB", (500, 300), "white").save(blank, "PNG")
    html = client.post("/assistant/document", files={"file": ("blank.png", blank.getvalue(), "image/png")}).text
    assert 'role="alert"' in html and "found no fields in &#39;blank.png&#39;" in html
