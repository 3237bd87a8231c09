"""Scope: whether a trigger phrase is the bank's own claim or an allowed use of the words.

Allowed uses (labelling spec B): a negation just before the phrase ("we cannot guarantee"), a
question that is not answered "yes", an anti-fraud warning, a staff rule or a news report quoting
the phrase. The cue lists live in ``lexicons/scope.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from finloom.apps.compliance._doc import Doc, Sentence
from finloom.apps.compliance._lexicon import Hit, load_lexicon

__all__ = ["Scope", "answer_after", "negated"]

_WORDS_BEFORE = 5  # an English negation counts within this many words before the trigger


@cache
def _tail(words: int) -> re.Pattern[str]:
    """The last ``words`` words (and the word being typed) of a string."""
    return re.compile(rf"(?:\S+\s+){{0,{words}}}\S*$")


# "年化8%、0风险的产品怎么买？" asks how to buy, not whether the claim holds: the claim stands
_HOW_TO_BUY = re.compile(r"怎么买|如何(?:购买|买|参与|认购|抢购)|(?:哪里|在哪)(?:能)?买|怎样(?:购买|买)|"
                         r"\b(?:how|where) (?:do I|can I|to|do you|can you) (?:buy|invest|get in|join|sign up|apply)\b", re.I)


def negated(doc: Doc, pos: int, *, words: int = _WORDS_BEFORE) -> bool:
    """A negation in the few words (English) or characters (Chinese) before ``pos`` in its clause,
    or a disclaimer ("not saying", 并不是说) anywhere before it in the clause. A phrase that opens
    a quotation is looked up before the opening quote (没有“稳赚不赔”).

    Examples
    --------
    >>> d = Doc("Returns are not guaranteed, but 本产品不保本.")
    >>> negated(d, d.norm.index("guaranteed")), negated(d, d.norm.index("保本"))
    (True, True)
    >>> negated(Doc("Your returns are guaranteed."), 17)
    False
    >>> d = Doc("I'm not saying the Oakridge note is risk-free.")
    >>> negated(d, d.norm.index("risk-free"))
    True
    >>> d = Doc("净值型理财没有“稳赚不赔”。")
    >>> negated(d, d.norm.index("稳赚"))
    True
    """
    clause = doc.clause_before(pos)
    opening = pos - len(clause) - 1
    if len(clause) <= 2 and opening >= doc.sentence_at(pos).start and doc.norm[opening] == '"' \
            and doc.quoted(pos, pos + 1):
        return negated(doc, opening, words=words)  # 没有“稳赚不赔”: the negation before the opening quote
    scope = load_lexicon("scope")
    if scope.cue("disclaim").search(clause):
        return True  # "I'm not saying the note is risk-free": the whole assertion that follows is denied
    m = _tail(words).search(clause)
    begin = m.start() if m else 0  # the cue may look further back ("why don't ..." is no negation)
    return any(n.start() >= begin for n in scope.cue("negation").finditer(clause))


def _negation_cancels(doc: Doc, hit: Hit) -> bool:
    """A trigger that carries its own negation ("can't lose", 不会亏) is cancelled only by a denial
    of the claim ("it's not true that ...", "nobody can promise you won't lose"), not by a
    neighbouring negation ("cannot default and cannot fall")."""
    scope = load_lexicon("scope")
    if not scope.cue("negation").match(hit.text):
        return negated(doc, hit.start)
    clause = doc.clause_before(hit.start)
    return bool(scope.cue("denial").search(clause) or scope.cue("disclaim").search(clause))


def answer_after(doc: Doc, sentence: Sentence) -> str | None:
    """``"yes"`` or ``"no"`` when the sentence after a question starts with an answer, else None."""
    index = doc.sentence_index(sentence.start)
    if index + 1 >= len(doc.sentences):
        return None
    following = doc.sentences[index + 1].text.lstrip()
    scope = load_lexicon("scope")
    if scope.cue("answer_no").search(following):
        return "no"
    if scope.cue("answer_yes").search(following):
        return "yes"
    return None


@dataclass(frozen=True)
class Scope:
    """Text-level facts the detectors share: whether the text warns, forbids or reports."""

    warns: bool
    sells: bool

    @classmethod
    def of(cls, doc: Doc) -> Scope:
        """Scan a text once."""
        scope = load_lexicon("scope")
        return cls(bool(scope.cue("warning").search(doc.norm)), bool(scope.cue("sales").search(doc.norm)))

    @staticmethod
    def quoting_context(sentence: Sentence) -> str | None:
        """``"warning"``, ``"prohibition"`` or ``"report"`` when the sentence is one, else None."""
        scope = load_lexicon("scope")
        for name in ("warning", "prohibition", "report"):
            if scope.cue(name).search(sentence.text):
                return name
        return None

    def excuses(self, doc: Doc, hit: Hit) -> str | None:
        """Why a trigger hit is an allowed use (negated, asked, quoted in a warning ...), or None."""
        if _negation_cancels(doc, hit):
            return "negated"
        context = self.quoting_context(hit.sentence)
        if context is not None:
            return context
        scope = load_lexicon("scope")
        if doc.quoted(hit.start, hit.end) and scope.cue("mention").search(hit.sentence.text) \
                and not scope.cue("instruct").search(hit.sentence.text):
            return "mention"
        if doc.quoted(hit.start, hit.end) and any(
                0 <= hit.start - (hit.sentence.start + m.end()) <= 40 for m in scope.cue("speech").finditer(hit.sentence.text)):
            return "speech"  # the customer's own words, in the quote that follows "she said"
        if scope.cue("explain").search(hit.sentence.text) and not self.sells:
            return "explanation"
        if doc.asks(hit.start) and answer_after(doc, hit.sentence) != "yes" and not _HOW_TO_BUY.search(hit.sentence.text):
            return "question"
        if self.warns and not self.sells:
            return "warning"
        return None
