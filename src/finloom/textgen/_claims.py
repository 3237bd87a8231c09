"""Read a text for claims: numbers with the entity, metric, period, basis and direction they refer to.

The reading is deliberately local: a number takes the nearest entity before it in its sentence,
the nearest metric word and direction word in its clause, and the nearest period in its clause
(else its sentence). This is what the faithfulness guard compares with the facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from finloom.textgen._entities import EntityIndex
from finloom.textgen._extract import Mention, NumberMention, extract_numbers, find_mentions
from finloom.textgen._facts import FactSet
from finloom.textgen._lexicon import BASIS_PATTERNS, DIRECTION_PATTERNS, NEGATION, PAIR_QUOTE_WORDS
from finloom.textgen._metrics import MetricIndex
from finloom.textgen._periods import PeriodMention, find_periods

__all__ = ["NumberClaim", "TextReading", "read_text"]

_SENTENCE = re.compile(r"[。！？!?\n；;]+|\.(?=\s|$)(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bNo\.)(?<!\bvs\.)")
_CLAUSE = re.compile(r"[，、：:（）()]|,(?!\d{3})|\s(?:while|whereas|but|although|though|and|with|as)\s|而|但|同时|其中|，")
_LEVEL_MARK = re.compile(r"(?:\bto|\bat|\bof|至|到|达|为|于|报)\s*$", re.I)
_AFTER_WINDOW = 14
_CODE_LIKE = re.compile(r"\b[A-Za-z]{1,12}\d+(?:\.\d+)?[A-Za-z]*\b|\b\d+[A-Za-z]*-(?:year|month|day|week)\b"
                        r"|\bT\+\d\b|\b\d{1,2}:\d{2}\b")


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


def _spans(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start] + [start + m.end() for m in pattern.finditer(text[start:end])] + [end]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]


def _find(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    return next((s for s in spans if s[0] <= pos < s[1]), (pos, pos + 1))


def _negated(text: str, start: int) -> bool:
    return bool(NEGATION.search(text[max(0, start - 14) : start]))


def _directions(text: str, skip: Iterable[tuple[int, int]]) -> list[Mention]:
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


def _direction_for(n: NumberMention, clause: tuple[int, int], directions: list[Mention],
                   numbers: list[NumberMention], text: str) -> str | None:
    if n.signed and n.value < 0:
        return "down"
    prev_end = max((m.end for m in numbers if clause[0] <= m.start and m.end <= n.start), default=clause[0])
    before = _nearest_before(directions, prev_end, n.start)
    if before is not None:
        return before.value
    if prev_end > clause[0] and _LEVEL_MARK.search(text[prev_end : n.start]):
        return None
    nxt = min((m.start for m in numbers if m.start >= n.end), default=clause[1])
    after = _nearest_after(directions, n.end, min(clause[1], nxt), _AFTER_WINDOW)
    return after.value if after else None


def _basis_for(n: NumberMention, clause: tuple[int, int], sentence: tuple[int, int], bases: list[Mention],
               numbers: list[NumberMention]) -> str | None:
    inside = [b for b in bases if clause[0] <= b.start < clause[1]]
    if inside:
        return min(inside, key=lambda b: abs(b.start - n.start)).value
    prev_end = max((m.end for m in numbers if sentence[0] <= m.start and m.end <= n.start), default=sentence[0])
    before = _nearest_before(bases, prev_end, n.start)
    return before.value if before else None


def _period_for(n: NumberMention, clause: tuple[int, int], sentence: tuple[int, int],
                periods: list[PeriodMention]) -> PeriodMention | None:
    inside = [p for p in periods if clause[0] <= p.start < clause[1]]
    if inside:
        return min(inside, key=lambda p: abs(p.start - n.start))
    before = [p for p in periods if sentence[0] <= p.start and p.end <= n.start]
    return before[-1] if before else None


def _metric_options(n: NumberMention, clause: tuple[int, int], metrics: list[Mention]) -> tuple[Mention, ...]:
    before = [m for m in metrics if clause[0] <= m.start and m.end <= n.start][::-1]
    after = [m for m in metrics if n.end <= m.start < min(clause[1], n.end + _AFTER_WINDOW)]
    return tuple(before + after)


def _subject_currency(clause: tuple[int, int], text: str, entity: Mention | None) -> str | None:
    """The currency a direction is said of ("the yuan weakened") when it is not the pair itself."""
    body = text[clause[0] : clause[1]].lower()
    if entity is not None and clause[0] <= entity.start < clause[1]:
        body = body.replace(entity.text.lower(), " " * len(entity.text))
    first: tuple[int, str] | None = None
    for code, words in PAIR_QUOTE_WORDS.items():
        for w in words:
            pattern = rf"\b{re.escape(w)}\b" if w.isascii() else (r"(?<![\d亿万])元" if w == "元" else re.escape(w))
            m = re.search(pattern, body)
            if m and (first is None or m.start() < first[0]):
                first = (m.start(), code)
    return first[1] if first else None


def read_text(text: str, facts: FactSet, *, anchor: tuple | None = None,
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
    entities = EntityIndex(facts, extra_aliases or {}).find(text)
    metrics = MetricIndex(facts).find(text, skip=[(e.start, e.end) for e in entities])
    bases = _bases(text)
    masked = _mask(text, [(b.start, b.end) for b in bases] + [(e.start, e.end) for e in entities])
    periods = find_periods(masked, anchor)
    codes = [(m.start(), m.end()) for m in _CODE_LIKE.finditer(masked)]
    skip = [(e.start, e.end) for e in entities] + [(p.start, p.end) for p in periods] + codes
    numbers = extract_numbers(text, skip=skip)
    directions = _directions(text, skip=[(e.start, e.end) for e in entities] + [(p.start, p.end) for p in periods]
                             + [(n.start, n.end) for n in numbers])
    sentences = _spans(_SENTENCE, text, 0, len(text))
    reading = TextReading(text, sentences, entities, metrics, periods)
    known = [e for e in entities]
    for n in numbers:
        sentence = _find(sentences, n.start)
        clause = _find(_spans(_CLAUSE, text, *sentence), n.start)
        entity = _nearest_before(known, sentence[0], n.start) or _nearest_after(known, n.end, sentence[1]) \
            or _nearest_before([e for e in known if not e.value.startswith("?")], 0, sentence[0])
        reading.claims.append(NumberClaim(
            n, entity, _metric_options(n, clause, metrics), _period_for(n, clause, sentence, periods),
            _basis_for(n, clause, sentence, bases, numbers),
            _direction_for(n, clause, directions, numbers, text),
            _subject_currency(clause, text, entity)))
    return reading


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        chars[a:b] = ["\x00"] * (b - a)
    return "".join(chars)


def mentions_of(text: str, names: Iterable[tuple[str, str]]) -> list[Mention]:
    """Re-export of :func:`finloom.textgen._extract.find_mentions` for the entity index."""
    return find_mentions(text, names)
