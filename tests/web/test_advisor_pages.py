"""The advisor pages: the questionnaire in both languages, missing answers re-render with every problem."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app

KEY = "fl_advisadvisad_" + "a" * 32


@pytest.fixture
def client(tmp_path):
    app = create_app(Settings(workspace=tmp_path), executor_mode="thread")
    with TestClient(app) as c:
        app.state.workbench.ensure_key("admin", "admin", KEY)
        c.post("/login", data={"key": KEY})
        yield c


def test_questionnaire_page_in_both_languages_and_tile(client) -> None:
    r = client.get("/advisor")
    assert (
        r.status_code == 200
        and 'name="q_loss_tolerance"' in r.text
        and "How old are you?" in r.text
    )
    client.cookies.set("lang", "zh")
    assert "您的年龄是？" in client.get("/advisor").text
    assert '<a class="tile" href="/advisor"' in client.get("/").text


def test_missing_answers_are_listed_and_kept(client) -> None:
    r = client.post("/advisor", data={"customer_id": "c-1", "q_age": "30_45", "initial": "5000"})
    assert r.status_code == 422
    assert (
        "answer &#39;horizon&#39; must be given" in r.text
        or "answer 'horizon' must be given" in r.text
    )
    assert 'value="30_45" checked' in r.text


def test_unknown_proposal_is_a_404_page(client) -> None:
    assert client.get("/advisor/proposals/abc123").status_code == 404
