"""Read a text for claims: numbers with the entity, metric, period, basis and direction they refer to.

The reading is deliberately local: a number takes the nearest entity before it in its sentence,
the nearest metric word and direction word in its clause, and the nearest period in its clause
(else its sentence). This is what the faithfulness guard compares with the facts.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from finloom.textgen._entities import EntityIndex
from finloom.textgen._extract import Mention, NumberMention, extract_numbers, find_mentions
from finloom.textgen._facts import Fact, FactSet
from finloom.textgen._lexicon import (
    BASIS_PATTERNS,
    COMPARATIVE_WORDS,
    DIRECTION_PATTERNS,
    MAGNITUDE_WORDS,
    NEGATION,
    PAIR_QUOTE_WORDS,
    SIGN_PATTERNS,
)
from finloom.textgen._metrics import MetricIndex
from finloom.textgen._periods import PeriodMention, find_periods

__all__ = ["NumberClaim", "TextReading", "currency_of", "read_text"]

_SENTENCE = re.compile(r"[。！？!?\n；;]+|\s*[\U0001F300-\U0001FAFF\u2600-\u27BF]\ufe0f?\s+(?=\S)|\.(?=\s|$)(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bNo\.)(?<!\bvs\.)")
_CLAUSE = re.compile(r"[，、：:（）()]|,(?!\d{3})|\s[—–]\s|\s(?:while|whereas|but|although|though|and|with|as|out of|of which|"
                     r"plus|minus|against|versus|vs\.?|compared with|including)\s|\sof (?:your|the total|total)\s|"
                     r"而|但|同时|其中|，")
_ENTITY_AFTER_GAP = re.compile(r"\s*(?:(?:for|of|at|in|by|from|(?:delivered|posted|returned|recorded|gained|lost|made|"
                               r"earned|generated|reported|achieved|added|shed) by)\s+)?"
                               r"(?:the\s+|our\s+|its\s+|their\s+)?", re.I)
_SPENT_ON = re.compile(r"\s+(?:on|for)\s+(?:the\s+|your\s+|his\s+|her\s+)?", re.I)
_GENERIC_REF = re.compile(r"\bthe (?:index|fund|bank|company|stock|share|portfolio|pair|rate)\b|该指数|该基金|该行|该公司", re.I)
_BRACKETED = re.compile(r"\s?[(（]([^()（）]{1,30})[)）]")
_POSSESSIVE = re.compile(r"['’]s?(?![A-Za-z])")
_PRONOUN = re.compile(r"\b(?:it|its|it's)\b|[其它]", re.I)
_LEVEL_AFTER_SIGN = re.compile(r"\s*(?:to|at|至|到)\s*[$£€¥]?\s*$", re.I)
_TO_LEVEL = re.compile(r"^\s*(?:(?:by )?(?:a |one |two |three |half a )?(?:tenths?|notch(?:es)?|touch|bit|little|fraction|shade|ticks?)"
                       r"(?: of a (?:point|percentage point))?\s+)?(?:to|at(?!\s+an?\s)|至|到|为)", re.I)  # "grew at a 2.9% pace" is a rate  # "eased a tenth to 2.4%"
_MOVE_SIZE = re.compile(r"降幅|涨幅|增幅|跌幅|升幅|减幅|降速")  # 降幅为0.2%: the size of the move, not a level reached
# "grew its active users to 39.5M", "rose in October to 3.5%": a few words, then the level the move reached
_WORDS_TO_LEVEL = re.compile(r"^\s+(?:[A-Za-z][\w'’-]*\s+){1,4}to\s*$", re.I)
_LEVEL_MARK = re.compile(r"(?:\bto|\bat|\bof|至|到|达|为|于|报)\s*$", re.I)
_AFTER_WINDOW = 14
_BASE_BEFORE = re.compile(r"(?:\b(?:from|than|vs\.?|versus|since|over|compared (?:with|to)|against|relative to|ahead of|"
                          r"behind|short of)"
                          r"(?: (?:in|at|the|a|its|their|our|your|his|her|end|end of|the end of|same|period|quarter|month|year|half|of|last))*\s*$)"
                          r"|(?:(?<![同环])比|[较由从]|相比|对比|较之)\s*$|(?:(?<=[%\d])|(?<=pp)|(?<=bp)|(?<=bps)|(?<=pts)|(?<=\d[kmb])|(?<=\dbn)|(?<=\dmn)|(?<=million)|(?<=billion)) on\s*$"  # "jumped 23% on February"
                          # "较10月的956.7亿", "than last year's 5.8bn": a period's figure as the base
                          r"|(?:[比较]|相比于?)[^，,。；;\d]{0,8}?(?:\d{1,4}\s*[年月])?[^，,。；;\d]{0,6}的\s*$"
                          r"|\b(?:from|than|versus|vs\.?|compared (?:with|to)|since)\s+(?:[\w-]+\s+){0,3}[\w-]+'s\s*$", re.I)
_PERIOD_GAP = re.compile(r"\s*(?:,\s*)?(?:(?:year|quarter|month)[- ]on[- ](?:year|quarter|month)\s+|[yqm]/[yqm]\s+|"
                         r"(?:yoy|qoq|mom)\s+|(?:new\s+)?[a-z]+\s+(?=in\b|during\b|for\b)|"
                         r"of\s+(?:[a-z-]+\s+){1,3}(?=at\b|in\b|as\b|by\b))?"  # "HK$1,842.5bn of deposits at the end of Q3 2025"
                         r"(?:in|at|on|for|during|as (?:of|at)|by|over)?\s*(?:the\s+)?", re.I)
_METRIC_GAP = re.compile(r"\s{0,2}(?:的|(?:of (?:that|this|it|which|those) )?(?:on|for|in|of|spent on|went on|went to|"
                         r"c(?:ame|omes?|oming) from|"
                         r"going on|paid for|(?:was|were) spent on)\s+(?:the\s+|your\s+|its\s+)?"
                         r"(?:customer\s+|client\s+|retail\s+|total\s+|net\s+|gross\s+|new\s+)?)?", re.I)
_CODE_LIKE = re.compile(r"\b(?!(?:CNY|RMB|USD|EUR|GBP|HKD|JPY|AUD|CAD|SGD|CHF|NZD|TWD|KRW|INR|MYR|IDR|VND|THB|RM|Rp)\d)"  # CNY4,820, RM28.6 are money
                        r"[A-Za-z]{1,12}\d+(?:\.\d+)?[A-Za-z]*\b|\b\d+[A-Za-z]*-(?:year|month|week)\b"
                        r"|每\s?\d+\s?(?:份|股)|\bper \d+ (?:units|shares)\b"  # 每10份派0.52元: a unit of quotation
                        # 100日元兑人民币4.7105, "per 100 yen": the amount a currency is quoted per
                        r"|(?<![\d.,])(?:100|1000|10000)\s?(?:日元|韩元|JPY|KRW|yen|won)(?=\s*(?:兑|[=＝]))|\bper 100 (?:yen|JPY|won|KRW)\b"
                        r"|每(?:100|1000)\s?(?:日元|韩元)"
                        # a ranking's size in a name: "Top-10 borrowers", 前十大 / 前10大客户 (not "top 10% of")
                        r"|\btop[- ]\d{1,3}(?![\d.,%％])(?!\s*(?:%|of\b|per ?cent|percent|pc\b))|前\s?\d{1,3}\s?大"
                        r"|\bT\+\d\b|\b\d{1,2}:\d{2}\b|\b\d{1,2}s\d{1,2}s\b"  # 2s10s: a curve spread's name
                        # labels: "Stage 3 loans", "Tier 1 capital", "90+ day arrears"
                        r"|\b(?:stage|tier|level|phase|pillar|class|grade|series|wave|round|step|portfolio|plan|"
                        r"option|model|scheme|strategy|product)\s\d{1,2}\b"
                        # ages and holding periods: "30岁男性", "aged 66", 七日年化, 90天持有
                        r"|\b\d{1,2}[- ](?:year|month|yr)s?\s+(?:fixed|bond|isa|saver|deposit|term|cd|notice|account|gilt|"
                        r"treasury|note|loan|mortgage|\x00)"  # "1 Year Fixed Saver" (the name may be masked)
                        r"|\d{1,3}\s?岁|\baged \d{1,3}\b|\b\d{1,3}-year-old\b|[七7]\s?[日天](?=年化)|\d{1,3}\s?天(?=持有|期)"
                        r"|\b\d{1,3}\+\s?-?(?:day|month|year|dpd)s?\b"
                        # tenors: 10年期国债, 3个月期, "10年与1年期限利差"
                        r"|\d{1,2}\s?(?:年|个月|天|月)期|\d{1,2}\s?年(?=[与和、/至-](?:\d{1,2}\s?年期|\x00))", re.I)
_CARD_TAIL = re.compile(r"(?:尾号|\bending(?: in)? )\s?(\d{3,4})(?!\d)")
_DAY_TENOR = re.compile(r"\b\d+-day\b")
_PLUS = re.compile(r"\+\s?\S")  # "+3.6%" states a rise
_TENOR = re.compile(r"(?<![\d.,])(\d{1,3})\s?(个月|年期|年|[a-z]{1,2}(?=\+|(?![a-z])))", re.I)
_TENOR_UNIT = {"个月": "m", "年期": "y", "年": "y"}
# a threshold a metric's name carries ("loans icr below 125", "ltv above 90")
_LABEL_THRESHOLD = re.compile(r"\b(below|above|under|over|less than|more than|at least|at most)\s(\d{1,4})\b")
_SPAN_WORDS = re.compile(r"(?<![\d.,])(\d{1,3})[- ]?(days?|months?|weeks?|years?)\b", re.I)
_TENOR_AFTER = re.compile(r"\b(month|year|day)\s(\d{1,3})\b", re.I)
_INDEX_NUMBER = re.compile(r"(?:沪深|中证|上证|深证|科创|创业板|北证|恒生科技|国证|标普|纳斯达克|罗素|日经|富时|欧洲斯托克)\s?\d{2,4}"
                           r"(?![\d.%％点])|"
                           r"\b(?:CSI|FTSE|STOXX|Stoxx|Euro Stoxx|Nikkei|ASX|Russell|S&P|SSE|SZSE|KOSPI|Nifty|Sensex)"
                           r"\s?\d{2,4}(?![\d.%,]|\s?(?:points|pts)\b)")
_ORDINAL_DAY = re.compile(r"\b(?:on|by|as of|as at|until|till|through) the ([1-3]?\d)(?:st|nd|rd|th)\b(?! (?:day|month|week|year|percentile|consecutive))", re.I)
_SHORT_DATE = re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})(?![\d/%.])")
_DOTTED_DAYS = re.compile(r"(?<![\d.])(1[0-2]|[1-9])\.([0-3]?\d)\s?[-–—~～至]\s?(?:(?:1[0-2]|[1-9])\.)?[0-3]?\d(?![\d.%％])")
_DAY_RANGE_END = re.compile(r"(?<=[日号])\s?(?:到|至|-|—|~|～)\s?\d{1,2}\s?[日号]")


_NAMED_FIGURE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s?[%％]")  # "99% VaR", "80% LTV cap": a level in a measure's name


def named_numbers(text: str, facts: FactSet) -> list[tuple[int, int]]:
    """Numbers that are part of a name, not claims: a tenor the facts' keys or names carry ("10y
    yields" for "UK 10Y gilt yield", "1个月HIBOR" for ``hibor_1m_pct``), the number of an index
    name ("STOXX 600" for "STOXX Europe 600"), the end day of a date range (9月23日到30日).

    Examples
    --------
    >>> from finloom.textgen._fact_loader import facts_from_dict
    >>> fs = facts_from_dict({"entity": "UK 10Y gilt yield", "period": "2024-09", "yield_pct": 4.0})
    >>> text = "10y yields ended at 4.00%, from 9月2日到30日."
    >>> [text[a:b] for a, b in named_numbers(text, fs)]
    ['10y', '到30日']
    >>> fs = facts_from_dict({"desk": "FX", "measure": "10-day 95% VaR", "var_usd_mn": 3.1})
    >>> text = "FX 10-day 95% VaR was $3.1m."
    >>> [text[a:b] for a, b in named_numbers(text, fs)]
    ['95%']
    """
    names = " ".join(facts.entities())
    keys = (names + " " + " ".join(f"{f.id} {f.label}" for f in facts)).lower()
    tokens = set(re.findall(r"\d+[a-z]+", keys))
    tokens |= {f"{n}{u[0]}" for n, u in re.findall(r"(?<![\d.])(\d{1,3})[_ ](day|month|week|year)s?\b", keys)}  # next_30_days
    tokens |= {f"{n}{_TENOR_UNIT[u]}" for n, u in re.findall(r"(\d{1,3})\s?(个月|年期)", keys)}  # 30年期国债 → "30Y"
    described = " ".join(d for _, d in facts.descriptors).lower()  # "bond": "10-year Treasury" is the "10Y" of a headline
    tokens |= {f"{n}{u[0]}" for n, u in re.findall(r"(?<![\d.])(\d{1,2})[- ](year|month)\b", f"{keys} {described}")}
    spans = [m.span() for m in _TENOR.finditer(text)
             if f"{m.group(1)}{_TENOR_UNIT.get(m.group(2), m.group(2).lower())}" in tokens]
    spans += [m.span(1) for m in _SPAN_WORDS.finditer(text)  # "90 days past due" for ``overdue_90d``
              if f"{m.group(1)}{m.group(2)[0].lower()}" in tokens]
    spans += [m.span(2) for m in _TENOR_AFTER.finditer(text)  # "did not persist to month 13"
              if f"{m.group(2)}{m.group(1)[0].lower()}" in tokens]
    spans += [m.span() for m in _INDEX_NUMBER.finditer(text)]  # 沪深300, CSI 300, FTSE 100: an index's name
    days = {(d.month, d.day) for f in facts if f.period for d in (f.period.start, f.period.end)}
    spans += [m.span() for m in _ORDINAL_DAY.finditer(text)  # "USD/CNY at 7.1936 on the 29th" of 2024-02-29
              if int(m.group(1)) in {d for _, d in days}]
    spans += [m.span() for m in _SHORT_DATE.finditer(text)  # "债市晨报（12/2）" of 2024-12-02
              if (int(m.group(1)), int(m.group(2))) in days or (int(m.group(2)), int(m.group(1))) in days]
    for name in facts.entities():
        words = re.split(r"[\s/]+", name)  # "S&P/ASX 200" is written "ASX 200"
        others = [re.escape(w) for w in words if not w.isdigit() and len(w) >= 2]
        for number in (w for w in words if w.isdigit()) if others else ():
            spans += [(m.end() - len(number), m.end()) for m in
                      re.finditer(rf"(?<![A-Za-z])(?:{'|'.join(others)})\s+{number}(?!\d)", text, re.I)]
    for _, described in facts.descriptors:  # "var_measure": "1-day 99% VaR" names a measure: its 99% claims nothing
        if not re.search(r"[^\d\W]{2}", described) or find_periods(described):
            continue
        inner = [m.span() for m in _NAMED_FIGURE.finditer(described)]
        spans += [(m.start() + a, m.start() + b) for m in re.finditer(re.escape(described), text, re.I) for a, b in inner]
    for name in {a for e in facts.entities() for a in (e, *facts.aliases(e))}:
        for code in set(re.findall(r"(?<![A-Za-z\d])[A-Za-z]{1,6}-?\d{1,4}[A-Za-z]?(?![A-Za-z\d])", name)):
            spans += [m.span() for m in re.finditer(rf"(?<![A-Za-z\d]){re.escape(code)}(?![A-Za-z\d])", text)]  # "SN-24"
    for label in {f.label for f in facts if f.label and not f.label.isascii()}:
        for m in re.finditer(r"\d+", label):  # "30天以上逾期率": the 30 of a Chinese metric's name
            after = label[m.end() : m.end() + 2]
            if after and not after.isascii():
                spans += [(t.start(), t.start() + len(m.group(0))) for t in re.finditer(rf"(?<!\d){m.group(0)}{re.escape(after)}", text)]
    for label in {f.label for f in facts if f.label and f.label.isascii()}:
        for m in _LABEL_THRESHOLD.finditer(label):  # "icr below 125": the 125% of "an ICR below 125%" names the measure
            spans += [t.span(1) for t in re.finditer(rf"\b{m.group(1)}\s+({m.group(2)})(?![\d.,])", text, re.I)]
    months = {p.start.month for p in (f.period for f in facts) if p} | {p.end.month for p in (f.period for f in facts) if p}
    spans += [m.span() for m in _DOTTED_DAYS.finditer(text) if int(m.group(1)) in months]  # 【持仓周报 12.16-12.20】
    return spans + [m.span() for m in _DAY_RANGE_END.finditer(text)]


@dataclass(frozen=True)
class NumberClaim:
    """One number and what the text attaches to it (each may be None)."""

    number: NumberMention
    entity: Mention | None
    metrics: tuple[Mention, ...]  # metric words of its clause, most likely first
    period: PeriodMention | None
    basis: str | None
    direction: str | None
    subject_currency: str | None = None  # the currency word the direction is said of ("the yuan weakened")
    magnitude: bool = False  # the direction word speaks of size ("the decline narrowed", 降幅收窄)
    comparative: bool = False  # the direction compares two things ("outperformed", 跑输)
    sign: str | None = None  # a sign noun next to the number: "surplus" (+) or "deficit" (−)
    base: bool = False  # the number is a comparison base ("from 4.6%", 由600元, 较上月)
    direction_at: int | None = None  # where the direction word is
    base_period: PeriodMention | None = None  # "than in April last year", 较上月: what a change is measured from
    to_level: bool = False  # "cooled to 0.4%": the direction word describes a move to this level

    @property
    def metric(self) -> Mention | None:
        """The most likely metric word (nearest before the number in its clause)."""
        return self.metrics[0] if self.metrics else None


@dataclass
class TextReading:
    """Everything the guard read in one text."""

    text: str
    sentences: list[tuple[int, int]]
    entities: list[Mention]
    metrics: list[Mention]
    periods: list[PeriodMention]
    claims: list[NumberClaim] = field(default_factory=list)
    directions: list[Mention] = field(default_factory=list)
    metric_index: MetricIndex | None = None  # the facts' metric words, built once per text

    def clause_of(self, pos: int) -> tuple[int, int]:
        """The clause (within its sentence) that contains ``pos``."""
        return _find(_spans(_CLAUSE, self.text, *_find(self.sentences, pos)), pos)

    def currencies_in(self, clause: tuple[int, int]) -> set[str]:
        """Currency codes named in a clause (人民币, euro, 美元 ...)."""
        return {code for _, code in _currencies_by_position(self.text[clause[0] : clause[1]].lower())}

    def subject_currency(self, clause: tuple[int, int], entity: Mention | None) -> str | None:
        """The currency a direction in ``clause`` is said of, if any."""
        return _subject_currency(clause, self.text, entity)


def _spans(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start] + [start + m.end() for m in pattern.finditer(text[start:end])] + [end]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]


def _find(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    return next((s for s in spans if s[0] <= pos < s[1]), (pos, pos + 1))


def _negated(text: str, start: int) -> bool:
    return bool(NEGATION.search(text[max(0, start - 14) : start]))


def extract_directions(text: str, *, skip: Iterable[tuple[int, int]] = ()) -> list[Mention]:
    """Direction words (rose / fell / 上涨 / 下跌 / narrowed / 净流出 …), negated ones left out.

    Examples
    --------
    >>> [(d.text, d.value) for d in extract_directions("The index fell, then 上涨, but did not rise again")]
    [('fell', 'down'), ('上涨', 'up')]
    """
    blocked = [False] * len(text)
    for a, b in skip:
        blocked[a:b] = [True] * (b - a)
    found: list[Mention] = []
    for value, pattern in DIRECTION_PATTERNS:
        for m in pattern.finditer(text):
            if any(blocked[m.start() : m.end()]):
                continue
            word = m.group(0).lower()
            if word == "up" and re.match(r"\s+to\b", text[m.end() :]):
                continue  # "up to 4.5 %" is a cap, not a rise
            blocked[m.start() : m.end()] = [True] * (m.end() - m.start())
            if not _negated(text, m.start()):
                found.append(Mention(m.start(), m.end(), m.group(0), value))
    return sorted(found, key=lambda d: d.start)


def _bases(text: str) -> list[Mention]:
    found: list[Mention] = []
    for value, pattern in BASIS_PATTERNS:
        found += [Mention(m.start(), m.end(), m.group(0), value) for m in pattern.finditer(text)]
    return sorted(found, key=lambda m: m.start)


def _nearest_before(items: list[Mention], lo: int, pos: int) -> Mention | None:
    before = [m for m in items if lo <= m.start and m.end <= pos]
    return before[-1] if before else None


def _nearest_after(items: list[Mention], pos: int, hi: int, window: int | None = None) -> Mention | None:
    limit = hi if window is None else min(hi, pos + window)
    after = [m for m in items if pos <= m.start < limit]
    return after[0] if after else None


_ONE_WORD = re.compile(r"\s*(?:[A-Za-z-]+\s+)?")


def _direction_mention(n: NumberMention, clause: tuple[int, int], directions: list[Mention],
                       numbers: list[NumberMention], text: str) -> Mention | None:
    prev_end = max((m.end for m in numbers if clause[0] <= m.start and m.end <= n.start), default=clause[0])
    before = _nearest_before(directions, prev_end, n.start)
    if before is not None:
        own = _nearest_after(directions, n.end, clause[1], _AFTER_WINDOW)
        if own is not None and prev_end > clause[0] and _ONE_WORD.fullmatch(text[n.end : own.start]) and \
                _ONE_WORD.fullmatch(text[prev_end : before.start]):
            return own  # "a 21% monthly surge that reversed August's 3.5% decline": each figure its own noun
        return before
    if prev_end > clause[0] and _LEVEL_MARK.search(text[prev_end : n.start]):
        return None
    nxt = min((m.start for m in numbers if m.start >= n.end), default=clause[1])
    return _nearest_after(directions, n.end, min(clause[1], nxt), _AFTER_WINDOW)


def _basis_for(n: NumberMention, clause: tuple[int, int], sentence: tuple[int, int], bases: list[Mention],
               numbers: list[NumberMention]) -> str | None:
    inside = [b for b in bases if clause[0] <= b.start < clause[1]]
    if inside:
        return min(inside, key=lambda b: abs(b.start - n.start)).value
    if any(sentence[0] <= m.start < n.start for m in numbers):
        return None  # a basis stated for an earlier figure does not carry over
    before = _nearest_before(bases, sentence[0], n.start)
    return before.value if before else None


def is_base(text: str, start: int) -> bool:
    """Whether the span starting at ``start`` is a comparison base ("from Q2", 较上月, "than in April")."""
    before = text[max(0, start - 40) : start]
    over = _OVER_THE.search(before)
    if over and (over.group(1) or re.match(r"the\s", text[start:], re.I)) and \
            not re.match(r"(?:the\s+)?same\b", text[start:], re.I):
        return False  # "grew 1.2% over the third quarter": during it, not against it
    return bool(_BASE_BEFORE.search(before))


_OVER_THE = re.compile(r"\bover\s+(the\s+)?$", re.I)


def _period_for(n: NumberMention, sentence: tuple[int, int], periods: list[PeriodMention],
                numbers: list[NumberMention], text: str, zh: bool) -> PeriodMention | None:
    """The period a number is stated for: the nearest one not separated from it by another number.

    English puts the period after the number ("2.04% in Q3"), Chinese before (三季度末…2.04%).
    """
    between = [m.start for m in numbers if m is not n]

    def clear(a: int, b: int) -> bool:
        return not any(a <= x < b for x in between)

    usable = [p for p in periods if sentence[0] <= p.start < sentence[1] and not is_base(text, p.start)]
    clause = _find(_spans(_CLAUSE, text, *sentence), n.start)
    first_number = min((m.start for m in numbers if sentence[0] <= m.start < sentence[1]), default=n.start)
    before = [p for p in usable if p.end <= n.start and clear(p.end, n.start)
              and (p.start >= clause[0] or p.end <= first_number)]
    after = [p for p in usable if p.start >= n.end and clear(n.end, p.start)]
    near_after = [p for p in after if _PERIOD_GAP.fullmatch(text[n.end : p.start])]
    if not zh and near_after:
        return near_after[0]
    if before:
        return before[-1]
    return near_after[0] if near_after else None


def _base_period_for(n: NumberMention, clause: tuple[int, int], periods: list[PeriodMention],
                     numbers: list[NumberMention], text: str) -> PeriodMention | None:
    others = [m.start for m in numbers if m is not n]
    for p in periods:
        if clause[0] <= p.start < clause[1] and is_base(text, p.start):
            lo, hi = sorted((p.start, n.start))
            if not any(lo < x < hi for x in others):
                return p
    return None


# "37% of borrowers", "a third of deposits": the word after "of" names the whole, not the share's metric
_WHOLE_OF = re.compile(r"\s*of\s+(?:(?:the|its|our|their|all|total)\s+)*", re.I)
_SHARE_OF = re.compile(r"\s*(?:占|占到|占了|占据)[^，。,；;\d]{0,8}")


def _metric_options(n: NumberMention, clause: tuple[int, int], metrics: list[Mention], text: str) -> tuple[Mention, ...]:
    before = [m for m in metrics if clause[0] <= m.start and m.end <= n.start
              and not re.search(r"\d", text[m.end : n.start])][::-1]
    if len(before) >= 2 and _SHARE_OF.fullmatch(text[before[1].end : before[0].start]):
        before[0], before[1] = before[1], before[0]  # "按揭占零售贷款近六成": 贷款 is the base, 按揭 the share
    after = [m for m in metrics if n.end <= m.start < min(clause[1], n.end + 2 * _AFTER_WINDOW)
             and _METRIC_GAP.fullmatch(text[n.end : m.start])
             and not (n.kind == "percent" and _WHOLE_OF.fullmatch(text[n.end : m.start]))]
    if after and (not before or text[n.end : after[0].start].strip() == "" or
                  before[0].end < n.start - 12 or _between_number(before[0], n, text)):
        return tuple(after + before)  # "19,000 mortgages", "a 1.15% bonus rate", "$455.80 on dining"
    return tuple(before + after)


def _between_number(m: Mention, n: NumberMention, text: str) -> bool:
    """Whether another number sits between a metric word and a number ("3.6% base rate plus 1.15%")."""
    return bool(re.search(r"\d", text[m.end : n.start]))


def _to_date_amount(f: Fact) -> bool:
    """An amount summed to date ("ytd_saved_usd"): its word ("saved") names the total, not a move."""
    return f.basis in ("ytd", "mtd") and f.unit in ("currency", "count")


_YUAN = r"(?<![\d亿万日港欧美澳韩新台])元"  # 元 alone is the yuan; 日元, 港元, 欧元 … are other currencies


def _currency_pattern(word: str) -> str:
    return rf"\b{re.escape(word)}\b" if word.isascii() else (_YUAN if word == "元" else re.escape(word))


@functools.lru_cache(maxsize=1)
def _currency_words() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each currency word's pattern, longest word first, compiled once."""
    pairs = sorted(((c, w) for c, words in PAIR_QUOTE_WORDS.items() for w in words), key=lambda cw: -len(cw[1]))
    return tuple((code, re.compile(_currency_pattern(w))) for code, w in pairs)


