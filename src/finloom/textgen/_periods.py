"""Periods: parse them from fact values ("2024-Q1", "FY2023") and find them in text (EN and ZH).

A period is a closed date range plus a granularity; text mentions without a year ("Q1", "三月",
"last quarter") are resolved against an anchor period, normally the facts' main period.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["PeriodMention", "find_periods", "month_end", "parse_period", "shift_period"]

GRAIN_ORDER = {"day": 0, "month": 1, "quarter": 2, "half": 3, "year": 4, "range": 5}
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ZH_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
           "十": 10, "十一": 11, "十二": 12, "1": 1, "2": 2, "3": 3, "4": 4}
_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
        "final": 4, "last": 4}
_Y = r"(?P<y>(?:19|20)\d{2})"
_YS = r"(?:'|’)?(?P<ys>\d{2})(?![\d%]|[.,]\d)"


@dataclass(frozen=True)
class PeriodMention:
    """A period written in text: its span, date range, granularity and whether it is a period end.

    ``relative`` marks mentions resolved against the anchor ("last quarter", 去年同期).
    """

    start: int
    end: int
    text: str
    first: dt.date
    last: dt.date
    grain: str
    is_end: bool = False
    relative: bool = False


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month.

    Examples
    --------
    >>> month_end(2024, 2)
    datetime.date(2024, 2, 29)
    """
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _quarter(year: int, q: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q)


def _half(year: int, h: int) -> tuple[dt.date, dt.date]:
    return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if h == 1 else (dt.date(year, 7, 1), dt.date(year, 12, 31))


def grain_of(first: dt.date, last: dt.date) -> str:
    """The granularity of a date range ("day", "month", "quarter", "half", "year" or "range").

    Examples
    --------
    >>> grain_of(dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    'quarter'
    """
    if first == last:
        return "day"
    if first.day == 1 and last == month_end(last.year, last.month) and first.year == last.year:
        months = last.month - first.month + 1
        if months == 1:
            return "month"
        if months == 3 and first.month % 3 == 1:
            return "quarter"
        if months == 6 and first.month in (1, 7):
            return "half"
        if months == 12:
            return "year"
    return "range"


_NOTED = re.compile(r"(.+?)\s*[（(]([^（）()]*)[）)]")
_UNTIL = re.compile(r"(?:截至|截止|至|到|to|through|until|as of|as at)\s*(.+?)\s*(?:止|为止)?$", re.I)
# a note that gives the period's length and last day: "year to 31 March 2025", "quarter ended 30 June 2025"
_LENGTH_ENDED = re.compile(r"\b(?:(?:fiscal |financial )?(year)|(?:twelve|12) (months)|(quarter)|three (months)|"
                           r"(half)(?:[- ]year)?|six (months)|nine (months))\s+(?:to|ended|ending)\s+(.+)$", re.I)
_LENGTHS = {"year": 12, "quarter": 3, "half": 6}
_FISCAL_HEAD = re.compile(r"\bFY|财年|fiscal|financial year", re.I)


