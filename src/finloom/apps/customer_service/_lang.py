"""Per-message language detection (English / Chinese) and the tokeniser retrieval uses."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["LanguageGuess", "cue", "detect_language", "normalize_text", "spaced_text", "tokenize"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_OTHER_SCRIPTS = {
    "CYRILLIC", "ARABIC", "HEBREW", "HANGUL", "HIRAGANA", "KATAKANA", "THAI", "DEVANAGARI",
    "GREEK", "ARMENIAN", "GEORGIAN", "BENGALI", "TAMIL",
}
_EN_HINTS = frozenset(
    ["the", "a", "an", "i", "my", "me", "you", "your", "is", "are", "was", "do", "does", "can", "how", "what", "why", "when", "where", "which", "to", "of", "in", "on", "for", "and", "or", "it", "not", "no", "yes", "please", "with", "be", "have", "has", "this", "that", "card", "account", "money", "bank", "hi", "hello", "thanks", "thank", "want", "need", "help"]
)
# function words of other Latin-alphabet languages (French, Spanish, German, Italian, Portuguese,
# Indonesian) that English does not use; a message made of them is not English even without accents
_FOREIGN_HINTS = frozenset(
    ["je", "tu", "nous", "vous", "le", "les", "une", "des", "est", "mon", "ma", "mes", "pas", "pour", "avec",
     "bonjour", "merci", "carte", "veux", "suis", "oui", "el", "los", "las", "una", "mi", "mis", "por", "para",
     "con", "hola", "gracias", "tarjeta", "quiero", "cuenta", "estoy", "tengo", "ich", "und", "nicht", "mein",
     "meine", "ist", "bitte", "danke", "hallo", "karte", "konto", "habe", "sono", "grazie", "ciao", "voglio",
     "eu", "meu", "minha", "obrigado", "obrigada", "saya", "kartu", "tidak", "terima", "kasih"]
)
_STOP_EN = frozenset(
    ["the", "a", "an", "i", "my", "me", "you", "your", "is", "are", "was", "were", "do", "does", "did", "can", "could", "how", "what", "why", "when", "where", "which", "to", "of", "in", "on", "for", "and", "or", "it", "its", "be", "been", "have", "has", "had", "this", "that", "there", "please", "would", "will", "should", "with", "at", "by", "from", "as", "am", "so", "just", "get", "got", "any", "some", "about", "if"]
)
# generic banking synonyms: a customer's word -> the word the bank's articles use
_SYNONYMS_EN = {
    "lock": "freez", "block": "freez", "suspend": "freez", "pause": "freez", "stolen": "lost",
    "missing": "lost", "cash": "atm", "machine": "atm", "withdraw": "withdrawal", "wire": "transfer",
    "send": "transfer", "abroad": "foreign", "overseas": "international", "charge": "fee",
    "cost": "fee", "price": "fee", "refus": "declin", "reject": "declin", "code": "pin",
    "shut": "close", "cancel": "close", "borrow": "loan", "mortgage": "mortgage", "house": "home",
    "flat": "home", "wage": "salary", "pay": "payment", "paid": "payment", "text": "sms",
    "dispute": "disput", "challenge": "disput", "chargeback": "disput", "scam": "fraud",
    "hacked": "fraud", "bust": "insurance", "safe": "protect", "teen": "youth",
    "teenager": "youth", "kid": "youth", "child": "youth", "died": "death", "pass": "death",
}
_STOP_ZH = frozenset(["的", "了", "吗", "呢", "吧", "啊", "我", "你", "是", "在", "有", "怎么", "什么", "一下", "可以", "能", "要", "想", "请问", "请", "这", "那", "就", "都", "还", "和", "么"])


@dataclass(frozen=True)
class LanguageGuess:
    """The detected language of a message.

    ``lang`` is ``"en"``, ``"zh"`` or ``"unknown"`` (no letters at all); ``supported`` is false for
    text written mainly in another script or another Latin-alphabet language.
    """

    lang: str
    supported: bool
    script: str


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def cue(pattern: str) -> re.Pattern[str]:
    """A case-insensitive cue pattern (the routers' lexicons are written in lower case).

    >>> bool(cue(r"\\bchart\\b").search("Show me a CHART"))
    True
    """
    return re.compile(pattern, re.IGNORECASE)


def normalize_text(text: str) -> str:
    """NFKC-normalise (full-width digits and letters become ASCII), make typographic apostrophes
    plain ("don’t" -> "don't") and collapse whitespace.

    Examples
    --------
    >>> normalize_text("  尾号１２３４ \\n card ")
    '尾号1234 card'
    >>> normalize_text("it wasn’t me")
    "it wasn't me"
    """
    return " ".join(unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).split())


_HAN_LATIN = re.compile(r"(?<=[\u3400-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u3400-\u9fff])")


def spaced_text(text: str) -> str:
    """:func:`normalize_text` with a space between Han and Latin runs, so English words inside
    Chinese ("把debit card先freeze掉") have word boundaries for the cue patterns.

    Examples
    --------
    >>> spaced_text("把debit card先freeze掉")
    '把 debit card 先 freeze 掉'
    """
    return _HAN_LATIN.sub(" ", normalize_text(text)).strip()


def _script(ch: str) -> str:
    try:
        return unicodedata.name(ch).split(" ")[0]
    except ValueError:
        return "UNKNOWN"


def detect_language(text: str) -> LanguageGuess:
    """Guess whether a message is English or Chinese from its scripts and function words.

    Examples
    --------
    >>> detect_language("How do I freeze my card?").lang
    'en'
    >>> detect_language("我的卡丢了").lang
    'zh'
    >>> detect_language("Где моя карта?").supported
    False
    >>> detect_language("hola, quiero bloquear mi tarjeta").supported
    False
    """
    text = normalize_text(text)
    han = len(_HAN.findall(text))
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    other = sum(1 for ch in text if ch.isalpha() and not ch.isascii() and not _HAN.match(ch)
                and _script(ch) in _OTHER_SCRIPTS)
    accented = sum(1 for ch in text if ch.isalpha() and not ch.isascii() and _script(ch) == "LATIN")
    if other > max(han, latin):
        return LanguageGuess("unknown", False, "other")
    if han and han * 2 >= latin / 3:
        return LanguageGuess("zh", True, "han")
    if latin == 0 and accented == 0:
        return LanguageGuess("unknown", han == 0 and other == 0, "none")
    words = _LATIN_WORD.findall(text.lower())
    if len(words) >= 4 and not _EN_HINTS.intersection(words) and accented:
        return LanguageGuess("unknown", False, "latin")
    foreign = sum(w in _FOREIGN_HINTS for w in words)
    if len(words) >= 3 and foreign >= 2 and foreign > sum(w in _EN_HINTS for w in words):
        return LanguageGuess("unknown", False, "latin")
    return LanguageGuess("en", True, "latin")


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def tokenize(text: str, lang: str) -> list[str]:
    """Retrieval tokens: stemmed English words, or Chinese character bigrams plus ASCII words.

    Examples
    --------
    >>> tokenize("Freezing my cards", "en")
    ['freez', 'card']
    >>> tokenize("冻结银行卡", "zh")
    ['冻结', '结银', '银行', '行卡', '冻', '结', '银', '行', '卡']
    """
    text = normalize_text(text).lower()
    raw = [w for w in _LATIN_WORD.findall(text) if w not in _STOP_EN]
    words = [_stem(w) for w in raw]
    words += [_SYNONYMS_EN.get(w) or _SYNONYMS_EN[s] for w, s in zip(raw, words, strict=True)
              if w in _SYNONYMS_EN or s in _SYNONYMS_EN]
    digits = re.findall(r"\d+(?:[.,]\d+)?", text)
    if lang != "zh":
        return words + digits
    tokens: list[str] = []
    unigrams: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff]+", text):
        for stop in _STOP_ZH:
            run = run.replace(stop, " ") if len(stop) > 1 else run
        for part in run.split():
            tokens.extend(part[i : i + 2] for i in range(len(part) - 1))
            unigrams.extend(ch for ch in part if ch not in _STOP_ZH)
    return tokens + unigrams + words + digits