@functools.lru_cache(maxsize=4096)
def _currencies_by_position(body: str) -> list[tuple[int, str]]:
    """Currency codes named in ``body`` (lower-cased) with where each is first named."""
    found: dict[str, int] = {}
    taken: list[tuple[int, int]] = []  # "Aussie dollar" names AUD only, not the dollar
    for code, pattern in _currency_words():
        for m in pattern.finditer(body):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            if m.start() < found.get(code, len(body) + 1):
                found[code] = m.start()
    return sorted((pos, code) for code, pos in found.items())


def currency_of(name: str) -> str | None:
    """The currency a name is (sterling → GBP, 日元 → JPY); None for a pair or anything else.

    Examples
    --------
    >>> currency_of("Sterling"), currency_of("离岸人民币"), currency_of("USD/CNY"), currency_of("S&P 500")
    ('GBP', 'CNY', None, None)
    """
    named = _currencies_by_position(name.lower())
    return named[0][1] if len(named) == 1 and not _PAIR_NAME.search(name) else None


_PAIR_NAME = re.compile(r"[/兑对]|\bagainst\b|\bvs\.?", re.I)
_PAIR_PREFIX = re.compile(r"([A-Za-z]{3}|[\u4e00-\u9fff]{1,4})\s*[/兑对]\s*$")


