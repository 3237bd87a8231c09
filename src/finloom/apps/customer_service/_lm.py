"""A small back-off trigram language model in ARPA format, trained on the bank's own sentences
(intent examples and articles) so the offline recogniser expects banking words."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

__all__ = ["normalize_words", "number_words", "train_arpa"]

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")


def number_words(n: int) -> str:
    """English words of ``0 <= n < 1_000_000`` as a speech engine says them.

    Examples
    --------
    >>> number_words(85), number_words(1250)
    ('eighty five', 'one thousand two hundred fifty')
    """
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + number_words(n % 100))
    if n < 1_000_000:
        return number_words(n // 1000) + " thousand" + ("" if n % 1000 == 0 else " " + number_words(n % 1000))
    return " ".join(_ONES[int(d)] for d in str(n))


def normalize_words(text: str) -> list[str]:
    """Lower-case words of an English sentence, digits spelt out, punctuation dropped (the form
    both the language model and word error rate use).

    Examples
    --------
    >>> normalize_words("Charged me $85, not 58!")
    ['charged', 'me', 'eighty', 'five', 'not', 'fifty', 'eight']
    """
    words: list[str] = []
    for tok in _WORD.findall(text.lower().replace("’", "'")):
        words.extend(number_words(int(tok)).split() if tok.isdigit() else [tok])
    return words


def _counts(sentences: Iterable[list[str]]) -> tuple[list[Counter[tuple[str, ...]]], Counter[str]]:
    grams: list[Counter[tuple[str, ...]]] = [Counter(), Counter(), Counter()]
    for words in sentences:
        seq = ["<s>", *words, "</s>"]
        for n in (1, 2, 3):
            for i in range(len(seq) - n + 1):
                grams[n - 1][tuple(seq[i:i + n])] += 1
    unigrams = Counter({g[0]: c for g, c in grams[0].items()})
    return grams, unigrams


def train_arpa(sentences: Sequence[Sequence[str]], *, discount: float = 0.5, floor_words: Iterable[str] = (),
               floor_weight: float = 0.02) -> str:
    """ARPA text of a back-off trigram model (absolute discounting) over tokenised ``sentences``.

    ``floor_words`` get a share ``floor_weight`` of the unigram mass, spread evenly, so words the
    sentences never use stay recognisable.

    Examples
    --------
    >>> arpa = train_arpa([["freeze", "my", "card"], ["block", "my", "card"]])
    >>> arpa.splitlines()[1], "\\\\3-grams:" in arpa
    ('ngram 1=6', True)
    """
    grams, _ = _counts([list(s) for s in sentences])
    uni = {g[0]: c for g, c in grams[0].items() if g[0] != "<s>"}
    vocab = sorted(set(uni) | {w for w in floor_words if w not in ("<s>", "</s>")})
    total = sum(uni.values())
    extra = [w for w in vocab if w not in uni]
    weight = floor_weight if extra else 0.0
    p1 = {w: (1 - weight) * uni.get(w, 0) / total + (weight / len(extra) if w in extra else 0.0) for w in vocab}
    history: list[Counter[tuple[str, ...]]] = [Counter(), Counter()]
    for n in (2, 3):
        for g, c in grams[n - 1].items():
            history[n - 2][g[:-1]] += c
    probs: list[dict[tuple[str, ...], float]] = [{(w,): p for w, p in p1.items()}, {}, {}]
    for n in (2, 3):
        for g, c in grams[n - 1].items():
            probs[n - 1][g] = (c - discount) / history[n - 2][g[:-1]]
    backoff: list[dict[tuple[str, ...], float]] = [{}, {}]
    for n in (1, 2):  # weight of context h (length n) = left-over mass / lower-order mass of unseen words
        seen: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for g in probs[n]:
            seen.setdefault(g[:-1], []).append(g)
        for h, gs in seen.items():
            left = 1.0 - sum(probs[n][g] for g in gs)
            lower = 1.0 - sum(probs[n - 1].get(g[1:], 0.0) for g in gs)
            backoff[n - 1][h] = left / lower if lower > 1e-12 else 1.0
    return _write(probs, backoff)


def _write(probs: list[dict[tuple[str, ...], float]], backoff: list[dict[tuple[str, ...], float]]) -> str:
    lines = ["\\data\\"] + [f"ngram {n + 1}={len(probs[n]) + (1 if n == 0 else 0)}" for n in range(3)] + [""]
    for n in range(3):
        lines.append(f"\\{n + 1}-grams:")
        if n == 0:
            lines.append(f"-99.0000\t<s>\t{math.log10(backoff[0].get(('<s>',), 1.0)):.4f}")
        for g, p in sorted(probs[n].items()):
            row = f"{math.log10(p):.4f}\t{' '.join(g)}"
            if n < 2:
                row += f"\t{math.log10(max(backoff[n].get(g, 1.0), 1e-12)):.4f}"
            lines.append(row)
        lines.append("")
    lines.append("\\end\\")
    return "\n".join(lines) + "\n"
