"""The demo NER table: one row per token that the token-table reader turns into tagged sentences."""

from __future__ import annotations

from finloom.nlp import token_table_to_dataset
from finloom.nlp._demo import TEMPLATES, demo_ner_table


def test_demo_ner_table_reads_back_as_tagged_sentences():
    table = demo_ner_table(40, random_state=1)
    data = token_table_to_dataset(table)
    assert len(data) == 40 and data.entity_types == ["LOC", "ORG", "PER"]
    first = data.tokens[0]
    assert first[:7] == ["This", "Loan", "Agreement", "is", "entered", "into", "by"]
    # multi-word names keep one entity: B- then I- of the same type
    for tags in data.tags:
        for prev, tag in zip(["O", *tags], tags, strict=False):
            assert not tag.startswith("I-") or prev[2:] == tag[2:]
    first_zh = len(TEMPLATES)  # Chinese templates follow the English ones, one token per character
    assert data.tokens[first_zh][:5] == ["本", "贷", "款", "协", "议"]
    assert {"B-ORG", "I-ORG"} <= set(data.tags[first_zh]) and "B-PER" not in data.tags[first_zh]  # roles are not people
    assert demo_ner_table(40, random_state=1).equals(table)
    assert not demo_ner_table(40, random_state=2).equals(table)


def test_party_roles_are_not_tagged_as_people():
    table = demo_ner_table(200)
    roles = table[table["word"].isin(["Borrower", "Lender", "Guarantor", "Agent", "借", "担"])]
    assert len(roles) and set(roles["tag"]) == {"O"}
    assert (table["tag"] == "B-PER").any()  # real names still are