_PAIR_TOKEN = re.compile(r"\b[A-Za-z]{3}\s?/\s?[A-Za-z]{3}\b|[\u4e00-\u9fff]{1,5}\s?[/兑]\s?[\u4e00-\u9fff]{1,5}")
_OBJECT_BEFORE = re.compile(r"(?:\b(?:against|versus|vs\.?|over|to|from)\s+(?:the\s+)?|[对兑])$", re.I)


def _subject_currency(clause: tuple[int, int], text: str, entity: Mention | None) -> str | None:
    """The currency a direction is said of: the first one a pair's name gives ("人民币兑美元升值" is
    said of the yuan, "USD/CNY rose" of the dollar), a currency named alone ("the yuan weakened"),
    else the first currency word of the clause that is not the object of "against" / 对."""
    own = currency_of(entity.text) if entity is not None else None
    if entity is not None and _OBJECT_BEFORE.search(text[max(0, entity.start - 12) : entity.start].lower()):
        entity, own = None, None  # "lost ground to the yen": the yen is what it is measured against
    if entity is not None and clause[0] <= entity.start < clause[1]:
        prefix = _PAIR_PREFIX.search(text[max(0, entity.start - 8) : entity.start])
        first = _currencies_by_position(prefix.group(1).lower()) if prefix else []
        if first:
            return first[0][1]  # "美元/离岸人民币": the dollar
        named = _currencies_by_position(entity.text.lower())
        if named and (_PAIR_NAME.search(entity.text) or own):
            return named[0][1]
        text = text[: entity.start] + " " * len(entity.text) + text[entity.end :]
    body = _PAIR_TOKEN.sub(lambda m: " " * len(m.group(0)), text[clause[0] : clause[1]].lower())
    for pos, code in _currencies_by_position(body):
        if not _OBJECT_BEFORE.search(body[max(0, pos - 12) : pos]):
            return code
    if own is None and entity is not None and _PAIR_NAME.search(entity.text):
        named = _currencies_by_position(entity.text.lower())
        if named:
            return named[0][1]  # "在岸人民币兑美元收报7.2993，全年累计贬值约2.8%": said of the yuan
    if own is None and entity is None:
        # only an object in the clause ("but lost ground to the yen"), or no currency at all
        # ("人民币对美元中间价报7.1055，较前一交易日贬值44个基点"): the sentence's subject currency
        start = max((a for a, _ in _spans(_SENTENCE, text, 0, len(text)) if a <= clause[0]), default=0)
        lead = _PAIR_TOKEN.sub(lambda m: " " * len(m.group(0)), text[start : clause[0]].lower())
        for pos, code in _currencies_by_position(lead):
            if not _OBJECT_BEFORE.search(lead[max(0, pos - 12) : pos]):
                return code
    return own


