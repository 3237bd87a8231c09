"""The assistant's market tools: ``market_summary`` (level, change, high/low and volatility of an
asset over a period) and ``price_chart`` (its price path as a chart and a table), on the demo
market data (S&P 500, NASDAQ, WTI, VIX and five US stocks, 1999-2018)."""

from __future__ import annotations

import datetime as dt
import functools
import math

import pandas as pd
from pydantic import BaseModel, Field

from finloom.apps.customer_service._tool_charts import chart_png, chart_spec
from finloom.apps.customer_service._tool_params import ASSETS
from finloom.apps.customer_service._tools import Tool, ToolContext, ToolResult
from finloom.textgen import Fact, FactSet, Period, format_value

__all__ = ["MarketIn", "market_tools"]

_STOCKS = ("JNJ", "KO", "PG", "XOM", "JPM")
_PERIOD_NAMES = {"1d": ("the last trading day", "最近一个交易日"), "1w": ("the last week", "最近一周"),
                 "1m": ("the last month", "最近一个月"), "3m": ("the last three months", "最近三个月"),
                 "ytd": ("the year to date", "年初至今"), "1y": ("the last year", "最近一年")}


class MarketIn(BaseModel):
    """An asset question: the assets (canonical ids) and the period (``1d``, ``1w``, ``1m``,
    ``3m``, ``ytd``, ``1y``, ``<n>d/w/m/y`` or ``since:YYYY-MM-DD``)."""

    assets: list[str] = Field(min_length=1, max_length=3)
    period: str = Field(default="1m", pattern=r"^(?:\d{1,3}[dwmy]|ytd|since:\d{4}-\d{2}-\d{2})$")


@functools.lru_cache(maxsize=1)
def _prices() -> pd.DataFrame:
    from finloom.apps.reports._data import load_demo_prices
    from finloom.synth.market import load_multi_asset

    demo = load_demo_prices()
    stocks = load_multi_asset(start="1999-01-01")[list(_STOCKS)]
    return demo.join(stocks, how="outer").sort_index()


def _start(period: str, end: pd.Timestamp, index: pd.DatetimeIndex) -> pd.Timestamp:
    if period.startswith("since:"):
        return pd.Timestamp(period[6:])
    if period == "ytd":
        return pd.Timestamp(dt.date(end.year, 1, 1))
    if period == "1d":
        before = index[index < end]
        return before[-1] if len(before) else end
    n, unit = int(period[:-1]), period[-1]
    offset = {"d": pd.DateOffset(days=n), "w": pd.DateOffset(weeks=n), "m": pd.DateOffset(months=n),
              "y": pd.DateOffset(years=n)}[unit]
    return end - offset


def _window(asset: str, period: str) -> pd.Series:
    series = _prices()[asset].dropna()
    end = series.index[-1]
    start = _start(period, end, pd.DatetimeIndex(series.index))
    out = series.loc[start:end]
    return out if len(out) >= 2 else series.iloc[-2:]


def _period_words(period: str, lang: str) -> str:
    if period in _PERIOD_NAMES:
        return _PERIOD_NAMES[period][1 if lang == "zh" else 0]
    return "这段时间" if lang == "zh" else "the period"  # its dates are written next to it


def _name(asset: str, lang: str) -> str:
    en, zh, _ = ASSETS.get(asset, (asset, asset, ()))
    return zh if lang == "zh" else en


def _missing(assets: list[str], lang: str) -> ToolResult | None:
    absent = [a for a in assets if a not in _prices().columns]
    if not absent:
        return None
    have = ", ".join(_name(a, lang) for a in _prices().columns)
    names = "、".join(_name(a, lang) for a in absent) if lang == "zh" else ", ".join(_name(a, lang) for a in absent)
    text = (f"抱歉，这里没有{names}的价格数据。可以查询的有：{have}（演示数据，截至2018年底）。" if lang == "zh" else
            f"Sorry, I have no price data for {names} here. I can look up: {have} (demo data, to the end of 2018).")
    return ToolResult(text, ok=False)


def _facts(asset: str, p: pd.Series) -> list[Fact]:
    period = Period(p.index[0].date(), p.index[-1].date())
    change = (float(p.iloc[-1]) / float(p.iloc[0]) - 1) * 100
    direction = "up" if round(change, 2) > 0 else "down" if round(change, 2) < 0 else "flat"
    name = _name(asset, "en")
    facts = [
        Fact(f"{asset}:close", float(p.iloc[-1]), unit="points", period=period, entity=name, label="close"),
        Fact(f"{asset}:change", change, unit="%", period=period, entity=name, direction=direction,  # type: ignore[arg-type]
             label="change"),
        Fact(f"{asset}:high", float(p.max()), unit="points", period=period, entity=name, label="high"),
        Fact(f"{asset}:low", float(p.min()), unit="points", period=period, entity=name, label="low"),
        Fact(f"{asset}:start", float(p.iloc[0]), unit="points", period=period, entity=name, label="open"),
    ]
    r = p.pct_change().dropna()
    if len(r) >= 5:
        facts.append(Fact(f"{asset}:volatility", float(r.std(ddof=1) * math.sqrt(252) * 100), unit="%",
                          period=period, entity=name, label="volatility"))
    return facts


