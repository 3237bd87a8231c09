"""The project's own EN + ZH perturbation lexicon (``lexicon.json``): synonyms, directional word
pairs, code-switching terms, entity mentions and a simplified -> traditional character table."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = ["Lexicon", "load_lexicon"]

LEXICON_FILE = Path(__file__).with_name("lexicon.json")


@dataclass(frozen=True)
class Lexicon:
    """Word lists the perturbations draw from.

    Parameters
    ----------
    synonyms : language (``"en"``/``"zh"``) -> word or phrase -> label-preserving replacements.
    directional : language -> word -> its opposite (``"rose"`` -> ``"fell"``); used both ways.
    codeswitch : Chinese word -> the English finance word a bilingual customer would type instead.
    entities : entity type (``ORG``/``PER``/``LOC``) -> mentions used for entity swaps.
    traditional : simplified character -> traditional character.

    Examples
    --------
    >>> lex = load_lexicon()
    >>> lex.directional["en"]["rose"], lex.opposite("en", "fell")
    ('fell', 'rose')
    >>> len(lex) > 300
    True
    """

    synonyms: dict[str, dict[str, list[str]]]
    directional: dict[str, dict[str, str]]
    codeswitch: dict[str, str]
    entities: dict[str, list[str]]
    traditional: dict[str, str]
    _reverse: dict[str, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for lang, pairs in self.directional.items():
            both = {v: k for k, v in pairs.items()} | dict(pairs)
            self._reverse[lang] = both

    def __len__(self) -> int:
        """Number of word entries (synonyms, directional pairs, code-switching terms)."""
        return (sum(map(len, self.synonyms.values())) + sum(map(len, self.directional.values()))
                + len(self.codeswitch))

    def opposite(self, lang: str, word: str) -> str | None:
        """The directional opposite of ``word`` (either side of a pair), else None."""
        return self._reverse.get(lang, {}).get(word)

    def directional_words(self, lang: str) -> dict[str, str]:
        """Every directional word of ``lang`` (both sides) -> its opposite."""
        return dict(self._reverse.get(lang, {}))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The bundled lexicon (read once)."""
    doc = json.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    return Lexicon(synonyms=doc["synonyms"], directional=doc["directional"], codeswitch=doc["codeswitch"],
                   entities=doc["entities"], traditional=doc["traditional"])