def main_period(facts: FactSet) -> tuple[dt.date, dt.date] | None:
    """The period most facts describe (latest first on ties): what "Q1" or "last month" are read against."""
    periods = Counter((f.period.start, f.period.end) for f in facts if f.period)
    if not periods:  # only dates ("effective_date", "week_ending"): "May 20" and "October 10" are read in their year
        dates = [f.date for f in facts if f.date]
        return (min(dates), max(dates)) if dates else None
    top = max(periods.values())
    return max((p for p, k in periods.items() if k == top), key=lambda p: p[1])


def _as_written(found: list[PeriodMention], masked: str, facts: FactSet,
                anchor: tuple[dt.date, dt.date] | None) -> list[PeriodMention]:
    """"Last month" in a note written on 3 September about August: a relative period that names no fact's
    period when counted from the data may name one when counted from the day the facts were reported."""
    written = facts.written_on
    if written is None or anchor is None or written <= anchor[1] or not any(p.relative for p in found):
        return found
    own = {(f.period.start, f.period.end) for f in facts if f.period}
    alt = {(p.start, p.end): p for p in find_periods(masked, (written, written)) if p.relative}
    out = []
    for p in found:
        q = alt.get((p.start, p.end))
        swap = p.relative and q is not None and (p.first, p.last) not in own and (q.first, q.last) in own
        out.append(q if swap and q is not None else p)
    return out


