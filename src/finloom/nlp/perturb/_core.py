"""Seeded text perturbations with a severity: typos, case, whitespace, emoji, punctuation,
synonyms, number and entity swaps, full-width characters, traditional characters, code-switching
and directional (label-changing) word swaps; on raw texts and on tagged token lists."""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from finloom.errors import ConfigError, InvalidDataError, did_you_mean
from finloom.nlp.perturb._lexicon import Lexicon, load_lexicon

__all__ = ["KINDS", "LABEL_PRESERVING", "Perturbation", "kind_seed", "numbers_in", "perturb", "perturb_many",
           "perturb_tokens"]

Site = tuple[int, int]
Rewrite = Callable[[str, np.random.Generator, Lexicon], str]
SiteFinder = Callable[[str, Lexicon], list[Site]]

_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_LONG_WORD = re.compile(r"[A-Za-z]{3,}")
_CJK = re.compile(r"[\u3400-\u9fff]+")
_TICKER = re.compile(r"\$[A-Za-z]{1,6}\b")
_PUNCT = re.compile(r"(?<!\d)[.,!?;:](?!\d)")
_SPACE = re.compile(r"\s+")
_WORD_END = re.compile(r"(?<=[A-Za-z0-9\u3400-\u9fff])(?=\s|$)")
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
EMOJI = ("🙂", "😊", "🙏", "🤔", "😅", "💳", "🏦", "📱", "⏰", "❓", "👀", "✨")
PUNCTUATION = ("!", "!!", "?", "...", ",", " -", "!?", ";")
TICKERS = ("$ACME", "$NWB", "$CTSO", "$FBKM", "$GLBX", "$INTC", "$UMBR", "$STRK", "$WAYN", "$TYRL")


def _neighbours() -> dict[str, str]:
    """Letter -> the letters next to it on a QWERTY keyboard (same row and the rows above/below)."""
    out: dict[str, str] = {}
    for r, row in enumerate(_ROWS):
        for c, ch in enumerate(row):
            near = [row[c - 1] if c else "", row[c + 1] if c + 1 < len(row) else ""]
            for other in (r - 1, r + 1):
                if 0 <= other < len(_ROWS):
                    near += [_ROWS[other][j] for j in (c - 1, c, c + 1) if 0 <= j < len(_ROWS[other])]
            out[ch] = "".join(x for x in near if x)
    return out


NEIGHBOURS = _neighbours()


def numbers_in(text: str) -> list[str]:
    """The numbers in ``text`` after NFKC normalisation (full-width digits count as digits).

    Examples
    --------
    >>> numbers_in("pay ４２ or 1,200.50 by 3/4")
    ['42', '1,200.50', '3/4']
    """
    return _NUMBER.findall(unicodedata.normalize("NFKC", text))


def _matches(pattern: re.Pattern[str], text: str) -> list[Site]:
    return [m.span() for m in pattern.finditer(text)]


def _lexicon_sites(text: str, keys: Sequence[str]) -> list[Site]:
    """Non-overlapping matches of ``keys`` (longest first): whole words for Latin keys (any case),
    substrings for Chinese ones."""
    latin = sorted((k for k in keys if not _CJK.search(k)), key=len, reverse=True)
    cjk = sorted((k for k in keys if _CJK.search(k)), key=len, reverse=True)
    found: list[Site] = []
    taken = np.zeros(len(text) + 1, dtype=bool)

    def add(start: int, end: int) -> None:
        if not taken[start:end].any():
            found.append((start, end))
            taken[start:end] = True

    if latin and re.search(r"[A-Za-z]", text):
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, latin)) + r")\b", re.IGNORECASE)
        for m in pattern.finditer(text):
            add(*m.span())
    if cjk and _CJK.search(text):
        pattern = re.compile("|".join(map(re.escape, cjk)))
        for m in pattern.finditer(text):
            add(*m.span())
    return sorted(found)


def _entity_sites(text: str, lex: Lexicon) -> list[Site]:
    names = [n for names in lex.entities.values() for n in names]
    return sorted(set(_lexicon_sites(text, names)) | set(_matches(_TICKER, text)))


