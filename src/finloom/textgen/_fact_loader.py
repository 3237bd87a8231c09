"""Turn a plain JSON object of facts (as an analyst exports it) into a typed :class:`FactSet`.

Entity, period, unit, scale, currency, comparison basis and direction are read from key names and
values: ``{"company": "Harbor Bank", "period": "2024-Q1", "net_profit_yoy_pct": -3.4}`` is one
fact "net profit, year on year, -3.4 %, down, Harbor Bank, 2024-01-01..2024-03-31".
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from finloom.errors import InvalidDataError
from finloom.textgen._descriptors import descriptors_of, directed_by_descriptors
from finloom.textgen._earlier import earlier_period_value, is_earlier_key
from finloom.textgen._facts import Fact, FactSet, Period
from finloom.textgen._key_period import period_in_key
from finloom.textgen._periods import find_periods, month_end, parse_period, shift_period

__all__ = ["facts_from_dict", "facts_from_json", "parse_key", "rate_pair"]

ENTITY_KEYS = ("entity", "company", "fund", "index", "customer", "name", "bank", "issuer", "product",
               "client", "portfolio", "instrument", "pair", "ticker", "security", "country", "market",
               "insurer", "account_holder", "borrower", "card", "region", "city", "commodity", "asset",
               "book", "segment", "lender", "brand", "merchant", "policyholder", "stock",
               # Chinese key names for the same roles (指数 for index, 客户 for customer ...)
               "实体", "公司", "企业", "基金", "指数", "客户", "银行", "发行人", "产品", "持卡人", "账户",
               "组合", "证券", "股票", "国家", "市场", "保险公司", "信用卡", "卡片", "板块", "行业", "地区",
               "城市", "商品", "资产", "商户", "借款人", "名称", "品种", "资金", "标的", "货币对")
PERIOD_KEYS = ("period", "quarter", "month", "year", "fiscal_year", "reporting_period", "window")
# other keys that name the facts' period when none of PERIOD_KEYS does ("period_ytd", "policy_year", "data_period")
_NAMED_PERIOD_KEY = re.compile(r"^period_|_period$|^(?:policy|plan|tax|financial)_year$")
DATE_KEYS = ("as_of", "as_at", "date", "asof", "report_date", "data_date")
_SKIP_KEYS = {"aliases", "source", "sources", "notes", "note", "comment", "unit", "units", "currency",
              "description", "title", "lang", "language", "id", "type", "category"}
# units of physical quantity a key may end in after its scale ("crude_imports_mn_t", "output_k_bbl")
_QUANTITY = {"t", "tonnes", "tons", "tonne", "mt", "bbl", "barrels", "oz", "ounces", "kg"}
_SCALES = {"k": 1e3, "thousand": 1e3, "thousands": 1e3, "mn": 1e6, "m": 1e6, "mm": 1e6, "million": 1e6,
           "millions": 1e6, "bn": 1e9, "b": 1e9, "billion": 1e9, "billions": 1e9, "tn": 1e12,
           "trn": 1e12, "trillion": 1e12, "wan": 1e4, "万": 1e4, "yi": 1e8, "亿": 1e8, "wanyi": 1e12, "万亿": 1e12,
           "100m": 1e8, "hundred_million": 1e8}
# a power of ten times a scale in one token: 亿 as "100mn", 万 as "10k" ("exports_usd_100mn", "claims_10k")
_MULTIPLE = re.compile(r"^(1(?:0{1,3}))(k|thousand|mn|m|mm|million|bn|b|billion)$")


def scale_of(token: str) -> float | None:
    """The multiplier a key token names, or None when it names none.

    Examples
    --------
    >>> scale_of("mn"), scale_of("100mn"), scale_of("10k"), scale_of("万")
    (1000000.0, 100000000.0, 10000.0, 10000.0)
    >>> scale_of("10y") is None, scale_of("30d") is None, scale_of("2k") is None
    (True, True, True)
    """
    if token in _SCALES:
        return _SCALES[token]
    m = _MULTIPLE.match(token)
    return float(m.group(1)) * _SCALES[m.group(2)] if m else None
_CURRENCIES = {"usd": "USD", "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "eur": "EUR", "gbp": "GBP",
               "hkd": "HKD", "jpy": "JPY", "chf": "CHF", "aud": "AUD", "cad": "CAD", "sgd": "SGD",
               "元": "CNY", "美元": "USD", "人民币": "CNY", "港元": "HKD", "欧元": "EUR", "英镑": "GBP",
               "rm": "MYR", "myr": "MYR", "idr": "IDR", "krw": "KRW", "vnd": "VND", "inr": "INR", "twd": "TWD",
               "thb": "THB"}
_ZH_UNIT = re.compile(r"(万亿|亿|万|千)?(元|美元|人民币|港元|欧元|英镑)$")
_ZH_COUNT = re.compile(r"^(万亿|亿|万|千)(股|户|个|笔|家|人|张|份)$")  # 总股本_亿股: a count in 亿
# a scale joined to a currency code in one token ("revenue_musd", "assets_bnusd", "sales_usdm")
_SCALED_CODE = re.compile(r"^(?:(k|m|mm|mn|bn|b|tn|trn)(usd|cny|rmb|eur|gbp|hkd|jpy|chf|aud|cad|sgd)|"
                          r"(usd|cny|rmb|eur|gbp|hkd|jpy|chf|aud|cad|sgd)(k|m|mm|mn|bn|b|tn|trn))$")
# a currency's hundredth part ("dps_cents": 42.0 is $0.42), in the facts' currency when they name one
_SUBUNITS = {"cents": "USD", "cent": "USD", "pence": "GBP", "penny": "GBP", "p": "GBP"}  # "dividend_p": 9.6p
_PERCENT = {"pct", "percent", "pc", "perc", "%", "％", "百分比"}
_PP = {"pp", "ppt", "ppts", "pps", "percentage_points", "个百分点", "百分点"}
_BP = {"bp", "bps", "basis_points", "基点"}
_COUNT = {"count", "cnt", "num", "number", "n", "户", "个", "笔", "家"}
_DAYS = {"days", "day", "d", "天"}
_TIMES = {"x", "times", "multiple", "倍"}
_POINTS = {"points", "pts", "pt", "point", "点"}
_BASES = {"yoy": "yoy", "qoq": "qoq", "mom": "mom", "ytd": "ytd", "mtd": "mtd", "wow": "wow", "同比": "yoy",
          "环比": "seq", "y/y": "yoy", "q/q": "qoq", "m/m": "mom"}
_CHANGE = {"change", "chg", "return", "returns", "ret", "growth", "delta", "diff", "flow", "flows",
           "inflow", "inflows", "netflow", "move", "moves", "performance", "perf", "variation",
           "increase", "gain", "yoy", "qoq", "mom", "ytd", "mtd", "wow", "涨跌幅", "增速", "增长", "变动",
           "净流入", "涨幅", "hike", "hikes", "raise", "rise", "widening", "上调", "加息", "升息"}
_NEGATIVE = {"outflow", "outflows", "decrease", "decline", "drop", "fall", "净流出", "跌幅", "降幅", "cut", "cuts",
             "reduction", "下调", "降息", "降准"}
# ISO codes a key may combine into a currency pair ("usd_cny", "rate_cny_per_usd") or put first ("usd_amount")
_CODES = {"usd": "USD", "cny": "CNY", "cnh": "CNY", "rmb": "CNY", "eur": "EUR", "gbp": "GBP", "hkd": "HKD",
          "jpy": "JPY", "chf": "CHF", "aud": "AUD", "cad": "CAD", "sgd": "SGD", "nzd": "NZD"}
# words after the unit that qualify it ("management_fee_pct_pa", "growth_pct_yoy", "deficit_pct_gdp")
_AFTER_UNIT = {"pa", "annual", "annualised", "annualized", "yearly", "yoy", "qoq", "mom", "ytd", "mtd", "gdp"}
# what a price is quoted per ("price_usd_oz", "price_cny_per_g", "dividend_cny_per_10_units")
_PRICE_UNITS = {"oz", "ozt", "ounce", "ounces", "g", "gram", "grams", "kg", "t", "tonne", "tonnes", "ton", "tons",
                "bbl", "barrel", "barrels", "mmbtu", "lb", "lbs", "share", "shares", "unit", "units", "克", "盎司", "吨", "桶"}
# a currency code before such words is no amount in that currency ("usd_index" is the dollar index)
_NOT_AMOUNT = {"index", "rate", "rates", "yield", "ratio", "share", "weight", "fixing", "parity", "spot", "strength",
               "count", "number", "pct", "vs"}
_NUMBER_TEXT = re.compile(r"^\s*([-+−]?\d[\d,]*(?:\.\d+)?)\s*(%|％|pp|bp|bps|x)?\s*$", re.I)


@dataclass(frozen=True)
class KeySpec:
    """What a key name says: metric words, unit, currency, scale, basis and whether it is a change."""

    metric: str
    unit: str = ""
    currency: str | None = None
    scale: float = 1.0
    basis: str | None = None
    change: bool = False
    negative: bool = False
    pair: tuple[str, str] | None = None


@dataclass
class _Ctx:
    entity: str | None = None
    period: Period | None = None
    currency: str | None = None
    facts: list[Fact] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)


def _tokens(key: str) -> list[str]:
    key = re.sub(r"([a-z])([A-Z])", r"\1_\2", key.strip())
    key = key.replace("%", "_pct").replace("/", "_per_") if not re.search(r"[yqm]/[yqm]", key, re.I) else key
    return [t for t in re.split(r"[_\s\-.]+", key.lower()) if t]


def rate_pair(name: str) -> tuple[str, str] | None:
    """(base, quote) of the currency pair a key or label names: ``usd_cny``, ``usdcny close``, ``USD/CNY``,
    ``rate_cny_per_usd`` (yuan per dollar is USD/CNY); None when it names no pair.

    Examples
    --------
    >>> rate_pair("usd_cny"), rate_pair("conversion rate cny per usd"), rate_pair("EUR/USD")
    (('USD', 'CNY'), ('USD', 'CNY'), ('EUR', 'USD'))
    >>> rate_pair("points per usd") is None, rate_pair("cny deposit rate") is None, rate_pair("欧元兑人民币")
    (True, True, ('EUR', 'CNY'))
    """
    found = _pair_tokens(_tokens(name.replace("/", "_")))
    return found[0] if found else None


_ZH_CODES = {"美元": "USD", "人民币": "CNY", "欧元": "EUR", "英镑": "GBP", "日元": "JPY", "港元": "HKD", "港币": "HKD",
             "澳元": "AUD", "加元": "CAD", "瑞郎": "CHF", "新加坡元": "SGD", "新西兰元": "NZD"}
_ZH_PAIR = re.compile(rf"({'|'.join(_ZH_CODES)})兑(?:离岸|在岸)?({'|'.join(_ZH_CODES)})")


def _pair_tokens(toks: Sequence[str]) -> tuple[tuple[str, str], set[int]] | None:
    """The pair named by key tokens and the tokens that name it ("cny per usd", "usd cny", "usdcny", 欧元兑人民币)."""
    for i, t in enumerate(toks):
        zh = _ZH_PAIR.search(t) if not t.isascii() else None
        if zh and _ZH_CODES[zh.group(1)] != _ZH_CODES[zh.group(2)]:
            return (_ZH_CODES[zh.group(1)], _ZH_CODES[zh.group(2)]), {i}
        if len(t) == 6 and t[:3] in _CODES and t[3:] in _CODES and _CODES[t[:3]] != _CODES[t[3:]]:
            return (_CODES[t[:3]], _CODES[t[3:]]), {i}
        if t not in _CODES or i + 1 >= len(toks):
            continue
        if toks[i + 1] in _CODES and _CODES[toks[i + 1]] != _CODES[t]:
            return (_CODES[t], _CODES[toks[i + 1]]), {i, i + 1}
        if toks[i + 1] == "per" and i + 2 < len(toks) and toks[i + 2] in _CODES and _CODES[toks[i + 2]] != _CODES[t]:
            return (_CODES[toks[i + 2]], _CODES[t]), {i, i + 1, i + 2}
    return None


def _price_unit(toks: list[str]) -> int:
    """How many tokens at the end say what a price is quoted per ("usd_oz" → 1, "cny_per_10_units" → 3),
    when a currency comes before them; 0 otherwise."""
    if not toks or toks[-1] not in _PRICE_UNITS:
        return 0
    i = len(toks) - 2
    if i >= 0 and toks[i].isdigit():
        i -= 1
    if i >= 0 and toks[i] == "per":
        i -= 1
    return len(toks) - 1 - i if i >= 1 and (toks[i] in _CURRENCIES or _ZH_UNIT.search(toks[i])) else 0


_KEY_YEAR = re.compile(r"^(?:19|20)\d\d$")
_KEY_GRAIN = re.compile(r"^(?:[hq][1-4]|fy(?:\d\d|\d{4})?)$")
_UNIT_TOKENS = _PERCENT | _PP | _BP | _COUNT | _DAYS | _TIMES | _POINTS | set(_CURRENCIES) | set(_SUBUNITS)


def _trailing_period_tokens(toks: list[str]) -> int:
    """How many tokens at the end of a key only date it, after its unit ("days_h1_2024", "usd_bn_2024_q3");
    0 when the token before them is no unit or scale."""
    i = len(toks)
    while i > 1 and (_KEY_YEAR.match(toks[i - 1]) or _KEY_GRAIN.match(toks[i - 1]) or
                     re.fullmatch(r"0[1-9]|1[0-2]", toks[i - 1]) and i > 2 and _KEY_YEAR.match(toks[i - 2])):
        i -= 1
    if i == len(toks) or i < 2 or not (toks[i - 1] in _UNIT_TOKENS or scale_of(toks[i - 1])):
        return 0
    return len(toks) - i


def parse_key(key: str) -> KeySpec:
    """Read the metric, unit, scale, currency and basis from a key name.

    A currency pair in the key (``usd_cny``, ``rate_cny_per_usd``) makes it an exchange rate (a plain number
    with ``pair`` set), a currency code in front (``usd_amount``) an amount in that currency, a unit after
    the currency (``price_usd_oz``) a price per that unit; a qualifier after the unit ("fee_pct_pa",
    "growth_pct_yoy") is read past.

    Examples
    --------
    >>> parse_key("net_profit_yoy_pct")
    KeySpec(metric='net profit', unit='%', currency=None, scale=1.0, basis='yoy', change=True, negative=False, pair=None)
    >>> k = parse_key("revenue_usd_mn"); (k.metric, k.unit, k.currency, k.scale)
    ('revenue', 'currency', 'USD', 1000000.0)
    >>> k = parse_key("dps_prev_cents"); (k.metric, k.unit, k.currency, k.scale)
    ('dps prev', 'currency', 'USD', 0.01)
    >>> k = parse_key("nim_change_bp"); (k.metric, k.unit, k.scale, k.change)
    ('nim change', 'pp', 0.01, True)
    >>> parse_key("净利润_亿元").currency
    'CNY'
    >>> k = parse_key("rate_cny_per_usd"); (k.unit, k.currency, k.pair)
    ('', None, ('USD', 'CNY'))
    >>> [(k.metric, k.unit, k.currency) for k in map(parse_key, ("usd_amount", "price_usd_oz", "fee_pct_pa"))]
    [('amount', 'currency', 'USD'), ('price', 'currency', 'USD'), ('fee pa', '%', None)]
    """
    toks = _tokens(key)
    unit, currency, scale, basis = "", None, 1.0, None
    paired = _pair_tokens(toks)
    pair_at = paired[1] if paired else set()
    kept: list[str] = []  # qualifiers read past ("pa"), put back into the metric
    if len(toks) > 2 and toks[-1] in _AFTER_UNIT and (toks[-2] in _PERCENT | _PP | _BP or toks[-2] in _CURRENCIES):
        kept.append(toks.pop())
    dated = _trailing_period_tokens(toks)  # "avg_settlement_days_h1_2024": days, for the first half of 2024
    if dated:
        kept[:0], toks = toks[-dated:], toks[:-dated]
    if (per := _price_unit(toks)) and not pair_at & set(range(len(toks) - per - 1, len(toks))):
        del toks[-per:]
    while toks:
        t = toks[-1]
        zh = _ZH_UNIT.search(t)
        joined = _SCALED_CODE.match(t)
        if len(toks) - 1 in pair_at or (len(toks) > 1 and toks[-2] == "per"):
            break  # a pair is a rate; "points_per_usd" is a count per dollar, no dollar amount
        if t in _QUANTITY and len(toks) > 2 and scale_of(toks[-2]) and not unit:
            pass  # "imports_mn_t": millions of tonnes, a quantity in the scale before its unit
        elif t in _PERCENT:
            unit = "%"
        elif t in _PP:
            unit = "pp"
        elif t in _BP:
            unit, scale = "pp", 0.01
        elif scale_of(t) and (unit in ("", "currency") or currency):
            scale *= scale_of(t) or 1.0
        elif t in _CURRENCIES:
            unit, currency = "currency", _CURRENCIES[t]
        elif t in _SUBUNITS and len(toks) > 1 and not unit:
            unit, currency, scale = "currency", _SUBUNITS[t], scale * 0.01
        elif joined and not unit:
            scale *= _SCALES[joined.group(1) or joined.group(4)]
            unit, currency = "currency", _CURRENCIES[joined.group(2) or joined.group(3)]
        elif (zc := _ZH_COUNT.match(t)) and len(toks) > 1 and not unit:
            unit, scale = "count", scale * _SCALES[zc.group(1)]
        elif zh and zh.group(0) != t:
            toks[-1] = t[: zh.start()]
            scale *= _SCALES.get(zh.group(1) or "", 1.0)
            unit, currency = "currency", _CURRENCIES[zh.group(2)]
            continue
        elif zh:
            scale *= _SCALES.get(zh.group(1) or "", 1.0)
            unit, currency = "currency", _CURRENCIES[zh.group(2)]
        elif t in _COUNT and len(toks) > 1 and not unit:
            unit = "count"
        elif t in _DAYS and len(toks) > 1 and not unit:  # "turnover_prev_day_yuan" is yuan
            unit = "days"
        elif t in _TIMES and len(toks) > 1 and not unit:
            unit = "ratio"
        elif t in _POINTS and len(toks) > 1 and not unit:
            unit = "points"
        else:
            break
        toks.pop()
    if not unit and not paired and len(toks) > 1 and toks[0] in _CODES and \
            not any(t in _CODES or t in _NOT_AMOUNT for t in toks[1:]):
        unit, currency = "currency", _CODES[toks.pop(0)]  # "usd_amount", "cny_balance"
    toks += kept
    basis = next((_BASES[t] for t in toks if t in _BASES), None)
    # "黄金储备月度变动" is one token: look inside it (涨跌幅 names a change of either sign)
    cjk = [t.replace("涨跌幅", "涨跌") for t in toks if not t.isascii()]
    basis = basis or next((_BASES[w] for t in cjk for w in ("同比", "环比") if w in t), None)  # "进口同比"
    change = basis is not None or any(t in _CHANGE or t in _NEGATIVE for t in toks) or "net_flow" in "_".join(toks) \
        or any(w in t for t in cjk for w in _CHANGE | _NEGATIVE | {"涨跌"} if not w.isascii())  # 月涨跌幅
    negative = any(t in _NEGATIVE for t in toks) or any(w in t for t in cjk for w in _NEGATIVE if not w.isascii())
    metric_toks = [t for t in toks if t not in _BASES]
    return KeySpec(" ".join(metric_toks) or key, unit, currency, scale, basis, change, negative,
                   paired[0] if paired else None)


def _decimals(value: float, raw: Any) -> int:
    text = raw if isinstance(raw, str) else repr(raw)
    m = re.search(r"\.(\d+)", text)
    return min(len(m.group(1)), 6) if m else 0


def _number(raw: Any) -> tuple[float, str] | None:
    """A JSON value as a number plus an inline unit ("3.4%" → (3.4, "%")), or None."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        return float(raw), ""
    if isinstance(raw, str):
        m = _NUMBER_TEXT.match(raw)
        if m:
            return float(m.group(1).replace(",", "").replace("−", "-")), (m.group(2) or "").lower()
    return None