def read_text(text: str, facts: FactSet, *, anchor: tuple[dt.date, dt.date] | None = None,
              extra_aliases: dict[str, list[str]] | None = None) -> TextReading:
    """Segment ``text`` and attach entity, metric, period, basis and direction to every number.

    Examples
    --------
    >>> from finloom.textgen._fact_loader import facts_from_dict
    >>> fs = facts_from_dict({"bank": "Harbor Bank", "period": "2024-Q1", "net_profit_yoy_pct": -3.4})
    >>> (c,) = read_text("Harbor Bank's net profit fell 3.4% year on year in Q1.", fs).claims
    >>> c.number.text, c.entity.value, c.metric.text, c.basis, c.direction, c.period.text
    ('3.4%', 'Harbor Bank', 'net profit', 'yoy', 'down', 'Q1')
    """
    anchor = anchor if anchor is not None else main_period(facts)
    entities = EntityIndex(facts, extra_aliases or {}).find(text)
    metric_index = MetricIndex(facts)
    metrics = metric_index.find(text, skip=[(e.start, e.end) for e in entities])
    bases = _bases(text)
    masked = _mask(text, [(b.start, b.end) for b in bases] + [(e.start, e.end) for e in entities])
    all_periods = _as_written(find_periods(masked, anchor), masked, facts, anchor)
    dated = {f.date for f in facts if f.date}
    periods = all_periods
    attachable = [p for p in all_periods if not (p.grain == "day" and p.first in dated)]
    codes = [(m.start(), m.end()) for m in _CODE_LIKE.finditer(masked)]
    names = " ".join([*facts.entities(), *(d for _, d in facts.descriptors)])  # "account": "储蓄卡尾号8821"
    codes += [(m.start(), m.end()) for m in _CARD_TAIL.finditer(masked) if m.group(1) in names]  # 尾号3317客户
    if not any(f.unit == "days" for f in facts):  # "30-day notice" is a tenor unless days are facts
        codes += [(m.start(), m.end()) for m in _DAY_TENOR.finditer(masked)]
    codes += named_numbers(text, facts)
    skip = [(e.start, e.end) for e in entities] + [(p.start, p.end) for p in periods] + codes
    numbers = extract_numbers(text, skip=skip)
    by_id = {f.id: f for f in facts}
    level_names = [(m.start, m.end) for m in metrics if m.end - m.start > 2 and metric_index.fact_ids(m)
                   and all(by_id[i].direction is None or _to_date_amount(by_id[i])
                           for i in metric_index.fact_ids(m) if i in by_id)]
    directions = extract_directions(text, skip=[(e.start, e.end) for e in entities] + [(p.start, p.end) for p in periods]
                             + [(n.start, n.end) for n in numbers] + level_names)  # 最大回撤 names a level
    sentences = _spans(_SENTENCE, text, 0, len(text))
    reading = TextReading(text, sentences, entities, metrics, periods, directions=directions,
                          metric_index=metric_index)
    known = [e for e in entities]
    zh = bool(re.search(r"[\u4e00-\u9fff]", text))
    for n in numbers:
        sentence = _find(sentences, n.start)
        clause = _find(_spans(_CLAUSE, text, *sentence), n.start)
        entity = _entity_for(n, clause, sentence, known, numbers, text)
        direction = _direction_mention(n, clause, directions, numbers, text)
        reading.claims.append(NumberClaim(
            n, entity, _metric_options(n, clause, metrics, text),
            _period_for(n, sentence, attachable, numbers, text, zh),
            _basis_for(n, clause, sentence, bases, numbers),
            "down" if n.signed and n.value < 0 else "up" if n.signed and n.value > 0 and _PLUS.match(n.text)
            else (direction.value if direction else None),
            _subject_currency(clause, text, entity),
            bool(direction and MAGNITUDE_WORDS.fullmatch(direction.text.lower())),
            bool(direction and COMPARATIVE_WORDS.fullmatch(direction.text.lower())),
            _sign_for(n, clause, text), is_base(text, n.start), direction.start if direction else None,
            _base_period_for(n, clause, all_periods, numbers, text),
            bool(direction and direction.end <= n.start and not _MOVE_SIZE.fullmatch(direction.text) and
                 (_TO_LEVEL.match(text[direction.end : n.start]) or
                  _WORDS_TO_LEVEL.match(text[direction.end : n.start]) or
                 direction.value == "flat" and _LEVEL_MARK.search(direction.text)))))  # "held at 3.0%"
    _respectively(reading)
    _versus(reading)
    return reading