def _protected(text: str, lex: Lexicon) -> list[Site]:
    """Numbers and entity mentions, which label-preserving kinds leave alone."""
    return _matches(_NUMBER, text) + _entity_sites(text, lex)


def _same_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# ---------------------------------------------------------------------------- rewrites
def _typo_keyboard(word: str, rng: np.random.Generator, lex: Lexicon) -> str:
    i = int(rng.integers(len(word)))
    near = NEIGHBOURS.get(word[i].lower(), "")
    if not near:
        return word
    ch = near[int(rng.integers(len(near)))]
    return word[:i] + (ch.upper() if word[i].isupper() else ch) + word[i + 1 :]


def _typo_delete(word: str, rng: np.random.Generator, lex: Lexicon) -> str:
    i = 1 + int(rng.integers(len(word) - 1))
    return word[:i] + word[i + 1 :]


def _typo_swap(word: str, rng: np.random.Generator, lex: Lexicon) -> str:
    i = 1 + int(rng.integers(len(word) - 2))
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _case(word: str, rng: np.random.Generator, lex: Lexicon) -> str:
    options = [w for w in (word.upper(), word.lower(), word.title(), word.swapcase()) if w != word]
    return options[int(rng.integers(len(options)))] if options else word


def _whitespace(gap: str, rng: np.random.Generator, lex: Lexicon) -> str:
    return (" ", "  ", "   ", "\t", " \n ")[int(rng.integers(5))] if gap else " "


def _emoji(end: str, rng: np.random.Generator, lex: Lexicon) -> str:
    return (" " if rng.random() < 0.5 else "") + EMOJI[int(rng.integers(len(EMOJI)))]


def _punctuation(piece: str, rng: np.random.Generator, lex: Lexicon) -> str:
    if piece:  # an existing mark: drop or double it
        return "" if rng.random() < 0.5 else piece * 2
    return PUNCTUATION[int(rng.integers(len(PUNCTUATION)))]


def _synonym(word: str, rng: np.random.Generator, lex: Lexicon) -> str:
    options = lex.synonyms["zh"].get(word) or lex.synonyms["en"].get(word.lower(), [word])
    return _same_case(word, options[int(rng.integers(len(options)))])


def _number(number: str, rng: np.random.Generator, lex: Lexicon) -> str:
    for _ in range(10):
        out = "".join(str(int(rng.integers(1 if (i == 0 and ch != "0") else 0, 10))) if ch.isdigit() else ch
                      for i, ch in enumerate(number))
        if out != number or not any(ch.isdigit() for ch in number):
            return out
    return out


def _entity_type(mention: str, lex: Lexicon) -> str | None:
    for kind, names in lex.entities.items():
        if mention in names:
            return kind
    return None


def _entity(mention: str, rng: np.random.Generator, lex: Lexicon, kind: str | None = None) -> str:
    if mention.startswith("$"):
        options = [t for t in TICKERS if t.lower() != mention.lower()]
    else:
        kind = kind or _entity_type(mention, lex) or "ORG"
        same = bool(_CJK.search(mention))  # a Chinese name is swapped for a Chinese one
        options = [n for n in lex.entities.get(kind, []) if n != mention and bool(_CJK.search(n)) == same]
        options = options or [n for n in lex.entities.get(kind, []) if n != mention]
    return options[int(rng.integers(len(options)))] if options else mention


def _fullwidth(ch: str, rng: np.random.Generator, lex: Lexicon) -> str:
    return chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch


def _traditional(ch: str, rng: np.random.Generator, lex: Lexicon) -> str:
    return lex.traditional.get(ch, ch)


def _codeswitch(word: str, rng: np.random.Generator, lex: Lexicon) -> str:
    return lex.codeswitch.get(word, word)


def _directional(word: str, rng: np.random.Generator, lex: Lexicon) -> str:
    lang = "zh" if _CJK.search(word) else "en"
    return _same_case(word, lex.opposite(lang, word.lower() if lang == "en" else word) or word)


# ---------------------------------------------------------------------------- site finders
def _word_sites(text: str, lex: Lexicon) -> list[Site]:
    return _matches(_WORD, text)


def _long_word_sites(text: str, lex: Lexicon) -> list[Site]:
    return _matches(_LONG_WORD, text)