def _period_of(raw: Any) -> Period | None:
    rng = parse_period(raw)
    return Period(*rng) if rng else None


_SPAN_JOIN = re.compile(r"\s*(?:至|到|~|–|—|-|to|through|until|thru)\s*|[^\d]*(?:截至|截止|to|through|until|thru)\s*", re.I)


def _stated_period(raw: Any) -> Period | None:
    """A period value, also when words surround it: "repricing effective 2025-11-01", "2025-10 statement",
    "2025保单年度" name that period; "2025 YTD to 2025-10-17", "2024-11至2025-10", "2025年度（截至2025-09-30）"
    run from the first period's start to the second's end.

    Examples
    --------
    >>> str(_stated_period("repricing effective 2025-11-01").start)
    '2025-11-01'
    >>> p = _stated_period("2025 YTD to 2025-10-17"); (str(p.start), str(p.end))
    ('2025-01-01', '2025-10-17')
    >>> p = _stated_period("2025 year to date (to 31 Oct)"); (str(p.start), str(p.end))
    ('2025-01-01', '2025-10-31')
    >>> _stated_period("soon") is None
    True
    """
    found = _period_of(raw)
    if found is not None or not isinstance(raw, str):
        return found
    mentions = [m for m in find_periods(raw) if not m.relative]
    if len(mentions) == 1 and mentions[0].grain == "year":  # "2025 YTD (to 31 Oct)": a day of that year ends it
        mentions = [m for m in find_periods(raw, (mentions[0].first, mentions[0].last)) if not m.relative]
    if len(mentions) == 1:
        return Period(mentions[0].first, mentions[0].last)
    if len(mentions) == 2:
        a, b = mentions
        if a.first <= b.last and _SPAN_JOIN.fullmatch(raw[a.end : b.start]):
            return Period(a.first, b.last)
    return None