_VERSUS = re.compile(r"\s*(?:vs\.?|versus|v\.|against|对比|对)\s*", re.I)


def _versus(reading: TextReading) -> None:
    """"Harlow earned 2.5 times as much as Quayside (£640m vs £256m)", "七日年化2.22%对1.98%": two
    figures set against each other go with the two names the sentence (or the one before) compares,
    in the order it names them — unless a name stands right before the first figure."""
    text, claims = reading.text, reading.claims
    for i in range(len(claims) - 1):
        a, b = claims[i].number, claims[i + 1].number
        if not _VERSUS.fullmatch(text[a.end : b.start]):
            continue
        here = next((k for k, s in enumerate(reading.sentences) if s[0] <= a.start < s[1]), None)
        if here is None:
            continue
        sentence = reading.sentences[here]
        if any(a.start <= e.start < sentence[1] for e in reading.entities):
            continue  # "214% against 187% for Wexford": the names come with the figures
        in_sentence = any(sentence[0] <= e.start < a.start for e in reading.entities)
        spans = [(sentence[0], a.start)] + ([reading.sentences[here - 1]] if here > 0 and not in_sentence else [])
        for lo, hi in spans:
            named = list({e.value: e for e in reading.entities if lo <= e.start < hi and not e.value.startswith("?")}
                         .values())
            if len(named) != 2:
                continue
            last = named[-1] if lo == reading.sentences[here][0] else None
            if last is not None and re.fullmatch(r"[\s:：(（]*", text[last.end : a.start]):
                break  # "Harlow £640m vs Quayside £256m" names each figure itself
            first, second = sorted(named, key=lambda e: e.start)
            claims[i] = replace(claims[i], entity=first)
            claims[i + 1] = replace(claims[i + 1], entity=second)
            break