def _space_sites(text: str, lex: Lexicon) -> list[Site]:
    gaps = _matches(_SPACE, text)
    if gaps:
        return gaps
    return [(m.start() + i, m.start() + i) for m in _CJK.finditer(text) for i in range(1, len(m.group()))]


def _end_sites(text: str, lex: Lexicon) -> list[Site]:
    return _matches(_WORD_END, text)


def _punct_sites(text: str, lex: Lexicon) -> list[Site]:
    return sorted(_matches(_PUNCT, text) + _end_sites(text, lex))


def _synonym_sites(text: str, lex: Lexicon) -> list[Site]:
    return _lexicon_sites(text, [*lex.synonyms["en"], *lex.synonyms["zh"]])


def _number_sites(text: str, lex: Lexicon) -> list[Site]:
    return _matches(_NUMBER, text)


def _ascii_sites(text: str, lex: Lexicon) -> list[Site]:
    return [(i, i + 1) for i, ch in enumerate(text) if "!" <= ch <= "~"]


def _traditional_sites(text: str, lex: Lexicon) -> list[Site]:
    return [(i, i + 1) for i, ch in enumerate(text) if ch in lex.traditional]


def _codeswitch_sites(text: str, lex: Lexicon) -> list[Site]:
    return _lexicon_sites(text, list(lex.codeswitch))


def _directional_sites(text: str, lex: Lexicon) -> list[Site]:
    return _lexicon_sites(text, [*lex.directional_words("en"), *lex.directional_words("zh")])


@dataclass(frozen=True)
class Perturbation:
    """One kind of perturbation and what it promises to leave unchanged.

    ``preserves`` holds ``"label"`` (the gold label of a text stays right), ``"numbers"`` (the
    numbers, compared after NFKC normalisation) and/or ``"entities"`` (entity mentions and, on
    tagged tokens, every entity span and its type). ``unit`` says what the severity counts:
    ``"word"``, ``"char"``, ``"gap"`` (whitespace between words) or ``"mention"``.
    ``touches_protected``: the kind may edit numbers and entity mentions (others skip them).
    ``tokens``: also defined on tagged token lists (:func:`perturb_tokens`).

    Examples
    --------
    >>> sorted(KINDS["typo_keyboard"].preserves)
    ['entities', 'label', 'numbers']
    >>> "label" in KINDS["directional"].preserves
    False
    """

    name: str
    description: str
    preserves: frozenset[str]
    unit: str
    sites: SiteFinder
    rewrite: Rewrite
    touches_protected: bool = False
    tokens: bool = True


def _kind(name: str, description: str, preserves: str, unit: str, sites: SiteFinder, rewrite: Rewrite,
          **options: Any) -> Perturbation:
    return Perturbation(name, description, frozenset(preserves.split()), unit, sites, rewrite, **options)


KINDS: dict[str, Perturbation] = {k.name: k for k in (
    _kind("typo_keyboard", "a letter replaced by a QWERTY neighbour", "label numbers entities", "word",
          _long_word_sites, _typo_keyboard),
    _kind("typo_delete", "a letter deleted", "label numbers entities", "word", _long_word_sites, _typo_delete),
    _kind("typo_swap", "two neighbouring letters swapped", "label numbers entities", "word", _long_word_sites,
          _typo_swap),
    _kind("case", "words upper-, lower-, title- or swap-cased", "label numbers entities", "word", _word_sites,
          _case),
    _kind("whitespace", "spaces doubled, tabs and line breaks; spaces inside Chinese",
          "label numbers entities", "gap", _space_sites, _whitespace, tokens=False),
    _kind("emoji", "emoji after words", "label numbers entities", "word", _end_sites, _emoji),
    _kind("punctuation", "marks added after words, existing ones dropped or doubled", "label numbers entities",
          "word", _punct_sites, _punctuation),
    _kind("synonym", "finance words swapped for lexicon synonyms (EN + ZH)", "label numbers entities", "word",
          _synonym_sites, _synonym),
    _kind("number", "digits of numbers replaced (same format)", "label entities", "mention", _number_sites,
          _number, touches_protected=True),
    _kind("entity", "company, person, place names and tickers swapped for others of the same type",
          "label numbers", "mention", _entity_sites, _entity, touches_protected=True),
    _kind("fullwidth", "ASCII characters turned full-width (as typed with a Chinese IME)",
          "label numbers entities", "char", _ascii_sites, _fullwidth, touches_protected=True),
    _kind("traditional", "simplified Chinese characters written in traditional form", "label numbers entities",
          "char", _traditional_sites, _traditional),
    _kind("codeswitch", "Chinese finance words replaced by the English word", "label numbers entities", "word",
          _codeswitch_sites, _codeswitch),
    _kind("directional", "words swapped for their opposite (rose -> fell, 上涨 -> 下跌); changes sentiment",
          "numbers entities", "word", _directional_sites, _directional),
)}
LABEL_PRESERVING = tuple(k for k, v in KINDS.items() if "label" in v.preserves)