def _fact(ctx: _Ctx, key: str, raw: Any, problems: list[str]) -> None:
    parsed = _number(raw)
    if parsed is None:
        if isinstance(raw, str) and (key.lower().endswith("date") or re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip())) \
                and (day := parse_period(raw)):
            ctx.facts.append(Fact(_fact_id(ctx, key), float(day[0].toordinal()), unit="date",
                                  entity=ctx.entity, label=parse_key(key).metric, date=day[0],
                                  period=ctx.period))
        return
    value, inline = parsed
    if not math.isfinite(value):
        problems.append(f"fact {key!r} must be a finite number; got {raw!r}. Remove it or give its value.")
        return
    spec = parse_key(key + ("_" + inline if inline else ""))
    if spec.unit == "currency" or (spec.unit == "" and ctx.currency and spec.scale != 1.0):
        subunit = _tokens(key)[-1] in _SUBUNITS  # 42 cents of the facts' AUD are A$0.42
        currency = (ctx.currency if subunit else None) or spec.currency or ctx.currency
        unit = "currency" if currency else ""
    else:
        currency, unit = None, spec.unit
    stored = value * spec.scale
    if not math.isfinite(stored):
        problems.append(f"fact {key!r} must be a finite number once scaled; got {raw!r} × {spec.scale:g}. "
                        "Check the value and the key's scale suffix.")
        return
    period = period_in_key(str(key), ctx.period) or _hinted_period(ctx.period, str(key))
    direction: Literal["up", "down", "flat"] | None = None
    if spec.change:
        direction = "down" if (value < 0) != spec.negative and value != 0 else "flat" if value == 0 else "up"
    # a rate keyed by its pair ("usd_cny": 7.129) is about that pair when nothing else is named
    entity = ctx.entity or (f"{spec.pair[0]}/{spec.pair[1]}" if spec.pair else None)
    ctx.facts.append(Fact(
        _fact_id(ctx, key), stored, unit=unit, currency=currency, period=_to_date_period(period, spec.basis),
        entity=entity, direction=direction, decimals=_decimals(value, raw), label=spec.metric, basis=spec.basis))


