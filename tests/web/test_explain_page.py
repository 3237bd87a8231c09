"""The NLP page's try-it box explains a prediction: highlighted words with scores in title/aria
attributes, nearest training examples, EN and ZH strings, clear errors."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app
from tests.nlp._toy import TOY_LABELS, TOY_TEXTS

KEY = "fl_explainexpla_" + "e" * 32


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    import torch

    from finloom.nlp import TextClassifier
    from finloom.nlp.explain import EXAMPLES_DIR, TrainingExamples
    from tests.nlp.conftest import make_tiny_bert

    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("explain_web")
    clf = TextClassifier(encoder=make_tiny_bert(root / "enc"), random_state=0).fit(TOY_TEXTS, TOY_LABELS)
    clf.save(root / "model")
    TrainingExamples.build(clf, TOY_TEXTS, TOY_LABELS).save(root / "model" / EXAMPLES_DIR)
    app = create_app(Settings(workspace=root / "ws"), executor_mode="thread")
    with TestClient(app) as c:
        wb = app.state.workbench
        wb.ensure_key("admin", "admin", KEY)
        wb.artifacts.import_dir("toy-intents", root / "model", kind="TextClassifier",
                                class_path="finloom.nlp._classifier:TextClassifier")
        c.post("/login", data={"key": KEY})
        yield c


def test_nlp_page_offers_an_explain_button(client):
    page = client.get("/nlp").text
    assert 'id="explain"' in page and 'hx-post="/nlp/explain"' in page and 'name="method"' in page


def test_explain_highlights_words_with_accessible_scores(client):
    r = client.post("/nlp/explain", data={"model": "toy-intents", "text": "i lost my card", "method": "integrated_gradients"})
    assert r.status_code == 200, r.text
    spans = re.findall(r'<span class="attr" style="background:rgba\((37,99,235|234,88,12),[0-9.]+\)[^"]*" '
                       r'title="([+-][0-9.]+)" aria-label="([^"]+)"', r.text)
    assert [s[2].split(":")[0] for s in spans] == ["i", "lost", "my", "card"]
    assert all((s[0] == "37,99,235") == (float(s[1]) >= 0) for s in spans)
    assert 'id="explain-check"' in r.text and "integrated gradients" in r.text
    assert 'id="explain-neighbours"' in r.text and "card lost abroad" in r.text


def test_explain_in_chinese_and_errors_are_shown_inline(client):
    client.get("/lang/zh")
    try:
        r = client.post("/nlp/explain", data={"model": "toy-intents", "text": "i lost my card", "method": "occlusion"})
        assert "最相近的训练样例" in r.text and "遮挡法" in r.text
    finally:
        client.get("/lang/en")
    r = client.post("/nlp/explain", data={"model": "toy-intents", "text": "  "})
    assert 'role="alert"' in r.text and "text" in r.text
    r = client.post("/nlp/explain", data={"model": "toy-intents", "text": "card " * 300})
    assert 'role="alert"' in r.text and "1000" in r.text.replace(",", "")
