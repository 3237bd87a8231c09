"""Card numbers the text itself calls a card, whatever words sit between.

finloom's PII finder (:func:`finloom.textgen.find_pii`) takes a number after a reference word
("policy", "order", "ref") for a reference, not a card. When the sentence names the number a
card — "the card linked to your insurance policy is 5429 8292 1084 3235", "卡号为6222…" — the
reference word only describes the card, and a number that passes the Luhn check is the
customer's card (labelling spec: unmasked PII that is valid). Masked numbers never match.
"""

from __future__ import annotations

import re

from finloom.textgen._pii import PiiMatch, find_pii, luhn_valid, valid_cn_id

__all__ = ["named_cards"]

# the words right before the number name it a card: "card number: ", "card number is literally ",
# "the card linked to your policy is ", "the card on file for this account is ", 卡号为 / 银行卡号：
_NAMED = re.compile(
    r"\bcard(?:\s+(?:number|no\.?|#))?\s*(?:is|was|reads|:)?\s*(?:literally|just|actually|simply|basically|still|now)?\s*$"
    r"|\bcard(?:\s+number)?\s+(?:that |which )?(?:is |was )?(?:linked|attached|registered|connected|tied|associated|"
    r"used|set up|on file|we hold|you use|you used|on|for|under|with|ending)\b[^.!?\n\d:：]{0,40}?\b(?:is|was)\s*:?\s*$"
    r"|卡(?:号|号码)\s*[：:]?\s*(?:为|是)?\s*[：:]?\s*$",
    re.IGNORECASE)


def named_cards(text: str) -> list[PiiMatch]:
    """Luhn-valid card-length numbers that the words right before them call a card.

    Examples
    --------
    >>> [m.text for m in named_cards("The card linked to your insurance policy is 5429 8292 1084 3235.")]
    ['5429 8292 1084 3235']
    >>> named_cards("Your policy number is 5429 8292 1084 3235.")  # a reference, not called a card
    []
    >>> named_cards("The card linked to your policy is 5429 8292 1084 3236.")  # fails Luhn
    []
    >>> [m.text for m in named_cards("my card number is literally 6013 2852 2070 8746 lol")]  # any issuer
    ['6013 2852 2070 8746']
    """
    out = []
    for m in find_pii(text, ("card",), validate=False):
        digits = "".join(c for c in m.text if c.isdigit())
        if not luhn_valid(digits) or valid_cn_id(digits):
            continue
        if _NAMED.search(text[max(0, m.start - 80) : m.start]):
            out.append(m)
    return out