_MONTH_NUMBERS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_TOKEN = re.compile(r"(?:^|_)(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)(?:_|$)", re.I)
_PERIOD_TOKEN = re.compile(r"(?:^|_)(h[12]|[12]h|q[1-4]|[1-4]q|fy|full_year)(?:_|$)", re.I)


def _hinted_period(period: Period | None, key: str) -> Period | None:
    """A key that names its own period ("gdp_h1_yoy_pct" under 2024-Q2) covers that period of the year."""
    month = _MONTH_TOKEN.search(key)
    if period is not None and month is not None:  # "sep_yoy_pct" under 2025-01..2025-09: September alone
        n = _MONTH_NUMBERS.index(month.group(1).lower()[:3]) + 1
        y = period.end.year if n <= period.end.month else period.end.year - 1
        first = dt.date(y, n, 1)
        if period.start <= first <= period.end and (period.start, period.end) != (first, month_end(y, n)):
            return Period(first, month_end(y, n))
    m = _PERIOD_TOKEN.search(key)
    if period is None or m is None:
        return period
    token, year = m.group(1).lower(), period.end.year
    if token in ("fy", "full_year") and shift_period(period.start, period.end, years=1)[0] == period.end + dt.timedelta(days=1):
        return period  # "prior_fy_bn" under FY2025 (April 2024 – March 2025): that fiscal year, not calendar 2025
    if token in ("fy", "full_year"):
        rng = parse_period(str(year))
    elif "h" in token:
        rng = parse_period(f"{year}-H{token.replace('h', '')}")
    else:
        rng = parse_period(f"{year}-Q{token.replace('q', '')}")
    return Period(*rng) if rng else period


