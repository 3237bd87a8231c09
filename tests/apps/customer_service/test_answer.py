"""The assistant's masking goes through the one PII masker (finloom.textgen.mask_pii)."""

from __future__ import annotations

from finloom.apps.customer_service import mask_pii
from finloom.apps.customer_service._answer import mask_customer_text


def test_mask_pii_labels_every_kind_the_engine_knows() -> None:
    text = "SSN 123-45-6789, card 4111 1111 1111 1112, mobile 07700 900461, mail a.b@example.com"
    assert mask_pii(text) == "SSN [ssn], card [card number], mobile [phone], mail [email]"


def test_mask_pii_keeps_published_contacts() -> None:
    assert mask_pii("write to help@bank.example or li@example.com", keep=["help@bank.example"]) == \
        "write to help@bank.example or [email]"


def test_mask_customer_text_valid_keep_last_four_look_alikes_labelled() -> None:
    assert mask_customer_text("card 4111 1111 1111 1111 or 4111 1111 1111 1112") == \
        "card **** **** **** 1111 or [card number]"
