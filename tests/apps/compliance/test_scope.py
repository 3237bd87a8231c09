from __future__ import annotations

import pytest

from finloom.apps.compliance._doc import Doc
from finloom.apps.compliance._scope import Scope, answer_after, negated


@pytest.mark.parametrize(("text", "word", "expected"), [
    ("We cannot guarantee returns.", "guarantee", True),
    ("There is no guarantee of profit.", "guarantee", True),
    ("Your returns are guaranteed.", "guaranteed", False),
    ("There is no fee, and returns are guaranteed.", "guaranteed", False),  # the negation is in another clause
    ("本产品不保本。", "保本", True),
    ("本产品并非保本型。", "保本", True),
    ("您放心，保本保收益。", "保本", False),
])
def test_negated_looks_a_few_words_back_in_the_clause(text: str, word: str, expected: bool) -> None:
    doc = Doc(text)
    assert negated(doc, doc.norm.index(word)) is expected


def test_a_question_on_its_own_line_is_still_a_question() -> None:
    doc = Doc("Q: Is my money guaranteed?\nA: Deposits are protected up to £85,000.")
    assert doc.sentences[0].is_question and doc.asks(doc.norm.index("guaranteed"))


def test_answer_after_a_question() -> None:
    doc = Doc("Is it guaranteed? No. 问：会亏吗？答：不会的。Really safe? Yes, really.")
    assert [s.text.strip() for s in doc.sentences] == [
        "Is it guaranteed?", "No.", "问:会亏吗?", "答:不会的。", "Really safe?", "Yes, really."]
    first, zh_q, last = doc.sentences[0], doc.sentences[2], doc.sentences[4]
    assert answer_after(doc, first) == "no"
    assert answer_after(doc, zh_q) == "no"
    assert answer_after(doc, last) == "yes"
    assert answer_after(doc, doc.sentences[-1]) is None


@pytest.mark.parametrize(("sentence", "kind"), [
    ("Beware of anyone promising guaranteed returns.", "warning"),
    ("谨防“稳赚不赔”骗局。", "warning"),
    ("Staff must never describe a fund as risk-free.", "prohibition"),
    ("宣传材料中严禁出现“保本”字样。", "prohibition"),
    ("The regulator fined the firm after advisers told clients it was guaranteed.", "report"),
    ("Our fund is guaranteed to grow.", None),
])
def test_quoting_context(sentence: str, kind: str | None) -> None:
    assert Scope.quoting_context(Doc(sentence).sentences[0]) == kind


def test_scope_of_text_warns_and_sells() -> None:
    assert Scope.of(Doc("Scam alert: never move money to a safe account.")) == Scope(warns=True, sells=False)
    assert Scope.of(Doc("Buy now!")).sells