_RESPECTIVELY = re.compile(r"分别|\brespectively\b", re.I)
_LIST_SEP = re.compile(r"\s*(?:[(（][^()（）]{0,24}[)）]\s*)?(?:,|，|、|/|和|及|与|以及|and|&|, and|，以及)?\s*(?:the\s+)?", re.I)
# ("Short Duration (+1.3%) and Global Value (+4.1%) attracted $58.2m and $35.8m respectively": a bracket may sit between)
_NUMBER_GAP = {True: re.compile(r"[^\d。！？!?；;，,]{0,8}"), False: re.compile(r"[^\d.!?;]{0,8}")}


def _runs(items: list[Any], text: str) -> list[list[Any]]:
    """Mentions written as a list ("A, B and C", 东海银行、北江银行和南岭农商行), in text order."""
    runs: list[list[Any]] = []
    for item in items:
        if runs and _LIST_SEP.fullmatch(text[runs[-1][-1].end : item.start]):
            runs[-1].append(item)
        else:
            runs.append([item])
    return [r for r in runs if len(r) >= 2]


def _respectively(reading: TextReading) -> None:
    """"2024年、2023年最大回撤分别为0.21%和0.35%", "Brent and WTI settled at $87.48 and $83.17
    respectively": the i-th figure of the run goes with the i-th period, entity or metric of the
    list before it (in the sentence, else in the sentence before: "两者不良率分别为…")."""
    text = reading.text
    for m in _RESPECTIVELY.finditer(text):
        here = next((i for i, s in enumerate(reading.sentences) if s[0] <= m.start() < s[1]), None)
        if here is None:
            continue
        sentence = reading.sentences[here]
        in_sentence = [i for i, c in enumerate(reading.claims) if sentence[0] <= c.number.start < sentence[1]]
        zh = m.group(0) == "分别"
        side = [i for i in in_sentence if (reading.claims[i].number.start >= m.end()) == zh]
        run: list[int] = []  # the figures listed together next to the keyword
        for i in (side if zh else side[::-1]):
            if run:
                a, b = sorted((reading.claims[run[-1]].number, reading.claims[i].number), key=lambda n: n.start)
                if not _NUMBER_GAP[zh].fullmatch(text[a.end : b.start]):
                    break
            run.append(i)
        run = sorted(run, key=lambda i: reading.claims[i].number.start)
        if len(run) < 2:
            continue
        first = reading.claims[run[0]].number.start
        spans = [(sentence[0], min(first, m.start()))]
        if here > 0:
            spans.append(reading.sentences[here - 1])
        for lo, hi in spans:
            lists = [r for kind in (reading.periods, reading.entities, reading.metrics)
                     for r in _runs([x for x in kind if lo <= x.start < hi], text) if len(r) <= len(run)]
            if not lists:  # "A类亏损3.46%，C类亏损约4.1%，单位净值分别为…" (or in the sentence before)
                named = list({e.value: e for e in reading.entities if lo <= e.start < hi}.values())
                lists = [named] if 2 <= len(named) <= len(run) else []
            if not lists:
                continue
            items = max(lists, key=lambda r: (len(r), r[-1].end))  # the longest list, nearest the figures
            figures = run[: len(items)] if zh else run[-len(items) :]
            for i, item in zip(figures, items, strict=True):
                claim = reading.claims[i]
                if isinstance(item, PeriodMention):
                    reading.claims[i] = replace(claim, period=item)
                elif item in reading.metrics:
                    reading.claims[i] = replace(claim, metrics=(item,))
                else:
                    reading.claims[i] = replace(claim, entity=item)
            break


