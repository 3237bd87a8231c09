"""Superlative detector: best / No.1 / 最 / 第一 claims without a named source (spec B.3).

A trigger from ``lexicons/superlative.yaml`` counts unless its sentence names a source (only its
own clause, when ", and" / ", but" / ";" joins a second claim of the bank's; a comparison limited to
the rows a text shows is sourced by the data source named anywhere in the text), talks
about markets, prices or the weather with a time frame, or quotes the claim in a staff rule, a
warning or a news report; limits (up to, 最低起购), 最好 = "you'd better", ordinals and the risk
scale are excluded inside the triggers themselves.
"""

from __future__ import annotations

import re

from finloom.apps.compliance._doc import Doc
from finloom.apps.compliance._lexicon import Hit, load_lexicon
from finloom.apps.compliance._scope import Scope, answer_after, negated
from finloom.apps.compliance.schemas import Finding

__all__ = ["detect_superlative"]

CATEGORY = "superlative"
SEVERITY = "medium"


def _time_bound(hit: Hit) -> bool:
    """Superlatives that a time frame turns into a record ("worst week since 2020", "best quarter in years")."""
    return hit.entry.id == "SUP-MOST" or (hit.entry.id == "SUP-BEST" and "best" in hit.text.lower())


def _named_source(text: str) -> bool:
    """A source cue that names someone ("rated by Moneyfacts"), not a vague one ("据权威机构测评")."""
    lex = load_lexicon(CATEGORY)
    # the window reaches a few characters back: "业内权威机构评选" names nobody though "机构评选" matched
    return any(not lex.cue("vague_source").search(text[max(0, m.start() - 6) : m.end() + 25])
               for m in lex.cue("source").finditer(text))


def _security_pick(doc: Doc, hit: Hit) -> bool:
    """"Top pick" / "the best name in the sector" in a research note that rates securities: a view
    on a third party's security, not a claim about the bank or its product."""
    if not load_lexicon(CATEGORY).cue("security_pick").search(doc.norm[hit.start : hit.sentence.end]):
        return False
    rating = next(e for e in load_lexicon("risk_disclosure").triggers if e.id == "RISK-RATING")
    return bool(rating.pattern.search(doc.norm))


def _excused(doc: Doc, hit: Hit) -> bool:
    lex = load_lexicon(CATEGORY)
    sentence = hit.sentence.text
    # "Which? named us ..." and "Best Digital Bank, Which? Awards 2024" split at "?"
    tail = 25 if hit.sentence.text.rstrip().endswith("?") else 0
    lead = 12
    index = doc.sentence_index(hit.sentence.start)
    if index > 0 and re.match(r"\s*[,;a-z]", hit.sentence.text) and doc.sentences[index - 1].text.rstrip().endswith("?"):
        lead = hit.sentence.start - doc.sentences[index - 1].start  # "According to Which?, we're ...": one sentence
    with_lead = doc.norm[max(0, hit.sentence.start - lead) : hit.sentence.end + tail]
    own_clause = _own_clause(sentence, hit.start - hit.sentence.start, hit.end - hit.sentence.start)
    sourced = _named_source(with_lead if own_clause is None else own_clause)
    if sourced or lex.cue("aspiration").search(sentence) or _sourced_elsewhere(doc, hit) or _cited_table(doc, hit):
        return True
    if _security_pick(doc, hit):
        return True
    if not lex.cue("own").search(sentence):  # the market, a price, the weather: not the bank's claim
        if _reported_appositive(doc, hit):
            return True  # "BlackRock, the world's largest asset manager, said ...": a report on a third party
        after = doc.norm[hit.end : hit.sentence.end]
        rivals = _AGAINST_RIVALS.match(after)  # "cheapest on the high street — fix for two years": not a time frame
        if lex.cue("market").search(sentence) or (_time_bound(hit) and not rivals and lex.cue("time_frame").search(after)):
            return True
    if negated(doc, hit.start) or Scope.quoting_context(hit.sentence):
        return True
    scope = load_lexicon("scope")
    if doc.quoted(hit.start, hit.end) and scope.cue("mention").search(sentence) and not scope.cue("instruct").search(sentence):
        return True  # the words are talked about ("last week's push used 'best rate'"), not claimed
    return doc.asks(hit.start) and answer_after(doc, hit.sentence) != "yes" and not _answered_with_own(doc, hit)


# where one claim ends and another begins inside a sentence: ", and", ", but", a semicolon (not a
# dash, which also sits inside award names: "Best Digital Bank – Hong Kong")
_CLAIM_BREAK = re.compile(r"[;；]|,\s*(?:and|but|while|plus|yet|though)\s", re.I)