def parse_period(value: object) -> tuple[dt.date, dt.date] | None:
    """Parse a fact's period value: ``2024``, ``FY2023``, ``2024-H1``, ``2024-Q3``, ``2024-03``,
    ``2024-03-15``, ``{"start": ..., "end": ...}`` (also ``1Q24``, ``2024Q1``, ``H1 2024``).

    Examples
    --------
    >>> parse_period("2024-Q1")
    (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    >>> parse_period("FY2023")[1], parse_period({"start": "2024-01-02", "end": "2024-03-29"})[0]
    (datetime.date(2023, 12, 31), datetime.date(2024, 1, 2))
    >>> parse_period("soon") is None
    True
    >>> parse_period("2025年度（截至2025-09-30）")
    (datetime.date(2025, 1, 1), datetime.date(2025, 9, 30))
    """
    if isinstance(value, dict):
        a, b = parse_period(value.get("start")), parse_period(value.get("end"))
        return (a[0], b[1]) if a and b else None
    if isinstance(value, dt.date):
        return value, value
    if isinstance(value, int) and 1900 <= value <= 2100:
        return dt.date(value, 1, 1), dt.date(value, 12, 31)
    if not isinstance(value, str):
        return None
    text = value.strip()
    mentions = [m for m in find_periods(text) if m.start == 0 and m.end == len(text)]
    if mentions:
        return mentions[0].first, mentions[0].last
    noted = _NOTED.fullmatch(text)
    if noted:  # "2025年度（截至2025-09-30）", "FY2025 (to 30 Sep)": the period so far, or the period itself
        outer, until = parse_period(noted.group(1)), _UNTIL.search(noted.group(2))
        span = _span(noted.group(2))
        if (ended := _ended(noted.group(1), noted.group(2))) is not None:
            return ended
        if outer is None and (inner := parse_period(noted.group(2).strip())) is not None:
            return inner  # "9M 2025 (January-September 2025)", "Q1 FY2026 (April-June 2025)"
        if outer and span and span[1].year == outer[1].year:  # "FY2025 (April 2024 – March 2025)": the note's months
            return span
        end = parse_period(until.group(1).strip()) if until else None
        if outer and end and outer[0] <= end[1] <= outer[1]:
            return outer[0], end[1]
        return outer
    m = re.fullmatch(r"(\d{4})-?(?:Q|q)([1-4])|(\d{4})-?(?:H|h)([12])|(\d{4})-(\d{1,2})", text)
    if m:
        if m.group(1):
            return _quarter(int(m.group(1)), int(m.group(2)))
        if m.group(3):
            return _half(int(m.group(3)), int(m.group(4)))
        year, month = int(m.group(5)), int(m.group(6))
        if 1 <= month <= 12:
            return dt.date(year, month, 1), month_end(year, month)
    return None


def _ended(head: str, note: str) -> tuple[dt.date, dt.date] | None:
    """A note naming the period's length and last day ("year to 31 March 2025", "quarter ended 30 June
    2025"), or a fiscal year's note giving its last day (2025财年（截至2025-03-31）): that many months
    up to that day."""
    m = _LENGTH_ENDED.search(note)
    if m is not None:
        length = next(g for g in m.groups()[:-1] if g)
        months = _LENGTHS.get(length.lower()) or {"twelve": 12, "12": 12, "three": 3, "six": 6, "nine": 9}[
            re.split(r"\s", m.group(0).strip())[0].lower()]
        rest = m.group(m.lastindex or 0)
    elif _FISCAL_HEAD.search(head) and (until := _UNTIL.search(note)) is not None:
        months, rest = 12, until.group(1)
    else:
        return None
    end = parse_period(rest.strip().rstrip(".,"))
    if end is None or end[1] != month_end(end[1].year, end[1].month):
        return None
    y, mth = divmod(end[1].year * 12 + end[1].month - 1 - (months - 1), 12)
    return dt.date(y, mth + 1, 1), end[1]


_SPAN_SEP = re.compile(r"\s*(?:[-–—~至到]|to|through|until)\s*", re.I)


def _span(text: str) -> tuple[dt.date, dt.date] | None:
    """Two periods joined by a dash or "to" ("April 2024 – March 2025"): from the first's start to the second's end."""
    found = [m for m in find_periods(text) if not m.relative]
    if len(found) == 2 and found[0].start == 0 and found[1].end == len(text.strip()) \
            and _SPAN_SEP.fullmatch(text[found[0].end : found[1].start]) and found[0].first < found[1].last:
        return found[0].first, found[1].last
    return None