def _to_date_period(period: Period | None, basis: str | None) -> Period | None:
    """A year-to-date or month-to-date figure as of a day covers the year or month up to that day."""
    if period is None or basis not in ("ytd", "mtd"):
        return period
    start = period.end.replace(month=1, day=1) if basis == "ytd" else period.end.replace(day=1)
    return Period(start, period.end)


def _fact_id(ctx: _Ctx, key: str) -> str:
    where = "" if ctx.period is None else f"{_period_label(ctx.period)}:"
    base = f"{ctx.entity + ':' if ctx.entity else ''}{where}{key}"
    taken = {f.id for f in ctx.facts}
    out, i = base, 2
    while out in taken:
        out, i = f"{base}#{i}", i + 1
    return out


def _period_label(p: Period) -> str:
    """A short name for a period: 2024, 2024-H1, 2024-Q1, 2024-03, 2024-03-15 or start..end."""
    from finloom.textgen._periods import grain_of

    grain = grain_of(p.start, p.end)
    y = p.start.year
    return {"year": f"{y}", "half": f"{y}-H{1 if p.start.month == 1 else 2}",
            "quarter": f"{y}-Q{(p.start.month - 1) // 3 + 1}", "month": f"{y}-{p.start.month:02d}",
            "day": p.start.isoformat()}.get(grain, f"{p.start}..{p.end}")


