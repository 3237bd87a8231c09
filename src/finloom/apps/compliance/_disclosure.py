"""Risk-disclosure detector: an investment product promoted with no risk warning (spec B.2).

Three things must hold: the text names an investment product (not a deposit, loan, card or
payment), something in it promotes or recommends that product (a recommendation, a call to
action, a buy rating, advertised returns, or a promise of returns found by the promissory
detector), and no risk phrase appears anywhere in it. Texts that only report, teach, decline or
remove are not promotions, and a market's move ("while sterling gained 0.6%") is commentary, not
an advertised return. Lexicon: ``lexicons/risk_disclosure.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from finloom.apps.compliance._doc import Doc
from finloom.apps.compliance._lexicon import Hit, load_lexicon
from finloom.apps.compliance._scope import Scope, answer_after, negated
from finloom.apps.compliance.schemas import Finding

__all__ = ["detect_risk_disclosure", "has_risk_warning", "investment_products"]

CATEGORY = "risk_disclosure"
SEVERITY = "high"


def has_risk_warning(doc: Doc) -> bool:
    """Whether a risk phrase that is not negated appears anywhere in the text.

    Examples
    --------
    >>> has_risk_warning(Doc("Capital at risk.")), has_risk_warning(Doc("零风险，高收益"))
    (True, False)
    >>> has_risk_warning(Doc("We top up any shortfall, so you never get back less than you paid."))
    False
    """
    lex = load_lexicon(CATEGORY)
    elsewhere = [m.span() for m in lex.cue("not_warning").finditer(doc.norm)]
    return any(not negated(doc, m.start(), words=1) and not any(a <= m.start() < b for a, b in elsewhere)
               for m in lex.cue("warning").finditer(doc.norm))


def investment_products(doc: Doc) -> list[tuple[int, int]]:
    """Spans naming an investment product (deposits, loans and cards excluded; negated ones too).

    Examples
    --------
    >>> d = Doc("It's a deposit, not an investment fund. Try our Apex Equity Fund.")
    >>> [d.norm[a:b] for a, b in investment_products(d)]
    ['Equity', 'Fund']
    """
    lex = load_lexicon(CATEGORY)
    others = [m.span() for m in lex.cue("not_investment").finditer(doc.norm)]
    spans = []
    found = [*lex.cue("products").finditer(doc.norm), *load_lexicon("suitability").cue("high_risk").finditer(doc.norm)]
    for m in sorted(found, key=lambda m: m.start()):
        if any(a < m.end() and m.start() < b for a, b in others) or negated(doc, m.start()):
            continue
        spans.append(m.span())
    return spans


def detect_risk_disclosure(doc: Doc, scope: Scope | None = None, *,
                           promotes: Sequence[Finding] = ()) -> list[Finding]:
    """One finding when an investment product is promoted and no risk phrase appears.

    ``promotes`` are other findings of the same text that promote what they speak of (promises
    of returns, superlatives, a recommendation to a vulnerable customer). A promise of returns
    implies an investment product even when none is named, unless only deposits, loans or cards are.

    Examples
    --------
    >>> [f.rule_id for f in detect_risk_disclosure(Doc("Invest in our Apex Equity Fund today."))]
    ['RISK-CALL-TO-ACTION']
    >>> detect_risk_disclosure(Doc("Invest in our Apex Equity Fund today. Capital at risk."))
    []
    """
    if has_risk_warning(doc):
        return []
    if load_lexicon("suitability").cue("past_sale").search(doc.norm):
        return []  # a complaint about, or a review of, a sale that already happened promotes nothing
    begin = _promotion_start(doc)
    if begin is None:
        return []
    scope = scope or Scope.of(doc)
    product = _product(doc, promotes)
    if product is None:
        return _rating_only(doc, scope, begin)
    hit = next(_promotions(doc, scope, begin), None) or _literature_claim(doc, begin)
    if hit is not None:
        return [_finding(doc, hit.entry.id, f"{hit.entry.why} ('{product}': '{hit.text}')", hit.start, hit.end)]
    promoting = [f for f in promotes if not _about_institution(f)]
    if promoting and begin == 0:
        f = promoting[0]
        return [_finding(doc, "RISK-PROMOTED", f"{f.category} claim about an investment product "
                         f"('{product}': '{f.text}')", f.start, f.end)]
    return []


def _promotion_start(doc: Doc) -> int | None:
    """Where promotion may start: 0, or after "but ..." that follows a decline, a record that
    only reports, or a lesson (then only what follows the contrast counts), or where a lesson
    turns to pushing the bank's own product; None when nothing may."""
    veto = load_lexicon(CATEGORY).cue("not_promotion").search(doc.norm)
    if veto is None:
        return 0
    contrast = load_lexicon("scope").cue("contrast").search(doc.norm, veto.end())
    if contrast:
        return contrast.end()
    lex = load_lexicon(CATEGORY)
    push = None
    if lex.cue("lesson").search(veto.group(0)):
        push = lex.cue("own_push").search(doc.norm, veto.end())
    elif lex.cue("holding").search(veto.group(0)):
        push = lex.cue("more_push").search(doc.norm, veto.end())
    if push is None:
        return None
    # the push counts from the start of its sentence ("Pick one of our portfolios … from £25 a month")
    ends = [m.end() for m in re.finditer(r"[.!?。！？\n]\s*", doc.norm[: push.start()])]
    return max([veto.end(), *ends])