def _entity_for(n: NumberMention, clause: tuple[int, int], sentence: tuple[int, int], known: list[Mention],
                numbers: list[NumberMention], text: str) -> Mention | None:
    """The entity a number is about: the nearest before it in its sentence, unless another number sits
    in between and an entity follows it in its clause ("3.9% for the Hang Seng")."""
    before = _nearest_before(known, sentence[0], n.start)
    if before is not None and _POSSESSIVE.match(text[before.end :]) and \
            any(before.end <= m.start < n.start for m in numbers if m is not n) and \
            not _GENERIC_REF.search(text[clause[0] : n.start]) and \
            not re.search(r"\b(?:which|whose)\b", text[before.end : n.start]):  # "the Fed's range, which stands at …"
        # "double the FTSE 100's 1.6% advance, and finished at 18,498": the possessive has its own figure
        earlier = [e for e in known if sentence[0] <= e.start and e.end <= before.start]
        before = earlier[-1] if earlier else before
    if before is not None and _PRONOUN.search(text[before.end : n.start]) and not _leads_clause(before, sentence, text):
        topic = _nearest_after(known, sentence[0], sentence[1])  # "…, though it was only 0.2% higher"
        before = topic if topic is not None and topic.start < before.start else before
    bracket = _BRACKETED.match(text, n.end)
    if bracket:  # "term deposits 4.6% (3-month), 4.85% (6-month)": the name in brackets after the figure
        inside = _nearest_after(known, bracket.start(1), bracket.end(1))
        if inside is not None and inside.end <= bracket.end(1) and not inside.value.startswith("?") and \
                not re.search(r"\d", text[bracket.start(1) : inside.start] + text[inside.end : bracket.end(1)]):
            return inside  # ("(WTI 1.5%)" carries its own figure)
    after = _nearest_after(known, n.end, clause[1])
    if after is not None and before is not None and n.kind != "currency" and not text[n.end : after.start].strip() \
            and currency_of(after.text):
        after = None  # "USD/JPY up 3.59 yen": the currency right after a bare figure is its unit
    if after is not None and _ENTITY_AFTER_GAP.fullmatch(text[n.end : after.start]):
        return after
    if after is not None and n.kind == "currency" and _SPENT_ON.fullmatch(text[n.end : after.start]):
        return after  # "£412.50 on groceries and £138.20 on transport": each amount names its category
    crowded = before is not None and any(before.end <= m.start < n.start for m in numbers if m is not n)
    if after is not None and (before is None or crowded) and not any(n.end <= m.start < after.start for m in numbers):
        return after
    if before is not None:
        return before
    return _nearest_before([e for e in known if not e.value.startswith("?")], 0, sentence[0])


_CLAUSE_OPENER = re.compile(r"[\s,，;；:：]*(?:(?:and|but|while|whereas|then|the|meanwhile|而|但|同时)\s*)*$", re.I)


def _leads_clause(e: Mention, sentence: tuple[int, int], text: str) -> bool:
    """Whether an entity opens its clause — the subject a later "it" refers to ("…, and Global Equity
    saw outflows even though it gained 2.1%")."""
    start = max((m.end() for m in _CLAUSE.finditer(text, sentence[0], e.start)), default=sentence[0])
    return e.start > sentence[0] and bool(_CLAUSE_OPENER.fullmatch(text[start : e.start]))


def _sign_for(n: NumberMention, clause: tuple[int, int], text: str) -> str | None:
    """The sign noun that goes with a number: the nearest before it with no other figure in between
    ("由亏损8.9亿转为盈利2.4亿": 2.4亿 is a profit), else the nearest right after it ("$3m loss")."""
    lo, hi = max(clause[0], n.start - 24), min(clause[1], n.end + 26)
    hits = sorted((m.start(), m.end(), value) for value, pattern in SIGN_PATTERNS
                  for m in pattern.finditer(text, lo, hi))  # (lookbehinds see the words before the window)
    before = [(a, b, v) for a, b, v in hits if b <= n.start and not re.search(r"\d", text[b : n.start])
              and not _LEVEL_AFTER_SIGN.match(text[b : n.start])]  # "a 0.85% loss to 18,266": the level it fell to
    after = [(a, b, v) for a, b, v in hits if a >= n.end and not re.search(r"\d", text[n.end : a])]
    if before and after:  # "a £14.2m profit after a £6.8m loss": the nearer noun
        return before[-1][2] if n.start - before[-1][1] <= after[0][0] - n.end else after[0][2]
    if before:
        return before[-1][2]
    return after[0][2] if after else None


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        chars[a:b] = ["\x00"] * (b - a)
    return "".join(chars)


def mentions_of(text: str, names: Iterable[tuple[str, str]]) -> list[Mention]:
    """Re-export of :func:`finloom.textgen._extract.find_mentions` for the entity index."""
    return find_mentions(text, names)