def _own_clause(sentence: str, start: int, end: int) -> str | None:
    """The clause holding ``sentence[start:end]`` when a break sets it apart as a claim of the
    bank's own; None when the sentence is one claim. A source named in another clause vouches
    for that clause's claim only.

    Examples
    --------
    >>> s = "We were named Best Bank by Asiamoney, and honestly our app is the best in town."
    >>> _own_clause(s, s.index("the best"), s.index("the best") + 8)
    'honestly our app is the best in town.'
    >>> _own_clause(s, s.index("Best"), s.index("Best") + 4)  # this clause carries its own source
    'We were named Best Bank by Asiamoney'
    >>> _own_clause("Our app is the best in town.", 11, 19) is None
    True
    """
    breaks = list(_CLAIM_BREAK.finditer(sentence))
    if not breaks:
        return None
    begin = max((m.end() for m in breaks if m.end() <= start), default=0)
    stop = min((m.start() for m in breaks if m.start() >= end), default=len(sentence))
    clause = sentence[begin:stop]
    return clause if load_lexicon(CATEGORY).cue("own").search(clause) else None


def _cited_table(doc: Doc, hit: Hit) -> bool:
    """A superlative limited to the rows the text shows ("在上表列出的银行中，…利率最高") in a text
    that names where the rows come from ("数据来源：融360"): the comparison is sourced."""
    if not load_lexicon(CATEGORY).cue("shown_set").search(hit.sentence.text):
        return False
    return any(_named_source(s.text) for s in doc.sentences)


_APPOSITIVE_OPEN = re.compile(r",\s*[^,]{0,30}$")
_APPOSITIVE_CLOSE = re.compile(r"[^,]{0,40},\s*(?:said|says|reported|reports|announced|announces|posted|posts|warned|"
                               r"told|added|noted|expects|forecast|cut|raised)\b", re.I)


def _reported_appositive(doc: Doc, hit: Hit) -> bool:
    """A superlative set off by commas after a name that the sentence then reports on ("HSBC,
    Hong Kong's largest bank, reported ..."): a description of a third party in news."""
    return bool(_APPOSITIVE_OPEN.search(doc.norm[hit.sentence.start : hit.start])
                and _APPOSITIVE_CLOSE.match(doc.norm, hit.end, hit.sentence.end))


_AGAINST_RIVALS = re.compile(r"\s*(?:[\w-]+ ){0,3}(?:on the (?:high street|market)|in (?:the )?(?:UK|country|town|market|industry|city|business)\b)", re.I)


def _sourced_elsewhere(doc: Doc, hit: Hit) -> bool:
    """A headline ("Harbor Bank named Best Digital Bank") whose body repeats the claim with its source
    ("... named Best Digital Bank at the Euromoney Awards"): the claim is sourced."""
    claim = hit.sentence.text[hit.start - hit.sentence.start :].strip().rstrip(".!?。！？")[:40].lower()
    return len(claim) >= 8 and any(
        other.start != hit.sentence.start and claim in other.text.lower() and _named_source(other.text)
        for other in doc.sentences)


def _answered_with_own(doc: Doc, hit: Hit) -> bool:
    """"The best ETF for beginners? Our own tracker.": a question the bank answers with its product."""
    index = doc.sentence_index(hit.sentence.start)
    if index + 1 >= len(doc.sentences):
        return False
    reply = doc.sentences[index + 1].text.lstrip()
    return re.match(r"(?:our|ours|that's ours|it's ours|我们的|我行的|本行的)(?![a-z])", reply, re.IGNORECASE) is not None


def detect_superlative(doc: Doc) -> list[Finding]:
    """Unsourced superlative claims in ``doc``; one finding per sentence.

    Examples
    --------
    >>> [f.rule_id for f in detect_superlative(Doc("We offer the cheapest FX rates in town."))]
    ['SUP-MOST']
    >>> detect_superlative(Doc("Rated Best Digital Bank by Moneyfacts in 2024. 最低1元起购。"))
    []
    """
    findings: list[Finding] = []
    seen: set[int] = set()
    for hit in load_lexicon(CATEGORY).hits(doc):
        if hit.sentence.start in seen or _excused(doc, hit):
            continue
        seen.add(hit.sentence.start)
        findings.append(Finding(hit.entry.id, SEVERITY, CATEGORY,
                                f"{hit.entry.why} ('{hit.text}') without naming a source",
                                hit.start, hit.end, doc.raw[hit.start : hit.end]))
    return findings