def _record(ctx: _Ctx, rec: Mapping[str, Any], problems: list[str]) -> None:
    unit = str(rec.get("unit") or "").strip()
    scale = str(rec.get("scale") or "").strip().lower()
    metric = str(rec.get("metric") or rec.get("name") or rec.get("label") or "value")
    suffix = {"%": "pct", "usd": "usd", "cny": "cny"}.get(unit.lower(), unit.lower())
    key = "_".join(t for t in (metric, suffix, scale) if t)
    sub = _Ctx(str(rec["entity"]) if rec.get("entity") else ctx.entity,
               _stated_period(rec["period"]) if rec.get("period") else ctx.period,
               str(rec.get("currency") or ctx.currency or "") or None, ctx.facts, ctx.aliases)
    if rec.get("currency") and unit.lower() not in _CURRENCIES:
        key = "_".join(t for t in (metric, str(rec["currency"]).lower(), scale) if t)
    _fact(sub, key, rec.get("value"), problems)
    if rec.get("direction") in ("up", "down", "flat") and sub.facts and sub.facts[-1].label:
        last = sub.facts[-1]
        sub.facts[-1] = Fact(last.id, abs(last.value), last.unit, last.currency, last.period, last.entity,
                             rec["direction"], last.decimals, last.label, last.peers, last.date, last.basis)


