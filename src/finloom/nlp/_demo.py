"""A demo NER table written by finloom: loan-agreement sentences with organisations, people and
places tagged, one row per token, so the workbench's entity tagger can be tried out of the box.

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
)
_SLOT = re.compile(r"\{(ORG|PER|PLACE|ROLE)\}")
_TYPE = {"ORG": "ORG", "PER": "PER", "PLACE": "LOC", "ROLE": "PER"}  # parties' roles are PER, as in FIN


def _words(name: str) -> list[str]:
    """``"Blue Ridge Holdings Inc."`` -> ``["Blue", "Ridge", "Holdings", "Inc", "."]``."""
    return re.findall(r"\w+(?:'\w+)?|[^\w\s]", name)


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

    rng = np.random.default_rng(random_state)
    pools = {"ORG": ORGS, "PER": PEOPLE, "PLACE": PLACES, "ROLE": ROLES}
    rows: list[dict[str, Any]] = []
    for n in range(n_sentences):
        template = TEMPLATES[n % len(TEMPLATES)]
        pos = 0
        for match in _SLOT.finditer(template):
            rows += [{"sentence": n + 1, "word": w, "tag": "O"} for w in template[pos : match.start()].split()]
            slot = match.group(1)
            words = _words(str(rng.choice(pools[slot])))
            kind = _TYPE[slot]
            rows += [{"sentence": n + 1, "word": w, "tag": f"{'B' if i == 0 else 'I'}-{kind}"}
                     for i, w in enumerate(words)]
            pos = match.end()
        rows += [{"sentence": n + 1, "word": w, "tag": "O"} for w in template[pos:].split()]
    return pd.DataFrame(rows, columns=["sentence", "word", "tag"])
