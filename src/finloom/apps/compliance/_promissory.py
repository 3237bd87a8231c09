"""Promissory detector: guaranteed or risk-free returns, no loss, certain gains (spec B.1).

Triggers come from ``lexicons/promissory.yaml``. A trigger is dropped when :class:`Scope`
excuses it or its sentence uses the words in an allowed sense (deposit insurance, the risk-free
rate, margin deposits, service promises). A question about losing money answered "no" (or about
safety answered "yes") is a promise too.
"""

from __future__ import annotations

import re

from finloom.apps.compliance._doc import Doc, Sentence
from finloom.apps.compliance._lexicon import Hit, load_lexicon
from finloom.apps.compliance._scope import Scope, answer_after, negated
from finloom.apps.compliance.schemas import Finding

__all__ = ["detect_promissory"]

CATEGORY = "promissory"
SEVERITY = "critical"
# what may join the terms of one run ("保本保收益", "保本、保息", "risk-free and guaranteed")
_COORDINATED = re.compile(r"\s*(?:、|/|和|与|或|及|\+|&|and|or)?\s*(?:\"|')?\s*", re.IGNORECASE)


# deposit insurance, or an insurance policy's cover: allowed senses, except beside an investment whose
# returns the sentence promises ("the investment account inside the plan has a guaranteed minimum
# return, on top of the life cover")
_DEPOSIT_COVER = re.compile(r"存款保险|存款保障|deposit (?:insurance|protection)|FSCS|protected up to|covered up to|"
                            r"\b(?:life|home|travel|car|pet) (?:insurance|cover|policy)\b", re.I)


def _allowed_sense(sentence: str, hit: str = "") -> bool:
    """Deposit insurance, the risk-free rate, margin, service promises; account security or a
    deposit's own terms when the sentence says nothing about investment returns. A term such as
    保证金 excuses only the words it is made of ("外汇保证金交易…保证不亏" still promises), and
    account security only a promise of safety, not one of gains ("手机银行…金价只涨不跌")."""
    lex = load_lexicon(CATEGORY)
    allowed = lex.cue("allowed").search(sentence)
    rest = _DEPOSIT_COVER.sub(" ", sentence)  # does anything but the cover itself name a deposit?
    if allowed and not (_DEPOSIT_COVER.search(allowed.group(0)) and _invests(sentence)
                        and not lex.cue("non_investment").search(rest)):
        return True  # (but "本理财产品受存款保险保障，保本保收益" claims deposit cover for an investment)
    if any(hit in m.group(0) for m in lex.cue("allowed_term").finditer(sentence)):
        return True
    if lex.cue("non_investment").search(sentence) and not lex.cue("comparison").search(sentence) and not _invests(sentence):
        return True
    return bool(lex.cue("security").search(sentence)) and not lex.cue("returns").search(sentence) \
        and bool(lex.cue("safety").search(hit or sentence))


def _answers_allowed_question(doc: Doc, sentence: Sentence) -> bool:
    """An answer to a question about a service guarantee, deposit insurance ... ("Q: How does your
    price-match guarantee work? A: ... we'll refund the difference") speaks in the question's sense."""
    index = doc.sentence_index(sentence.start)
    previous = doc.sentences[index - 1] if index > 0 else None
    return previous is not None and previous.is_question and \
        bool(load_lexicon(CATEGORY).cue("allowed").search(previous.text))


def _invests(sentence: str) -> bool:
    """An investment product named in the sentence (not the product word of a deposit: "Cash ISA")."""
    lex = load_lexicon("risk_disclosure")
    others = [m.span() for m in lex.cue("not_investment").finditer(sentence)]
    return any(not any(a < m.end() and m.start() < b for a, b in others) for m in lex.cue("products").finditer(sentence))


def _warns(text: str) -> bool:
    """A risk phrase in ``text`` (the answer to a question about losing money)."""
    return bool(load_lexicon("risk_disclosure").cue("warning").search(text))


_SERVICE_PROMISE = re.compile(
    r"\bguarantee[ds]? (?:a |an |the |your )?(?:response|reply|callback|turnaround)|\bguarantee[ds]? to (?:reply|respond|call|answer)|"
    r"\bwithin \d+ (?:working |business )?(?:hours|days|minutes)\b|(?:回复|响应|处理|到账)时(?:间|效)", re.I)
# "本行最受欢迎的基金组合“稳稳的幸福”": a promissory word inside a product's quoted name
_QUOTED_NAME = re.compile(r"[^\"“”「」『』]{0,8}[\"”」』](?:\s*(?:组合|基金|理财|产品|计划|系列|账户|fund|portfolio|plan|account))", re.I)
_SOFT_NAME_WORD = re.compile(r"稳稳(?:的)?|安心|无忧|稳稳落袋")  # a name like 稳稳的幸福; 保本/guaranteed in a name still promise
_NAMED_BEFORE = re.compile(r"(?:组合|基金|理财|产品|计划|系列|账户|fund|portfolio|plan|account)\s*[\"“「『][^\"“”「」『』]{0,8}$", re.I)