_RANGE = re.compile(r"^\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*(%|％)?\s*(?:-|–|—|~|～|至|到|to)\s*"
                    r"([-+]?\d[\d,]*(?:\.\d+)?)\s*(%|％)?\s*$")


def _range(value: str) -> tuple[str, str] | None:
    """The two bounds of a range written as a string ("2.5%-3.2%", "3 至 5"), or ``None``."""
    m = _RANGE.match(value)
    if m is None:
        return None
    unit = m.group(2) or m.group(4) or ""
    return m.group(1) + unit, m.group(3) + unit


def _is_name(key: str, value: str) -> bool:
    """A string fact that names something (a product, an underlying, a merchant), not a date or a note."""
    text = value.strip()
    return (0 < len(text) <= 60 and not key.endswith("date") and parse_period(text) is None
            and not re.fullmatch(r"[\d\s.,:%/-]+", text) and not _OTHER_KEY.search(key))


# keys that name another entity to compare with, not the entity itself ("peer_fund", "other_index", 对比指数)
_OTHER_KEY = re.compile(r"peer|other|rival|competitor|benchmark|compar|\bvs\b|versus|对比|同业|其他|另|竞争|基准")


_LINKED = re.compile(r"挂钩([^的，,]{2,12})的|\blinked to (?:the )?([A-Z][\w&.]*(?: [A-Z0-9][\w&.]*){0,3})")


def _walk(obj: Mapping[str, Any], ctx: _Ctx, problems: list[str]) -> None:
    meta = {k.lower(): v for k, v in obj.items() if isinstance(k, str)}
    entity = next((str(meta[k]) for k in ENTITY_KEYS if isinstance(meta.get(k), str)), None)
    period_key = next((k for k in PERIOD_KEYS if _stated_period(meta.get(k)) is not None), None) or next(
        (k for k, v in meta.items() if _NAMED_PERIOD_KEY.search(k) and isinstance(v, str) and _stated_period(v)), None)
    period_raw = meta[period_key] if period_key else None
    date_raw = next((meta[k] for k in DATE_KEYS if isinstance(meta.get(k), str)), None)
    here = _Ctx(entity or ctx.entity, _stated_period(period_raw) or _stated_period(date_raw) or ctx.period,
                str(meta["currency"]).upper() if isinstance(meta.get("currency"), str) else ctx.currency,
                ctx.facts, ctx.aliases)
    used = {k for k in ENTITY_KEYS if isinstance(meta.get(k), str)} | set(PERIOD_KEYS) | set(DATE_KEYS) | {period_key}
    named_earlier = earlier_period_value(meta)  # "prev_period": "2025-09" dates the "_prev_" keys
    earlier = _stated_period(named_earlier[1]) if named_earlier else None
    if named_earlier:
        used.add(named_earlier[0])
    if entity and entity.startswith("某") and len(entity) > 2:  # "某科技主题基金": 某 ("a certain") is no part of the name
        here.aliases.setdefault(entity, []).append(entity[1:])
    if entity:  # {"client": ..., "product": ...}: the text may name either
        here.aliases.setdefault(entity, []).extend(
            str(meta[k]).strip() for k in ENTITY_KEYS if isinstance(meta.get(k), str) and str(meta[k]) != entity
            and _is_name(k, str(meta[k])))
        here.aliases[entity] += [(m.group(1) or m.group(2)).strip() for name in list(here.aliases[entity]) + [entity]
                                 if (m := _LINKED.search(name))]  # "挂钩中证500的收益凭证": its underlying
    for key, value in obj.items():
        low = str(key).lower()
        if low == "aliases" and isinstance(value, Mapping):
            for name, names in value.items():
                here.aliases.setdefault(str(name), []).extend(
                    [str(n) for n in names] if isinstance(names, list) else [str(names)])
        elif low in used or low in _SKIP_KEYS:
            continue
        elif isinstance(value, str) and (low_high := _range(value)) is not None:
            for suffix, bound in zip(("low", "high"), low_high, strict=True):  # 业绩比较基准 "2.5%-3.2%"
                _fact(here, f"{key}_{suffix}", bound, problems)
        elif isinstance(value, str) and here.entity and _is_name(low, value):
            # another name the facts give ("product": "12-month deposit", "underlying": "EURO STOXX 50"):
            # the text may call the entity by it
            here.aliases.setdefault(here.entity, []).append(value.strip())
        elif low == "entities" and isinstance(value, Mapping):
            for name, sub in value.items():
                if isinstance(sub, Mapping):
                    _walk(sub, _Ctx(str(name), here.period, here.currency, here.facts, here.aliases), problems)
        elif low == "periods" and isinstance(value, Mapping):
            for name, sub in value.items():
                if isinstance(sub, Mapping):
                    _walk(sub, _Ctx(here.entity, _period_of(name) or here.period, here.currency, here.facts,
                                    here.aliases), problems)
        elif isinstance(value, Mapping):
            period = _period_of(key)
            sub_ctx = _Ctx(here.entity if period else str(key), period or here.period, here.currency,
                           here.facts, here.aliases)
            _walk(value, sub_ctx, problems)
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            for rec in value:
                if "value" in rec:
                    _record(here, rec, problems)
                else:
                    _walk(rec, here, problems)
        elif earlier is not None and here.period is not None and is_earlier_key(low):
            _fact(_Ctx(here.entity, earlier, here.currency, here.facts, here.aliases), str(key), value, problems)
        else:
            _fact(here, str(key), value, problems)


