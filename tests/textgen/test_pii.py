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


def test_digits_of_an_iban_that_fails_its_check_are_not_a_card() -> None:
    # the digits after "DE89" pass Luhn and start like a card, but they belong to the IBAN
    assert find_pii("The IBAN you sent (DE89 3704 0044 0532 0130 01) does not validate.") == []
    assert [m.kind for m in find_pii("Card 3704 0044 0532 0130 01 please.")] == ["card"]


def test_checksums() -> None:
    assert luhn_valid("6011111111111117") and not luhn_valid("6011111111111118")
    assert valid_cn_id("440301198506123018") and not valid_cn_id("440301198502303018")  # 30 Feb
    assert iban_valid("NL91ABNA0417164300")


def test_mask_pii_chinese_context() -> None:
    assert mask_pii("手机13800138000，邮箱li.na@mail.example.cn") == "手机*******8000，邮箱l***@mail.example.cn"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("123-45-6789", "ssn"), ("07700 900461", "phone"), ("+44 7700 900461", "phone"), ("+1 415 555 0132", "phone"),
     ("139 1234 5678", "phone"), ("6217 8478 8746 3703 117", "card")],
)
def test_find_pii_more_kinds(text: str, kind: str) -> None:
    assert [m.kind for m in find_pii(f"details: {text} thanks")] == [kind]


def test_account_number_with_sort_code_and_chinese_account() -> None:
    found = find_pii("Pay account no. 73015522, sort code 40-11-62 today.")
    assert [(m.kind, m.text) for m in found] == [("account", "73015522"), ("account", "40-11-62")]
    assert [m.kind for m in find_pii("收款账号：6013 8210 0005 2231 9，户名李娜。")] == ["account"]
    assert find_pii("A sort code has six digits, e.g. 12-34-56, and an account number eight.") == []
    assert find_pii("您输入的账号6013 8210 0005 2231 9校验失败，请重新输入。") == []


@pytest.mark.parametrize(
    "text",
    ["138****5678", "**** **** **** 1111", "3201**********1234", "GB** NWBK **** **** **37 51",  # masked
     "400-820-1234", "0800 123 4567", "1-800-555-0199", "95588", "+44 345 600 1234",  # lines for everyone
     "call us from abroad on +44 20 7946 0000", "666-12-3456", "123-00-4567",  # hotline context, bad SSNs
     "reference 4111 1111 1111 1111", "身份证号370202195307021262校验位错误"],  # a reference; an ID-shaped number
)
def test_find_pii_not_personal_or_not_valid(text: str) -> None:
    assert find_pii(f"{text}.") == []


def test_validate_false_finds_look_alikes_for_masking() -> None:
    assert find_pii("card 4111 1111 1111 1112") == []
    assert [m.kind for m in find_pii("card 4111 1111 1111 1112", validate=False)] == ["card"]


def test_mask_pii_ssn_labels_and_keep() -> None:
    assert mask_pii("SSN 123-45-6789") == "SSN ***-**-6789"
    text = "mail li.wei@example.com or help@bank.example, ID 11010519491231002X"
    assert mask_pii(text, labels={"email": "[email]"}, validate=False, keep=["help@bank.example"]) == \
        "mail [email] or help@bank.example, ID **************002X"