def _get(kind: str) -> Perturbation:
    if kind not in KINDS:
        raise ConfigError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}.{did_you_mean(kind, KINDS)}")
    return KINDS[kind]


def _check_severity(severity: float) -> float:
    if isinstance(severity, bool) or not isinstance(severity, int | float) or not 0.0 <= float(severity) <= 1.0:
        raise ConfigError(f"severity must be a float in [0, 1] (the share of words or characters touched); "
                          f"got {severity!r}.")
    return float(severity)


def kind_seed(seed: int, kind: str, severity: float, index: int) -> np.random.Generator:
    """The generator for text ``index`` under (``kind``, ``severity``): results do not depend on
    which other kinds or texts are perturbed alongside.

    Examples
    --------
    >>> int(kind_seed(0, "case", 0.1, 3).integers(100)) == int(kind_seed(0, "case", 0.1, 3).integers(100))
    True
    """
    return np.random.default_rng([int(seed), zlib.crc32(kind.encode()), int(round(severity * 1000)), int(index)])


def _pick(sites: list[Site], severity: float, rng: np.random.Generator) -> list[Site]:
    """``ceil(severity * len(sites))`` sites (at least one when severity > 0), in text order."""
    if not sites or severity <= 0:
        return []
    k = min(len(sites), max(1, math.ceil(severity * len(sites))))
    chosen = rng.choice(len(sites), size=k, replace=False)
    return [sites[i] for i in sorted(chosen.tolist())]


def _eligible(p: Perturbation, text: str, lex: Lexicon) -> list[Site]:
    sites = p.sites(text, lex)
    if p.touches_protected or not sites:
        return sites
    keep = _protected(text, lex)
    return [s for s in sites if not any(s[0] < b and a < s[1] for a, b in keep)]


def _apply(text: str, sites: list[Site], p: Perturbation, rng: np.random.Generator, lex: Lexicon) -> str:
    out, pos = [], 0
    for a, b in sites:
        out += [text[pos:a], p.rewrite(text[a:b], rng, lex)]
        pos = b
    return "".join([*out, text[pos:]])


def perturb(text: str, kind: str, *, severity: float = 0.1, seed: int | np.random.Generator = 0) -> str:
    """``text`` with a ``severity`` share of its eligible words/characters perturbed by ``kind``.

    The same ``seed`` gives the same result; a text without eligible places (an empty text, only
    emoji, no number for ``"number"``) comes back unchanged.

    Examples
    --------
    >>> perturb("My card payment was declined", "typo_swap", severity=0.5, seed=1)
    'My card paymetn wsa declined'
    >>> perturb("Shares rose 5% in London", "directional", severity=1.0)
    'Shares fell 5% in London'
    >>> perturb("转账失败", "traditional", severity=1.0)
    '轉賬失敗'
    >>> perturb("", "emoji")
    ''
    """
    p = _get(kind)
    severity = _check_severity(severity)
    if not isinstance(text, str):
        raise InvalidDataError(f"text must be a string; got {type(text).__name__}. Convert it with str() first.")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    lex = load_lexicon()
    return _apply(text, _pick(_eligible(p, text, lex), severity, rng), p, rng, lex)