def _summary_text(asset: str, facts: list[Fact], lang: str, period: str) -> str:
    by = {f.id.split(":")[1]: f for f in facts}
    v = {k: format_value(f, lang) for k, f in by.items()}
    start, end = by["close"].period.start, by["close"].period.end  # type: ignore[union-attr]
    move = by["change"].direction
    name = _name(asset, lang)
    if lang == "zh":
        word = {"up": "上涨", "down": "下跌", "flat": "持平"}[move or "flat"]
        vol = f"，年化波动率{v['volatility']}" if "volatility" in v else ""
        return (f"{name}：截至{end.isoformat()}收于{v['close']}，{_period_words(period, lang)}（{start.isoformat()}至"
                f"{end.isoformat()}）{word}{v['change']}；区间最高{v['high']}，最低{v['low']}{vol}。")
    word = {"up": "rose", "down": "fell", "flat": "was unchanged at"}[move or "flat"]
    vol = f", annualised volatility {v['volatility']}" if "volatility" in v else ""
    return (f"{name} closed at {v['close']} on {end.isoformat()}; over {_period_words(period, lang)} "
            f"({start.isoformat()} to {end.isoformat()}) it {word} {v['change']}, with a high of {v['high']} "
            f"and a low of {v['low']}{vol}.")


def _note(lang: str) -> str:
    return ("（演示数据：“今天”指数据中的最后一个交易日。）" if lang == "zh" else
            " (Demo data: \"today\" means the last trading day in the data.)")


def _fact_set(facts: list[Fact], assets: list[str]) -> FactSet:
    labels = {_name(a, "en"): {"en": _name(a, "en"), "zh": _name(a, "zh")} for a in assets}
    return FactSet(facts, labels=labels)


def market_summary(ctx: ToolContext, customer: str | None, params: MarketIn, lang: str) -> ToolResult:
    """A grounded summary of each asset over the period (facts from the demo prices)."""
    missing = _missing(params.assets, lang)
    if missing is not None:
        return missing
    facts: list[Fact] = []
    parts = []
    for asset in params.assets:
        own = _facts(asset, _window(asset, params.period))
        facts += own
        parts.append(_summary_text(asset, own, lang, params.period))
    return ToolResult(("" if lang == "zh" else " ").join(parts) + _note(lang), _fact_set(facts, params.assets))


def price_chart(ctx: ToolContext, customer: str | None, params: MarketIn, lang: str) -> ToolResult:
    """The assets' closes over the period as a line chart (rebased to 100) and a table."""
    missing = _missing(params.assets, lang)
    if missing is not None:
        return missing
    frame = pd.concat({a: _window(a, params.period) for a in params.assets}, axis=1).dropna()
    step = max(1, math.ceil(len(frame) / 60))
    shown = pd.concat([frame.iloc[::step], frame.iloc[-1:]]).drop_duplicates()
    columns = ["date", *[_name(a, lang) for a in params.assets]]
    table = [{"date": pd.Timestamp(d).date().isoformat(),  # type: ignore[arg-type]
              **{_name(a, lang): round(float(r[a]), 2) for a in params.assets}} for d, r in shown.iterrows()]
    title = ("、".join(columns[1:]) + f"（{_period_words(params.period, lang)}，起点=100）" if lang == "zh" else
             ", ".join(columns[1:]) + f" over {_period_words(params.period, lang)} (start = 100)")
    spec = chart_spec("line", title, columns, table, lang, tool="price_chart")
    facts: list[Fact] = []
    parts = []
    for asset in params.assets:
        own = _facts(asset, frame[asset])
        facts += own
        by = {f.id.split(":")[1]: f for f in own}
        v = {k: format_value(f, lang) for k, f in by.items()}
        start, end = frame.index[0].date().isoformat(), frame.index[-1].date().isoformat()
        if lang == "zh":
            word = {"up": "上涨", "down": "下跌", "flat": "持平"}[by["change"].direction or "flat"]
            parts.append(f"{_name(asset, lang)}：从{start}的{v['start']}到{end}的{v['close']}，{word}{v['change']}。")
        else:
            word = {"up": "up", "down": "down", "flat": "flat"}[by["change"].direction or "flat"]
            parts.append(f"{_name(asset, lang)}: from {v['start']} on {start} to {v['close']} on {end} "
                         f"({word} {v['change']}).")
    head = "这是价格走势图及数据表。" if lang == "zh" else "Here is the price chart and its table. "
    text = head + ("" if lang == "zh" else " ").join(parts) + _note(lang)
    return ToolResult(text, _fact_set(facts, params.assets), chart=spec, png_base64=chart_png(spec))


def market_tools() -> list[Tool]:
    """``market_summary`` and ``price_chart`` (anyone may use them)."""
    return [
        Tool("market_summary", "anyone", MarketIn, market_summary, labels=("the market summary", "市场概况")),
        Tool("price_chart", "anyone", MarketIn, price_chart, labels=("the price chart", "价格走势图")),
    ]