def _answered_promises(doc: Doc) -> list[Finding]:
    lex = load_lexicon(CATEGORY)
    out = []
    for sentence in doc.sentences:
        if not sentence.is_question:
            continue
        answer = answer_after(doc, sentence)
        loss = lex.cue("loss_question").search(sentence.text)
        safe = lex.cue("safety_question").search(sentence.text)
        # "Is it true it can't lose money?" asks about a no-loss claim: "yes" confirms it, "no" denies it
        denied_loss = loss is not None and negated(doc, sentence.start + loss.start())
        no_loss = (answer == "yes") if denied_loss else (answer == "no")
        if (loss and no_loss) or (safe and not loss and answer == "yes"):
            index = doc.sentence_index(sentence.start) + 1
            reply = doc.sentences[index]
            if any(lex.cue("allowed").search(s.text) for s in doc.sentences[index - 1 : index + 2]):
                continue  # "Yes. Eligible deposits are protected up to £85,000 by the FSCS": deposit insurance
            if _SERVICE_PROMISE.search(sentence.text + " " + reply.text):
                continue  # "Is there a guaranteed response time? Yes — we reply within 24 hours": a service promise
            if _warns(reply.text):
                continue  # "No — bond prices can fall": the answer itself warns, it promises nothing
            out.append(Finding("PROM-ANSWERED", SEVERITY, CATEGORY,
                               f"answers '{sentence.text.strip()}' with '{reply.text.strip()}': a promise of no loss",
                               reply.start, reply.end, doc.raw[reply.start : reply.end]))
    return out


def _track_record_hits(doc: Doc) -> list[Hit]:
    """A no-loss track record whose reassurance or forward claim comes in the next sentence or two
    ("It has never had a down year. Not one. And it won't start now."): the record alone is a fact
    (spec note 8), the record followed by "it won't start now" / 放心买 is a promise."""
    lex = load_lexicon(CATEGORY)
    entry = next(e for e in lex.triggers if e.id == "PROM-TRACK-RECORD")
    warning = load_lexicon("risk_disclosure").cue("warning")
    out = []
    for i, sentence in enumerate(doc.sentences):
        m = entry.pattern.search(sentence.text)
        if m is None or (entry.near is not None and entry.near.search(sentence.text)):
            continue  # no record here, or the sentence carries its own reassurance (a lexicon hit)
        following = [s.text for s in doc.sentences[i + 1 : i + 3]]
        if any(lex.cue("forward").search(t) and not warning.search(t) for t in following):
            out.append(Hit(entry, sentence.start + m.start(), sentence.start + m.end(), sentence))
    return out


def detect_promissory(doc: Doc, scope: Scope | None = None) -> list[Finding]:
    """Promises of guaranteed returns or of no loss in ``doc``; one finding per trigger match.

    Examples
    --------
    >>> [f.rule_id for f in detect_promissory(Doc("Your principal comes back in full no matter what."))]
    ['PROM-NO-LOSS']
    >>> detect_promissory(Doc("We cannot guarantee returns. 谨防“稳赚不赔”骗局。"))
    []
    """
    lex = load_lexicon(CATEGORY)
    scope = scope or Scope.of(doc)
    findings: list[Finding] = []
    excused_end = -1
    for hit in sorted([*lex.hits(doc), *_track_record_hits(doc)], key=lambda h: (h.start, -h.end)):
        if any(f.start is not None and f.end is not None and f.start < hit.end and hit.start < f.end
               for f in findings):
            continue  # one finding per promise: overlapping triggers name the longest first
        if excused_end >= 0 and _COORDINATED.fullmatch(doc.norm[excused_end : hit.start]):
            excused_end = max(excused_end, hit.end)
            continue  # "不存在保本保收益的产品": the negation covers every term of the run
        in_name = _SOFT_NAME_WORD.fullmatch(hit.text) is not None and _QUOTED_NAME.match(doc.norm, hit.end) is not None or \
            _SOFT_NAME_WORD.fullmatch(hit.text) is not None and \
            _NAMED_BEFORE.search(doc.norm[max(0, hit.start - 16) : hit.start]) is not None
        if _allowed_sense(hit.sentence.text, hit.text) or _answers_allowed_question(doc, hit.sentence) or lex.cue("wish").search(doc.clause_before(hit.start)) \
                or in_name or scope.excuses(doc, hit):
            excused_end = max(excused_end, hit.end)
            continue
        findings.append(Finding(hit.entry.id, SEVERITY, CATEGORY, f"{hit.entry.why}: '{hit.text}'",
                                hit.start, hit.end, doc.raw[hit.start : hit.end]))
    return findings + _answered_promises(doc)
