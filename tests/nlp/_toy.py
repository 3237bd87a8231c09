"""Toy sentences and NER data shared by the nlp tests."""

from __future__ import annotations

CARD = ["my card was lost", "card stolen yesterday", "i lost my card", "the card is stolen",
        "lost card please block", "stolen card what now", "block my lost card", "card lost abroad"]
FX = ["what is the exchange rate", "rate for euro today", "exchange rate fee", "the rate is bad",
      "euro exchange rate now", "what rate do you use", "rate of exchange please", "dollar rate today"]
TOY_TEXTS = CARD + FX
TOY_LABELS = ["card"] * len(CARD) + ["fx"] * len(FX)
NER_TOKENS = [["acme", "corp", "pays", "the", "lender", "$", "5", "million"],
              ["the", "borrower", "is", "bank", "of", "london"],
              ["lender", "and", "borrower", "agree", "on", "monday"]]
NER_TAGS = [["B-ORG", "I-ORG", "O", "O", "B-PER", "O", "O", "O"],
            ["O", "B-PER", "O", "B-ORG", "I-ORG", "I-ORG"],
            ["B-PER", "O", "B-PER", "O", "O", "O"]]
EXTRA_WORDS = ["please", "block", "now", "the", "a", "of", "is", "and", "on", "pays", "what", "were"]
