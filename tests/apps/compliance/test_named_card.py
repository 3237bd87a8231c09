"""A card number the sentence itself calls a card is personal data, even after a reference word."""

from __future__ import annotations

import pytest

from finloom.apps.compliance import audit_text
from finloom.apps.compliance._named_card import named_cards

VISA = "4556 7375 8689 9855"  # passes Luhn
VISA_BAD = "4556 7375 8689 9856"  # fails Luhn


def _pii(text: str) -> bool:
    return any(f.category == "pii" for f in audit_text(text, classifier=None))


@pytest.mark.parametrize("text", [
    f"Thanks for calling. The card registered to your travel policy is {VISA}.",
    f"For reference, the card attached to order 5561 is {VISA}, expiring next May.",
    f"Card number: {VISA}",
    "您好，绑定在该保单上的银行卡号为4556737586899855，请核对。",
])
def test_a_valid_number_named_a_card_is_flagged(text: str) -> None:
    assert _pii(text)


@pytest.mark.parametrize("text", [
    f"Your policy number is {VISA}.",  # named a policy number, not a card
    f"The card linked to your policy is {VISA_BAD}.",  # fails its check digit
    "The card linked to your policy is **** **** **** 9855.",  # masked
])
def test_references_bad_check_digits_and_masked_cards_are_not(text: str) -> None:
    assert not _pii(text)


def test_named_cards_reports_the_span() -> None:
    text = f"The card on file for the policy is {VISA}."
    [match] = named_cards(text)
    assert (match.kind, text[match.start : match.end]) == ("card", VISA)
