from __future__ import annotations

import pytest

from finloom.textgen import find_pii, mask_pii
from finloom.textgen._pii import iban_valid, luhn_valid, valid_cn_id


@pytest.mark.parametrize(
    ("text", "kind"),
    [("4111 1111 1111 1111", "card"), ("5500-0055-5555-5559", "card"), ("378282246310005", "card"),
     ("11010519491231002X", "cn_id"), ("DE89 3704 0044 0532 0130 00", "iban"),
     ("+86 138 0013 8000", "phone"), ("(212) 555-0147", "phone"), ("jane.doe@example.com", "email")],
)
def test_find_pii_kinds(text: str, kind: str) -> None:
    assert [m.kind for m in find_pii(f"see {text} please")] == [kind]


@pytest.mark.parametrize(
    "text",
    ["4111 1111 1111 1112",  # Luhn fails
     "20240315000123",  # Luhn may pass but no card issuer starts with 2024
     "110105194912310021",  # ID checksum fails
     "GB82 WEST 1234 5698 7654 33",  # IBAN mod-97 fails
     "support@bank.example",  # role mailbox, not a person
     "95588"],
)
def test_find_pii_near_misses(text: str) -> None:
    assert find_pii(f"ref {text}.") == []


def test_checksums() -> None:
    assert luhn_valid("6011111111111117") and not luhn_valid("6011111111111118")
    assert valid_cn_id("440301198506123018") and not valid_cn_id("440301198502303018")  # 30 Feb
    assert iban_valid("NL91ABNA0417164300")


def test_mask_pii_chinese_context() -> None:
    assert mask_pii("手机13800138000，邮箱li.na@mail.example.cn") == "手机*******8000，邮箱l***@mail.example.cn"