def perturb_many(texts: Sequence[str], kind: str, *, severity: float = 0.1, seed: int = 0) -> list[str]:
    """:func:`perturb` for each text, text ``i`` seeded by :func:`kind_seed` (order-independent).

    Examples
    --------
    >>> perturb_many(["card lost", "card lost"], "case", severity=1.0, seed=3)[0] == perturb_many(
    ...     ["card lost"], "case", severity=1.0, seed=3)[0]
    True
    """
    return [perturb(t, kind, severity=severity, seed=kind_seed(seed, kind, severity, i)) for i, t in enumerate(texts)]


def _entity_runs(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(type, first, last) word index of each entity in BIO or IO tags."""
    from finloom.nlp._ner_metrics import extract_entities
    from finloom.nlp._readers import io_to_bio

    return [(t, a, b) for t, a, b in extract_entities(io_to_bio(list(tags)))]


def perturb_tokens(
    tokens: Sequence[str], tags: Sequence[str], kind: str, *, severity: float = 0.1,
    seed: int | np.random.Generator = 0,
) -> tuple[list[str], list[str]]:
    """Perturb a tagged sentence; entity spans are re-aligned to the new tokens.

    Label-preserving kinds edit only words outside entities (a new word gets tag ``O``);
    ``"entity"`` swaps each chosen entity for a lexicon mention of the same type (PER, ORG, LOC)
    and re-tags it in the sentence's scheme (BIO or IO). ``"whitespace"`` is not defined on
    token lists (the tokens carry no spaces).

    Examples
    --------
    >>> perturb_tokens(["Acme", "Bank", "lends"], ["B-ORG", "I-ORG", "O"], "entity", severity=1.0, seed=0)
    (['Beacon', 'Finance', 'lends'], ['B-ORG', 'I-ORG', 'O'])
    """
    p = _get(kind)
    severity = _check_severity(severity)
    words, labels = [str(t) for t in tokens], [str(t) for t in tags]
    if len(words) != len(labels):
        raise InvalidDataError(f"tokens and tags must be equally long; got {len(words)} and {len(labels)}.")
    if not p.tokens:
        raise ConfigError(f"kind must be defined on token lists for a tagger; got {kind!r}. "
                          "Leave 'whitespace' out for taggers.")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    lex = load_lexicon()
    if kind == "entity":
        return _swap_entities(words, labels, severity, rng, lex)
    sites = [(i, s) for i, (w, t) in enumerate(zip(words, labels, strict=True)) if t == "O"
             for s in _eligible(p, w, lex)]
    chosen: dict[int, list[Site]] = {}
    for i, s in [sites[j] for j in sorted(_pick_index(len(sites), severity, rng))]:
        chosen.setdefault(i, []).append(s)
    out_words: list[str] = []
    out_tags: list[str] = []
    for i, (w, t) in enumerate(zip(words, labels, strict=True)):
        new = _apply(w, chosen[i], p, rng, lex) if i in chosen else w
        pieces = new.split() or ([] if i in chosen else [w])
        out_words += pieces
        out_tags += [t] * len(pieces)
    return out_words, out_tags


def _pick_index(n: int, severity: float, rng: np.random.Generator) -> list[int]:
    if not n or severity <= 0:
        return []
    return rng.choice(n, size=min(n, max(1, math.ceil(severity * n))), replace=False).tolist()


def _swap_entities(words: list[str], tags: list[str], severity: float, rng: np.random.Generator,
                   lex: Lexicon) -> tuple[list[str], list[str]]:
    runs = [r for r in _entity_runs(tags) if r[0] in lex.entities]
    chosen = {runs[j][1]: runs[j] for j in _pick_index(len(runs), severity, rng)}
    out_words: list[str] = []
    out_tags: list[str] = []
    i = 0
    while i < len(words):
        if i not in chosen:
            out_words.append(words[i])
            out_tags.append(tags[i])
            i += 1
            continue
        kind, a, b = chosen[i]
        name = _entity(" ".join(words[a : b + 1]), rng, lex, kind).split()
        first = f"B-{kind}" if tags[a].startswith("B-") else f"I-{kind}"
        out_words += name
        out_tags += [first] + [f"I-{kind}"] * (len(name) - 1)
        i = b + 1
    return out_words, out_tags