def _product(doc: Doc, promotes: Sequence[Finding]) -> str | None:
    """The investment product promoted: named, or implied by a promise of returns."""
    products = investment_products(doc)
    if products:
        return doc.norm[products[0][0] : products[0][1]]
    promised = any(f.category == "promissory" for f in promotes)
    only_deposits = load_lexicon(CATEGORY).cue("not_investment").search(doc.norm) and \
        not load_lexicon("promissory").cue("comparison").search(doc.norm)  # "as safe as a deposit" compares
    if promised and not only_deposits:
        return "the investment promised"
    return None


def _promotions(doc: Doc, scope: Scope, begin: int) -> Iterator[Hit]:
    """Promotion triggers from ``begin`` on that are not negated, asked and denied, quoted or news."""
    lex = load_lexicon(CATEGORY)
    for hit in lex.hits(doc):
        if hit.start < begin:
            continue
        if hit.entry.id == "RISK-SALES-CLAIM" and lex.cue("not_investment").search(hit.sentence.text) \
                and not _names_investment(hit.sentence.text):
            continue  # the rate quoted belongs to the deposit, loan or card named beside it
        if hit.entry.id == "RISK-SALES-CLAIM" and lex.cue("market_move").search(doc.norm[hit.sentence.start : hit.start]):
            continue  # "sterling gained 0.6%": a market's move, not a product's return
        if _only_non_investment(hit.sentence.text):
            continue  # "我给您推荐我们的大额存单": what the sentence promotes is a deposit, loan or card
        if negated(doc, hit.start) or scope.quoting_context(hit.sentence) or lex.cue("news").search(hit.sentence.text):
            continue
        if doc.asks(hit.start) and answer_after(doc, hit.sentence) == "no":
            continue
        yield hit


def _literature_claim(doc: Doc, begin: int) -> Hit | None:
    """An advertised return in a text carrying product-literature boilerplate ("Returns shown are
    net of fees. Full product documents available on request."): the bank's own marketing, even
    where the sentence with the figure has no "you" or "we" in it."""
    lex = load_lexicon(CATEGORY)
    if not lex.cue("literature").search(doc.norm, begin):
        return None
    entry = next(e for e in lex.triggers if e.id == "RISK-SALES-CLAIM")
    for sentence in doc.sentences:
        if sentence.end <= begin or (entry.unless is not None and entry.unless.search(sentence.text)) \
                or lex.cue("news").search(sentence.text):
            continue
        m = entry.pattern.search(sentence.text)
        if m is not None and not lex.cue("market_move").search(sentence.text[: m.start()]):
            return Hit(entry, sentence.start + m.start(), sentence.start + m.end(), sentence)
    return None


def _about_institution(finding: Finding) -> bool:
    """A superlative about the bank itself ("the UK's most award-winning wealth manager"), which
    promotes no investment product by itself."""
    return finding.category == "superlative" and \
        bool(load_lexicon("superlative").cue("institution").search(finding.text or ""))


def _names_investment(sentence: str) -> bool:
    """A sentence that turns from a deposit, loan or card to an investment product named after it
    ("您的定期存款已到期，可转购X理财"; not "unlike our funds, the Fixed Saver's rate ...")."""
    last = max((b for _, b in _deposit_spans(sentence)), default=0)
    return any(m.start() >= last for m in load_lexicon(CATEGORY).cue("products").finditer(sentence))


def _deposit_spans(sentence: str) -> list[tuple[int, int]]:
    """Where a sentence names a deposit, loan or card (the risk-disclosure lexicon's ``not_investment``)
    that is not only where the money comes from ("the cash sitting in your savings account").

    Examples
    --------
    >>> _deposit_spans("Our fixed saver pays 4%.")
    [(4, 15)]
    >>> _deposit_spans("It would suit the cash sitting in your savings account.")
    []
    """
    lex = load_lexicon(CATEGORY)
    source = lex.cue("money_source")
    return [m.span() for m in lex.cue("not_investment").finditer(sentence)
            if not source.search(sentence[max(0, m.start() - 40) : m.start()])]


def _only_non_investment(sentence: str) -> bool:
    """A sentence that names a deposit, loan or card and no investment product."""
    others = _deposit_spans(sentence)
    if not others:
        return False
    found = [*load_lexicon(CATEGORY).cue("products").finditer(sentence), *load_lexicon("suitability").cue("high_risk").finditer(sentence)]
    return all(any(a < m.end() and m.start() < b for a, b in others) for m in found)


def _finding(doc: Doc, rule_id: str, what: str, start: int | None, end: int | None) -> Finding:
    text = doc.raw[start:end] if start is not None and end is not None else None
    return Finding(rule_id, SEVERITY, CATEGORY, f"{what} with no risk warning anywhere in the text",
                   start, end, text)


def _rating_only(doc: Doc, scope: Scope, begin: int) -> list[Finding]:
    """A buy rating or price target names a security by itself."""
    for hit in _promotions(doc, scope, begin):
        if hit.entry.id == "RISK-RATING":
            return [_finding(doc, hit.entry.id, f"{hit.entry.why} ('{hit.text}')", hit.start, hit.end)]
    return []