def shift_period(first: dt.date, last: dt.date, *, years: int = 0, grains: int = 0) -> tuple[dt.date, dt.date]:
    """Move a period by whole years or by ``grains`` of its own length (previous quarter: -1).

    Examples
    --------
    >>> shift_period(dt.date(2024, 1, 1), dt.date(2024, 3, 31), grains=-1)
    (datetime.date(2023, 10, 1), datetime.date(2023, 12, 31))
    """
    grain = grain_of(first, last)
    if years:
        return _safe(first.year + years, first.month, first.day), _safe(last.year + years, last.month, last.day)
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}.get(grain)
    if months is None:
        delta = (last - first) + dt.timedelta(days=1)
        return first + grains * delta, last + grains * delta
    index = first.year * 12 + first.month - 1 + grains * months
    year, month = divmod(index, 12)
    end_index = index + months - 1
    return dt.date(year, month + 1, 1), month_end(end_index // 12, end_index % 12 + 1)


def _safe(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _year(m: re.Match[str], anchor: dt.date | None) -> int | None:
    groups = m.groupdict()
    if groups.get("y"):
        return int(groups["y"])
    if groups.get("ys"):
        return 2000 + int(groups["ys"])
    return anchor.year if anchor else None


# (grain, regex, builder) — most specific first; builders return (first, last) or None.
def _b_ymd(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    y = _year(m, a)
    if y is None:
        return None
    month = _MONTHS[m["mn"].lower()] if m.groupdict().get("mn") else int(m["m"])
    day = dt.date(y, month, int(m["d"]))
    return day, day


def _b_day_range(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """"4–10 Nov 2024", "Nov 4-10, 2024", "11月4日至10日": days of one month."""
    y = _year(m, a)
    if y is None:
        return None
    month = _MONTHS[m["mn"].lower()] if m.groupdict().get("mn") else int(m["m"])
    first, last = dt.date(y, month, int(m["d1"])), dt.date(y, month, int(m["d"]))
    return (first, last) if first < last else None


def _b_month(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    y = _year(m, a)
    month = _MONTHS[m["mn"].lower()] if m.groupdict().get("mn") else int(m["m"])
    if y is None or not 1 <= month <= 12:
        return None
    if a is not None and not (m.groupdict().get("y") or m.groupdict().get("ys")) and dt.date(y, month, 1) > a:
        y -= 1  # "than you paid in December", written in January: the December before
    return dt.date(y, month, 1), month_end(y, month)


def _b_months_to(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """"the three months to March" (a quarter), "the April-June quarter", "the twelve months to June"."""
    end = _b_month(m, a)
    if end is None:
        return None
    if m.groupdict().get("m1"):
        start = _MONTHS[m["m1"].lower()]
        return dt.date(end[0].year if start <= end[0].month else end[0].year - 1, start, 1), end[1]
    n = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "3": 3, "6": 6, "9": 9, "12": 12}.get((m["n"] or "").lower(), 12)
    first = shift_period(end[0], end[1], grains=-(n - 1))[0]
    return first, end[1]


def _b_quarter(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    y = _year(m, a)
    q = m.groupdict().get("q") or ""
    n = _ORD.get(q.lower()) or _ZH_NUM.get(q)
    return _quarter(y, n) if y and n and 1 <= n <= 4 else None


def _b_half(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    y = _year(m, a)
    h = (m.groupdict().get("h") or "").lower()
    n = 1 if h in ("1", "first", "上", "1st") else 2 if h in ("2", "second", "下", "2nd") else 0
    return _half(y, n) if y and n else None


def _b_year(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    y = _year(m, a)
    return (dt.date(y, 1, 1), dt.date(y, 12, 31)) if y else None


_END = r"(?:(?P<end>end[- ]of[- ](?:the )?|end-|as (?:of|at) (?:the )?end of |year[- ]end |at end-))?"
_ZH_END = r"(?P<zend>末|底)?"
def _b_zh_month(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    y = _year(m, a)
    raw = m["m"]
    month = int(raw) if raw.isdigit() else _ZH_NUM.get(raw, 0)
    return (dt.date(y, month, 1), month_end(y, month)) if y and 1 <= month <= 12 else None


def _b_month_may(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    y = _year(m, a)
    return (dt.date(y, 5, 1), month_end(y, 5)) if y else None


def _b_six_months(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    y = _year(m, a)
    return _half(y, 1) if y else None


def _b_first_n_quarters(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    y = _year(m, a)
    n = _ZH_NUM.get(m["n"]) or {"two": 2, "three": 3, "six": 2, "nine": 3}.get(m["n"].lower(), 0)
    return (dt.date(y, 1, 1), _quarter(y, n)[1]) if y and n else None


def _b_month_range(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    y = _year(m, a)
    first = _MONTHS[m["m1"].lower()] if m["m1"].isalpha() else int(m["m1"])
    last = _MONTHS[m["m2"].lower()] if m["m2"].isalpha() else int(m["m2"])
    if y is None or not 1 <= first <= last <= 12:
        return None
    return dt.date(y, first, 1), month_end(y, last)


def _b_full_year(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    y = _year(m, a)
    return (dt.date(y, 1, 1), dt.date(y, 12, 31)) if y else None


def _b_dmy(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """30/09/2024 (day first, as in most of the world), or 9/30/2024 when the second number cannot be a month."""
    first, second, y = int(m["d"]), int(m["m"]), int(m["y"])
    day, month = (second, first) if second > 12 else (first, second)
    if not 1 <= month <= 12:
        return None
    try:
        return dt.date(y, month, day), dt.date(y, month, day)
    except ValueError:
        return None


def _b_fiscal(m: re.Match[str], a: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """A 2024/25 fiscal or tax year: April to April (UK tax years run 6 April to 5 April)."""
    y = int(m["y"])
    return (dt.date(y, 4, 1), dt.date(y + 1, 4, 5)) if int(m["y2"]) == (y + 1) % 100 else None


_Builder = Callable[[re.Match[str], "dt.date | None"], "tuple[dt.date, dt.date] | None"]
_MONTH_FULL = "january|february|march|april|may|june|july|august|september|october|november|december"
_PATTERNS: list[tuple[str, re.Pattern[str], _Builder]] = [
    ("range", re.compile(rf"\b(?:the )?(?P<n>three|six|nine|twelve|3|6|9|12) months (?:to|ended|ending|through) "
                         rf"(?:the end of )?(?P<mn>{_MONTH_FULL})(?:,? {_Y})?\b", re.I), _b_months_to),
    ("range", re.compile(rf"\b(?:the )?(?:(?P<n>twelve|12)[- ]months?|(?:fiscal|financial) year|FY) (?:to|ended|ending|through) "
                         rf"(?:the end of )?(?P<mn>{_MONTH_FULL})(?:,? {_Y})?\b", re.I), _b_months_to),
    ("range", re.compile(rf"截至{_Y}年(?P<m>1[0-2]|[1-9])月(?:末|底)?(?:的|止的?)?(?P<n>)(?:财年|财政年度|会计年度)"), _b_months_to),
    ("range", re.compile(rf"\b(?:the )?(?P<m1>{_MONTH_FULL})\s?[-–—]\s?(?P<mn>{_MONTH_FULL})(?: (?:quarter|period))?"
                         rf"(?: (?:of )?{_Y})?", re.I), _b_months_to),
    ("range", re.compile(rf"(?:{_Y}年)?前(?P<n>[一二两三])(?:个)?季度"), _b_first_n_quarters),
    ("range", re.compile(rf"\b(?:the )?first (?P<n>two|three) quarters(?: of {_Y})?", re.I), _b_first_n_quarters),
    ("range", re.compile(rf"\b(?:the )?first (?P<n>nine) months(?: of {_Y})?", re.I), _b_first_n_quarters),
    ("range", re.compile(rf"(?:{_Y}年)?(?P<m1>1[0-2]|[1-9])(?:月)?\s?[-—–~至到]\s?(?P<m2>1[0-2]|[1-9])月"), _b_month_range),
    ("range", re.compile(rf"\b(?:between|from) (?P<m1>{_MONTH_FULL}) (?:and|to|through|until) "
                         rf"(?P<m2>{_MONTH_FULL})(?:,? {_Y})?\b", re.I), _b_month_range),
    ("range", re.compile(rf"\b(?P<m1>{_MONTH_FULL}) (?:to|through|thru|until) (?P<m2>{_MONTH_FULL})(?:,? {_Y})?\b", re.I),
     _b_month_range),  # "January to June 2024"
    ("year", re.compile(r"\b(?:full[- ]year|whole[- ]year|the full year)\b|全年|全年度", re.I), _b_full_year),
    ("range", re.compile(rf"(?<![\d.,])(?P<d1>\d{{1,2}})\s?[-–—]\s?(?P<d>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<mn>{_MONTH_RE})\b"
                         rf"\.?(?:,? {_Y}\b)?", re.I), _b_day_range),
    ("range", re.compile(rf"\b(?P<mn>{_MONTH_RE})\.? (?P<d1>\d{{1,2}})\s?[-–—]\s?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?![.,]?\d)"
                         rf"(?:,? {_Y}\b)?", re.I), _b_day_range),
    ("range", re.compile(rf"(?:{_Y}年)?(?P<m>1[0-2]|[1-9])月(?P<d1>\d{{1,2}})[日号]?\s?[-—–~至到]\s?(?P<d>\d{{1,2}})[日号]"),
     _b_day_range),
    ("day", re.compile(rf"(?<!\d){_Y}[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})(?!\d)"), _b_ymd),
    ("day", re.compile(rf"(?<![\d/])(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/{_Y}(?![\d/])"), _b_dmy),
    ("range", re.compile(rf"(?<![\d/]){_Y}/(?P<y2>\d{{2}})(?![\d/%])"), _b_fiscal),
    ("day", re.compile(rf"{_Y}年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})[日号]"), _b_ymd),
    ("day", re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<mn>{_MONTH_RE})\.?,? {_Y}\b", re.I), _b_ymd),
    ("day", re.compile(rf"\b(?P<mn>{_MONTH_RE})\.? (?P<d>\d{{1,2}})(?:st|nd|rd|th)?,? {_Y}\b", re.I), _b_ymd),
    ("day", re.compile(r"(?<![\d年])(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]"), _b_ymd),
    ("day", re.compile(rf"\b(?P<mn>{_MONTH_RE})\.? (?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?![,.]?\d)(?! ?%)", re.I), _b_ymd),
    ("day", re.compile(rf"(?<![\d.,])(?P<d>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<mn>{_MONTH_RE})\b", re.I), _b_ymd),
    ("quarter", re.compile(rf"{_Y}年?(?:第)?(?P<q>[一二三四1234])季度{_ZH_END}"), _b_quarter),
    ("quarter", re.compile(rf"(?<![年\d])(?:第)?(?P<q>[一二三四])季度{_ZH_END}"), _b_quarter),
    ("quarter", re.compile(rf"{_END}\b{_Y}[ -]?Q(?P<q>[1-4])\b", re.I), _b_quarter),  # before "Q1 …": with an anchor, "2024 Q1" must not split
    ("quarter", re.compile(rf"{_END}\bQ(?P<q>[1-4])(?:[ -]?(?:{_Y}|{_YS}))?\b", re.I), _b_quarter),
    ("quarter", re.compile(rf"{_END}\b(?P<q>[1-4])Q(?:[ -]?(?:{_Y}|{_YS}))?\b", re.I), _b_quarter),
    ("quarter", re.compile(rf"{_END}\b(?:the )?(?P<q>first|second|third|fourth|final|1st|2nd|3rd|4th)[- ]quarter"
                           rf"(?: (?:of |in )?{_Y})?", re.I), _b_quarter),
    ("half", re.compile(rf"{_Y}年?(?P<h>上|下)半年{_ZH_END}"), _b_half),
    ("half", re.compile(rf"(?<![年\d])(?P<h>上|下)半年{_ZH_END}"), _b_half),
    ("half", re.compile(rf"{_END}\bH(?P<h>[12])(?:[ -]?(?:{_Y}|{_YS}))?\b", re.I), _b_half),
    ("half", re.compile(rf"{_END}\b{_Y}[ -]?H(?P<h>[12])\b", re.I), _b_half),
    ("half", re.compile(rf"{_END}\b(?P<h>[12])H(?:[ -]?(?:{_Y}|{_YS}))?\b", re.I), _b_half),
    ("half", re.compile(rf"{_END}\b(?:the )?(?P<h>first|second|1st|2nd)[- ]half(?: (?:of |in )?{_Y})?", re.I), _b_half),
    ("half", re.compile(rf"\b(?:the )?first six months(?: (?:of |in )?{_Y})?", re.I), _b_six_months),
    ("month", re.compile(rf"{_Y}年(?P<m>\d{{1,2}}|十[一二]?|[一二三四五六七八九])月(?!\d)(?:份)?{_ZH_END}"), _b_zh_month),
    ("month", re.compile(rf"(?<![\d年.])(?P<m>1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])月(?:份)?(?!号)(?!\d(?!\d?\s?(?:年|个月)期))(?!日(?!元))(?!内){_ZH_END}"),
     _b_zh_month),
    ("month", re.compile(rf"(?<!\d){_Y}-(?P<m>0[1-9]|1[0-2])(?![-\d])"), _b_month),
    ("month", re.compile(rf"\b(?P<mn>{_MONTH_RE})-(?:{_Y}|{_YS})\b", re.I), _b_month),  # Nov-24
    ("month", re.compile(rf"{_END}\b(?P<mn>{_MONTH_RE})\.?,? (?:{_Y}|{_YS})\b", re.I), _b_month),
    ("month", re.compile(rf"(?i:{_END})\b(?P<mn>January|February|March|April|June|July|August|September|"
                         rf"October|November|December|Sept?\.|Jan\.|Feb\.|Aug\.|Oct\.|Nov\.|Dec\.)(?![\w])"),
     _b_month),
    ("month", re.compile(rf"(?i:{_END})\b(?P<mn>JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|"
                         rf"NOVEMBER|DECEMBER)\b"), _b_month),  # a headline in capitals: "CPI 3.0% IN SEPTEMBER"
    ("month", re.compile(rf"(?:(?<=\bin )|(?<=\bof )|(?<=\bfor )|(?<=\bby )|(?<=\bduring )|(?<=\bsince )|(?<=\bend-)){_END}May\b"), _b_month_may),
    ("year", re.compile(rf"\b(?:FY|fiscal (?:year )?)(?:{_Y}|{_YS})\b", re.I), _b_year),
    ("year", re.compile(rf"{_Y}(?:财)?年(?:度|全年)?{_ZH_END}"), _b_year),
    ("year", re.compile(rf"(?:(?<![\d.,$€£¥\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=\d{{4}}年))(?:{_END}){_Y}(?![\d%％]|\.\d|,\d{{3}}|\s?[户元人家笔个万亿件张次名只点分股手份]|"
                        rf"\s(?:customers|accounts|clients|users|cards|branches|new|staff|employees|people|"
                        rf"shares|units|points|claims|trades|loans)\b)"), _b_year),
]

_REL_MONTH_EN = re.compile(rf"\b(?P<mn>{'|'.join(m.capitalize() for m in ('january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'))})(?:,)? (?P<rel>last|this) year\b")
_REL_MONTH = re.compile(r"(?P<rel>去年|上年|今年|本年)(?P<m>1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])月(?:份)?(?P<zend>末|底)?")
_REL_QUARTER = re.compile(r"(?P<rel>去年|上年|今年|本年)(?:第)?(?:(?P<q>[一二三四1-4])季度|(?P<h>上|下)半年)(?P<zend>末|底)?")
_SAME_OF_YEAR = re.compile(r"\bthe same (?:period|quarter|month|half(?:-year)?) (?:of|in) (?P<y>(?:19|20)\d\d)\b|"
                           r"(?P<zy>(?:19|20)\d\d)年同期", re.I)
_ZH_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_ZH_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=年)")
_REL_WEEK = re.compile(r"\b(?:last|the past) week\b|上周|上一周", re.I)
# a trailing window ending at the facts' end, not the previous calendar period: "over the last month",
# "in the past year", "during the past 12 months", 最近一个月 / 过去一年 (not 近: also "nearly")
_TRAILING = re.compile(r"\b(?:over|in|during|for|across|through) the (?:last|past) (?P<n>12 |twelve |3 |three )?"
                       r"(?P<unit>week|month|quarter|year)s?\b|(?:过去|最近)(?P<zn>一|1)?(?:个)?(?P<zunit>周|月|季度|年)", re.I)
_TRAILING_DAYS = {"week": 7, "month": 30, "quarter": 91, "year": 365, "周": 7, "月": 30, "季度": 91, "年": 365}


def _trailing(m: re.Match[str], anchor: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """The window a trailing period names: the facts' own period when it is about that long (trading days
    make "the last week" 2018-12-21..28), else the span back from the facts' end."""
    days = _TRAILING_DAYS[(m["unit"] or m["zunit"]).lower()]
    if m["n"]:
        days = 365 if m["n"].strip() in ("12", "twelve") else 91
    if abs((anchor[1] - anchor[0]).days - days) <= 0.15 * days + 2:
        return anchor
    return anchor[1] - dt.timedelta(days=days), anchor[1]
_RELATIVE: list[tuple[re.Pattern[str], str, int, int]] = [
    # (pattern, grain the anchor is moved in, grains, years)
    (re.compile(r"\b(?:last|previous|prior|preceding) quarter\b|上季度|上一季度|上个季度|上季", re.I), "quarter", -1, 0),
    (re.compile(r"\b(?:last|previous|prior|preceding) month\b|上月|上个月|上一个月", re.I), "month", -1, 0),
    (re.compile(r"\b(?:a year (?:earlier|ago|before)|the same (?:period|quarter|month) (?:of |in )?last year|"
                r"the year-?ago (?:period|quarter|month))\b|去年同期|上年同期", re.I), "same", 0, -1),
    (re.compile(r"\blast year\b|去年|上年", re.I), "year", -1, 0),
    (re.compile(r"\b(?:this|the current|the latest) quarter\b|本季度|本季|当季", re.I), "quarter", 0, 0),
    (re.compile(r"\b(?:this|the current|the latest) month\b|本月|当月", re.I), "month", 0, 0),
    (re.compile(r"\bthis year\b|今年|本年", re.I), "year", 0, 0),
]


def find_periods(text: str, anchor: tuple[dt.date, dt.date] | None = None) -> list[PeriodMention]:
    """Every period written in ``text``, non-overlapping, most specific pattern first.

    Examples
    --------
    >>> [(p.text, p.grain) for p in find_periods("Profit rose 7.8% in 2023.")]
    [('2023', 'year')]
    >>> [(p.text, str(p.first)) for p in find_periods("in the first quarter of 2024; 2024年上半年")]
    [('the first quarter of 2024', '2024-01-01'), ('2024年上半年', '2024-01-01')]
    >>> a = (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    >>> [(p.text, str(p.first)) for p in find_periods("up from last quarter", a)]
    [('last quarter', '2023-10-01')]
    """
    year_anchor = anchor[1] if anchor else None
    text = _ZH_YEAR.sub(lambda m: "".join(str(_ZH_DIGIT[c]) for c in m.group(0)), text)  # 二〇二三年 → 2023年
    taken = [False] * len(text)
    found: list[PeriodMention] = []

    def take(m: re.Match[str], rng: tuple[dt.date, dt.date], grain: str, rel: bool = False) -> None:
        taken[m.start() : m.end()] = [True] * (m.end() - m.start())
        is_end = bool(m.groupdict().get("end") or m.groupdict().get("zend"))
        found.append(PeriodMention(m.start(), m.end(), m.group(0), rng[0], rng[1], grain, is_end, rel))

    if anchor:
        for m in _REL_MONTH.finditer(text):
            y = anchor[1].year + (-1 if m["rel"] in ("去年", "上年") else 0)
            raw = m["m"]
            month = int(raw) if raw.isdigit() else _ZH_NUM.get(raw, 0)
            if 1 <= month <= 12:
                take(m, (dt.date(y, month, 1), month_end(y, month)), "month", True)
        for m in _REL_QUARTER.finditer(text):
            y = anchor[1].year + (-1 if m["rel"] in ("去年", "上年") else 0)
            rng = _quarter(y, _ZH_NUM[m["q"]]) if m["q"] else _half(y, 1 if m["h"] == "上" else 2)
            take(m, rng, "quarter" if m["q"] else "half", True)
        for m in _REL_MONTH_EN.finditer(text):
            y = anchor[1].year - (1 if m["rel"] == "last" else 0)
            month = _MONTHS[m["mn"].lower()]
            take(m, (dt.date(y, month, 1), month_end(y, month)), "month", True)
        for m in _SAME_OF_YEAR.finditer(text):  # "the same quarter of 2023": the anchor's period in that year
            rng = shift_period(anchor[0], anchor[1], years=int(m["y"] or m["zy"]) - anchor[1].year)
            take(m, rng, grain_of(*rng), True)
        for m in _TRAILING.finditer(text):
            take(m, _trailing(m, anchor), "range", True)
        for m in _REL_WEEK.finditer(text):  # "last week" of a weekly figure is that week; of a month, a week of it
            if any(taken[m.start() : m.end()]):
                continue
            short = (anchor[1] - anchor[0]).days <= 6
            take(m, anchor if short else (anchor[1] - dt.timedelta(days=6), anchor[1]), "range", True)
        for pattern, grain, grains, years in _RELATIVE:
            for m in pattern.finditer(text):
                if not any(taken[m.start() : m.end()]):
                    rng = _relative(anchor, grain, grains, years)
                    take(m, rng, grain_of(*rng), True)
    for grain, pattern, builder in _PATTERNS:
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            try:
                built = builder(m, year_anchor)
            except (ValueError, KeyError, TypeError):
                built = None
            if built is not None:
                take(m, built, grain)
    if anchor and anchor[1].month != 12 and grain_of(*anchor) == "range" and \
            shift_period(anchor[0], anchor[1], years=1)[0] == anchor[1] + dt.timedelta(days=1):
        found = [_fiscal(p, anchor) for p in found]
    return _join_year_prefix(sorted(found, key=lambda p: p.start), text)


_FY = re.compile(r"^(?:FY|fiscal (?:year )?)|财年|^(?:the )?(?:full|whole)[- ]year|^全年", re.I)  # 全年: the whole fiscal year


def _fiscal(p: PeriodMention, anchor: tuple[dt.date, dt.date]) -> PeriodMention:
    """"FY2025" when the facts' year runs April 2024 to March 2025: that fiscal year, not calendar 2025."""
    if p.grain == "year" and _FY.search(p.text) and p.last.year == anchor[1].year:
        return PeriodMention(p.start, p.end, p.text, anchor[0], anchor[1], "range", p.is_end, p.relative)
    return p


_YEAR_JOIN = re.compile(r"[ -]?(?:the )?", re.I)


def _join_year_prefix(found: list[PeriodMention], text: str) -> list[PeriodMention]:
    """"2024 H1", "2024 first half", "the 2024 first quarter": a year written just before a part of
    a year names that part of that year (the part alone would take the anchor's year)."""
    out: list[PeriodMention] = []
    for p in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.grain == "year" and not prev.relative and not prev.is_end
                and p.grain in ("quarter", "half", "month") and _YEAR_JOIN.fullmatch(text[prev.end : p.start])):
            first, last = shift_period(p.first, p.last, years=prev.first.year - p.first.year)
            out[-1] = PeriodMention(prev.start, p.end, text[prev.start : p.end], first, last, p.grain, p.is_end, False)
            continue
        out.append(p)
    return out


def _relative(anchor: tuple[dt.date, dt.date], grain: str, grains: int, years: int) -> tuple[dt.date, dt.date]:
    first, last = anchor
    if grain == "same":
        return shift_period(first, last, years=years)
    if grain == "year":
        y = last.year + grains
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if grain == "quarter":
        q = (last.month - 1) // 3 + 1
        a, b = _quarter(last.year, q)
        return shift_period(a, b, grains=grains) if grains else (a, b)
    a, b = dt.date(last.year, last.month, 1), month_end(last.year, last.month)
    return shift_period(a, b, grains=grains) if grains else (a, b)
