"""The period a fact key names with a year in it, although the fact is filed under the main period.

Fact sets often keep an earlier figure next to the current one under a key that carries its own date:
``cpi_2025_07_yoy_pct`` (July 2025), ``sales_h1_2024_usd_bn`` / ``claims_2024_q3`` (a half or quarter of
2024), ``pbt_fy2024_gbp_mn`` (the fiscal year before FY2025). This module reads that date so the fact
is dated where it belongs.
"""

from __future__ import annotations

import datetime as dt
import re

from finloom.textgen._facts import Period
from finloom.textgen._periods import _half, _quarter, grain_of, month_end, shift_period

__all__ = ["period_in_key"]

_YEAR = r"(?:19|20)\d\d"
_YEAR_MONTH = re.compile(rf"(?:^|_)({_YEAR})_(0[1-9]|1[0-2])(?:_|$)")
_GRAIN_YEAR = re.compile(rf"(?:^|_)([hq])([1-4])_({_YEAR})(?:_|$)|(?:^|_)({_YEAR})_([hq])([1-4])(?:_|$)", re.I)
_FISCAL = re.compile(rf"(?:^|_)fy_?({_YEAR}|\d\d)(?:_|$)", re.I)
_BARE_YEAR = re.compile(rf"(?:^|_)({_YEAR})(?:_|$)")


def period_in_key(key: str, main: Period | None) -> Period | None:
    """The period a key's own date names, or None when the key names no dated period.

    A year and month (``_2025_07``) is that month; a half or quarter with its year (``h1_2024``,
    ``2025_q1``) is that half or quarter; a fiscal year (``fy2024``) or a bare year is the main
    period moved by the years between, when the main period is a year or the key also names its
    grain's position only through the main period (``q2_fy2024`` under Q2 FY2025 is Q2 2024); a bare
    year under a shorter main period is that calendar year.

    Examples
    --------
    >>> aug = Period(dt.date(2025, 8, 1), dt.date(2025, 8, 31))
    >>> period_in_key("core_cpi_2025_07_yoy_pct", aug)
    Period(start=datetime.date(2025, 7, 1), end=datetime.date(2025, 7, 31))
    >>> h1 = Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    >>> period_in_key("annuity_sales_h1_2024_usd_bn", h1)
    Period(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 6, 30))
    >>> fy = Period(dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    >>> period_in_key("pbt_fy2024_gbp_mn", fy)
    Period(start=datetime.date(2023, 4, 1), end=datetime.date(2024, 3, 31))
    >>> period_in_key("revenue_gbp_mn", h1) is None, period_in_key("cgb_10y_pct", h1) is None
    (True, True)
    >>> period_in_key("target_2030_pct", h1) is None  # a year beyond the data: a goal, not a period
    True
    """
    if main is None:
        return None
    if m := _YEAR_MONTH.search(key):
        year, month = int(m.group(1)), int(m.group(2))
        return _earlier(Period(dt.date(year, month, 1), month_end(year, month)), main)
    if m := _GRAIN_YEAR.search(key):
        parts = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(5), m.group(6), m.group(4))
        kind, q, y = parts[0].lower(), int(parts[1]), int(parts[2])
        if kind == "h" and q > 2:
            return None
        return _earlier(Period(*(_half(y, q) if kind == "h" else _quarter(y, q))), main)
    fiscal = _FISCAL.search(key)
    m = fiscal or _BARE_YEAR.search(key)
    if m is None:
        return None
    named = int(m.group(1)) if len(m.group(1)) == 4 else 2000 + int(m.group(1))
    years = named - main.end.year
    if years == 0:
        return None
    if fiscal or grain_of(main.start, main.end) == "year" or _twelve_months(main):
        return _earlier(Period(*shift_period(main.start, main.end, years=years)), main)
    return _earlier(Period(dt.date(named, 1, 1), dt.date(named, 12, 31)), main)  # "loans_2024" under 2025-Q2


def _twelve_months(p: Period) -> bool:
    """A year that is not a calendar year (April 2024 to March 2025)."""
    return p.start.day == 1 and p.start.month != 2 and p.end + dt.timedelta(days=1) == p.start.replace(
        year=p.start.year + 1)


def _earlier(p: Period, main: Period) -> Period | None:
    """Only a period that ends before the main one ends is an earlier figure's period."""
    return p if p.end <= main.end and p != main else None