def facts_from_dict(data: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> FactSet:
    """Build a :class:`FactSet` from a plain dict (or a list of fact records).

    Shapes: a flat object for one entity; ``{"entities": {name: {...}}}``; ``{"periods":
    {"2024-Q1": {...}}}``; ``{"facts": [{"entity", "metric", "value", "unit", "scale", "period"}]}``;
    optional ``{"aliases": {name: [other names]}}``. Key suffixes give the unit: ``_pct``, ``_pp``,
    ``_bp``, a currency (``_usd``, ``_cny``...) with an optional scale (``_k``, ``_mn``, ``_bn``,
    ``_wan``, ``_yi``), ``_count``, ``_days``, ``_x``, ``_points``. Keys naming a change (change,
    return, growth, yoy, qoq, mom, net_flow...) carry their direction in the sign.

    Raises
    ------
    InvalidDataError
        When there is no number in the object, or a value is NaN or infinite.

    Examples
    --------
    >>> fs = facts_from_dict({"company": "Harbor Bank", "period": "2024-Q1",
    ...                       "net_profit_cny_yi": 52.3, "net_profit_yoy_pct": -3.4})
    >>> [(f.label, f.value, f.unit, f.direction, f.basis) for f in fs]
    [('net profit', 5230000000.0, 'currency', None, None), ('net profit', -3.4, '%', 'down', 'yoy')]
    >>> str(fs.facts[0].period.end), fs.entities()
    ('2024-03-31', ['Harbor Bank'])
    """
    if isinstance(data, Sequence) and not isinstance(data, str | bytes):
        data = {"facts": list(data)}
    if not isinstance(data, Mapping):
        raise InvalidDataError(f"facts must be a JSON object or a list of fact records; got "
                               f"{type(data).__name__}. See the guard guide for the accepted shapes.")
    problems: list[str] = []
    ctx = _Ctx()
    _walk(data, ctx, problems)
    if problems:
        raise InvalidDataError(problems)
    if not ctx.facts:
        raise InvalidDataError("facts must contain at least one number; got none. Give metrics as "
                               "'name_unit': value pairs, e.g. {\"net_profit_yoy_pct\": -3.4}.")
    described = descriptors_of(data)  # the product, merchant, indicator ... the figures are about
    return FactSet(directed_by_descriptors(ctx.facts, described),
                   alias_names={k: tuple(v) for k, v in ctx.aliases.items()}, descriptors=described,
                   written_on=_written_on(data))


_WRITTEN_KEYS = ("report_date", "publish_date", "published", "written_on", "sent_on")


def _written_on(data: Mapping[str, Any]) -> dt.date | None:
    """The day a report was written, given beside the period it covers ("period": "2025-08",
    "report_date": "2025-09-03"): "last month" in its text may count from that day."""
    raw = next((data[k] for k in _WRITTEN_KEYS if isinstance(data.get(k), str)), None)
    day = parse_period(raw) if raw else None
    return day[0] if day and day[0] == day[1] else None


def facts_from_json(source: str | Path) -> FactSet:
    """Read facts from a JSON file path or a JSON string (see :func:`facts_from_dict`).

    Examples
    --------
    >>> len(facts_from_json('{"index": "S&P 500", "change_pct": -2.37, "close_points": 4890.97}'))
    2
    """
    text = str(source)
    if not text.lstrip().startswith(("{", "[")):
        path = Path(text)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidDataError(f"facts file must be readable UTF-8 JSON; got {path.name!r} ({exc.__class__.__name__}).") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidDataError(f"facts must be valid JSON; got an error at line {exc.lineno}, column {exc.colno}: "
                               f"{exc.msg}. Check the file with a JSON validator.") from exc
    return facts_from_dict(data)
