"""Shared fixtures: a small two-instrument fact set."""

from __future__ import annotations

import datetime as dt

import pytest

from finloom.textgen import Fact, FactSet, Period

PERIOD = Period(dt.date(2018, 1, 2), dt.date(2018, 3, 29))


@pytest.fixture
def facts() -> FactSet:
    return FactSet(
        [
            Fact("SPX:return", -3.456, unit="%", entity="SPX", direction="down", period=PERIOD, label="return"),
            Fact("SPX:close", 2640.87, unit="points", entity="SPX", period=PERIOD, label="close"),
            Fact("SPX:volatility", 15.2, unit="%", entity="SPX", decimals=1, label="volatility"),
            Fact("SPX:max_drawdown", 10.1, unit="%", entity="SPX", label="max drawdown",
                 date=dt.date(2018, 2, 8)),
            Fact("NDX:return", 2.1, unit="%", entity="NDX", direction="up", period=PERIOD, label="return"),
            Fact("NDX:close", 7063.45, unit="points", entity="NDX", period=PERIOD, label="close"),
            Fact("NDX:volatility", 18.3, unit="%", entity="NDX", label="volatility"),
            Fact("NDX:max_drawdown", 9.1, unit="%", entity="NDX", label="max drawdown"),
            Fact("corr:SPX|NDX", 0.93, unit="ratio", entity="SPX", peers=("NDX",), label="correlation"),
            Fact("aum", 1_234_000_000.0, unit="currency", currency="USD", label="assets"),
        ],
        labels={"SPX": {"en": "S&P 500", "zh": "标普500指数"},
                "NDX": {"en": "NASDAQ Composite", "zh": "纳斯达克综合指数"}},
    )


@pytest.fixture
def market_ctx() -> dict[str, object]:
    return {"instruments": ["SPX", "NDX"], "best": "NDX", "worst": "SPX",
            "correlations": ["corr:SPX|NDX"], "regimes": {}, "regimes_zh": {}}
