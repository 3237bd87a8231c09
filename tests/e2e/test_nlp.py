"""End to end in headless Chromium: upload a one-row-per-token table, train an entity tagger from
the NLP page, watch the job finish, then see entities highlighted in the try-it box."""

from __future__ import annotations

from .conftest import sign_in, upload


def _token_csv() -> str:
    rows, n = ["sentence,word,tag"], 0
    for org in ["Acme Corp", "Zenith Bank", "Orbit Holdings", "Delta Trust", "Nova Capital"]:
        for verb in ["pays", "owes", "notifies"]:
            for party in ["lender", "borrower"]:
                n += 1
                words = [*org.split(), verb, "the", party]
                tags = ["B-ORG", *["I-ORG"] * (len(org.split()) - 1), "O", "O", "B-PER"]
                rows += [f"{n},{w},{t}" for w, t in zip(words, tags, strict=True)]
    return "\n".join(rows) + "\n"


def test_train_a_tagger_and_highlight_entities(server, page, tmp_path):
    csv = tmp_path / "deals.csv"
    csv.write_text(_token_csv())
    sign_in(page, server)
    upload(page, server, "deal_tokens", csv)
    page.wait_for_url(f"{server}/datasets/deal_tokens")

    page.goto(f"{server}/nlp")
    assert page.locator("#ner-dataset option").first.get_attribute("value") == "deal_tokens"
    page.fill("#epochs", "6")
    page.click("#train-ner")
    page.wait_for_selector("#job-status:has-text('succeeded')", timeout=240_000)
    assert "ner_report.html" in page.content()

    page.goto(f"{server}/nlp")
    page.select_option("#tagger", "deal_tokens-tagger")
    page.fill("#ner-text", "Zenith Bank pays the lender 5% on 2024-01-31")
    page.click("#tag")
    page.wait_for_selector("#entity-table")
    rows = page.inner_text("#entity-table")
    assert "lender" in rows and "PER" in rows and "5%" in rows and "2024-01-31" in rows
    assert page.locator("mark.entity[title='PERCENT']").inner_text().startswith("5%")
    page.screenshot(path=str(tmp_path / "ner.png"), full_page=True)
