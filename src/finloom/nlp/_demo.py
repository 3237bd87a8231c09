"""A demo NER table written by finloom: loan-agreement sentences in English and Chinese with
organisations, people and places tagged, one row per token (Chinese: one per character, as
Chinese NER corpora and :func:`~finloom.nlp._rules.word_offsets` split it), so the workbench's
entity tagger can be tried out of the box.

Every name is made up; sentences come from templates, so the set teaches the layout, not the law.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

__all__ = ["demo_ner_table"]

ORGS = (
    "Harbor Lane Bank", "Northwind Capital LLC", "Blue Ridge Holdings Inc.", "Cedar Point Leasing",
    "Silver Creek Partners LP", "Meridian Trust Company", "Oakfield Manufacturing Corp.",
    "Granite Peak Ventures", "Lakeshore Credit Union", "Summit Freight Services Ltd.",
    "Redwood Solar Inc.", "Crescent Bay Finance", "Pinecrest Hotels LLC", "Ironbridge Logistics",
    "Eastgate Medical Group",
)
PEOPLE = (
    "Maria Alvarez", "John T. Becker", "Wei Zhang", "Priya Natarajan", "Samuel O'Neill",
    "Hannah Kowalski", "David Chen", "Fatima Rahman", "Lucas Moreau", "Grace Nakamura",
    "Robert E. Lindqvist", "Aisha Bello",
)
PLACES = (
    "New York", "Delaware", "London", "Singapore", "Hong Kong", "Chicago", "Texas", "Ontario",
    "Frankfurt", "California", "Shanghai", "Dublin",
)
ROLES = ("Borrower", "Lender", "Guarantor", "Agent")
TEMPLATES = (
    "This Loan Agreement is entered into by {ORG} , as {ROLE} , and {ORG} , as {ROLE} .",
    "{ORG} shall repay the principal to the {ROLE} in {PLACE} on the Maturity Date .",
    "Notices to {ORG} shall be sent to the attention of {PER} at its offices in {PLACE} .",
    "{PER} , Chief Financial Officer of {ORG} , signed this Agreement on behalf of the {ROLE} .",
    "The {ROLE} is a corporation organised under the laws of {PLACE} .",
    "This Agreement shall be governed by the laws of the State of {PLACE} .",
    "{ORG} guarantees the obligations of {ORG} under this Agreement .",
    "Any dispute shall be settled by the courts of {PLACE} .",
    "The {ROLE} may assign its rights to {ORG} with the consent of the {ROLE} .",
    "Payments shall be made to the account of {ORG} maintained with {ORG} in {PLACE} .",
    "{PER} and {PER} are authorised to request advances on behalf of the {ROLE} .",
    "The {ROLE} represents that no litigation is pending against it in {PLACE} .",
    "{ORG} lends the Loan to the {ROLE} at a fixed rate .",
    "{ORG} agrees to extend the facility if the {ROLE} so requests .",
)
ORGS_ZH = ("华信银行", "东方租赁有限公司", "青松资本", "远航物流股份有限公司", "金桥信托", "南山制造集团",
           "恒通证券", "瑞丰保险有限公司", "长江能源股份有限公司")
PEOPLE_ZH = ("王伟", "李娜", "陈晓东", "刘洋", "赵敏", "孙立新", "周杰", "吴芳", "郑凯", "黄磊")
PLACES_ZH = ("上海", "北京", "深圳", "香港", "杭州", "成都", "南京", "武汉", "天津")
ROLES_ZH = ("借款人", "贷款人", "担保人")
TEMPLATES_ZH = (
    "本贷款协议由{ORG}（作为{ROLE}）与{ORG}（作为{ROLE}）签订。",
    "{ORG}应于到期日在{PLACE}向{ROLE}偿还本金。",
    "致{ORG}的通知应寄往其{PLACE}办公室，由{PER}收悉。",
    "{PER}代表{ROLE}签署本协议。",
    "本协议适用{PLACE}法律，争议由{PLACE}的法院管辖。",
    "{ORG}为{ORG}在本协议项下的义务提供担保。",
    "{PER}与{PER}有权代表{ROLE}申请提款。",
    "{ROLE}声明其在{PLACE}没有未决诉讼。",
    "{ORG}同意在{ROLE}提出要求时延长授信期限；联络人为{PER}。",
)
_SLOT = re.compile(r"\{(ORG|PER|PLACE|ROLE)\}")
# a party's role (Borrower, Guarantor ...) names no one: it is left untagged, so the tagger does not learn to
# call "Guarantor" a person
_TYPE = {"ORG": "ORG", "PER": "PER", "PLACE": "LOC", "ROLE": None}


def demo_ner_table(n_sentences: int = 300, *, random_state: int = 0) -> Any:
    """One row per token (``sentence``, ``word``, ``tag`` in BIO) for ``n_sentences`` sentences.

    Examples
    --------
    >>> table = demo_ner_table(2)
    >>> list(table.columns), table["sentence"].nunique()
    (['sentence', 'word', 'tag'], 2)
    >>> sorted(set(table["tag"]) - {"O"})[:2]
    ['B-LOC', 'B-ORG']
    """
    import pandas as pd

    from finloom.nlp._rules import word_offsets

    def words(text: str) -> list[str]:
        return [w for w, _, _ in word_offsets(text)]

    rng = np.random.default_rng(random_state)
    english = {"ORG": ORGS, "PER": PEOPLE, "PLACE": PLACES, "ROLE": ROLES}
    chinese = {"ORG": ORGS_ZH, "PER": PEOPLE_ZH, "PLACE": PLACES_ZH, "ROLE": ROLES_ZH}
    templates = [(t, english) for t in TEMPLATES] + [(t, chinese) for t in TEMPLATES_ZH]
    rows: list[dict[str, Any]] = []
    for n in range(n_sentences):
        template, pools = templates[n % len(templates)]
        pos = 0
        for match in _SLOT.finditer(template):
            rows += [{"sentence": n + 1, "word": w, "tag": "O"} for w in words(template[pos : match.start()])]
            slot = match.group(1)
            kind = _TYPE[slot]
            rows += [{"sentence": n + 1, "word": w, "tag": f"{'B' if i == 0 else 'I'}-{kind}" if kind else "O"}
                     for i, w in enumerate(words(str(rng.choice(pools[slot]))))]
            pos = match.end()
        rows += [{"sentence": n + 1, "word": w, "tag": "O"} for w in words(template[pos:])]
    return pd.DataFrame(rows, columns=["sentence", "word", "tag"])
