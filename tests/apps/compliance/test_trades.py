from __future__ import annotations

import pandas as pd
import pytest

from finloom.apps.compliance import TradeAuditConfig, audit_trades
from finloom.errors import InvalidDataError


def blotter(rows: list[tuple]) -> pd.DataFrame:
    cols = ["trade_id", "timestamp", "trader", "account", "symbol", "side", "quantity", "price"]
    return pd.DataFrame(rows, columns=cols)


BASE = [
    (1, "2024-03-04 10:00", "ann", "A1", "AAPL", "BUY", 100, 170.0),
    (2, "2024-03-04 11:00", "ann", "A1", "MSFT", "BUY", 50, 400.0),
    (3, "2024-03-04 12:00", "bob", "B1", "AAPL", "SELL", 80, 171.0),
]
CFG = TradeAuditConfig(max_notional_per_trade=100_000, max_daily_notional_per_trader=150_000,
                       restricted_symbols=["XYZ"], concentration_threshold=0.6, concentration_min_trades=3)


def ids(df: pd.DataFrame) -> set[str]:
    return {f.rule_id for f in audit_trades(df, CFG)}


def test_clean_blotter_has_no_findings() -> None:
    assert ids(blotter(BASE)) == set()


@pytest.mark.parametrize(
    ("extra", "rule", "near_miss"),
    [
        ((9, "2024-03-04 13:00", "bob", "B1", "NVDA", "BUY", 200, 600.0), "TRD-LIMIT-TRADE",
         (9, "2024-03-04 13:00", "bob", "B1", "NVDA", "BUY", 100, 600.0)),
        ((9, "2024-03-04 13:00", "ann", "A1", "XYZ", "BUY", 1, 10.0), "TRD-RESTRICTED",
         (9, "2024-03-04 13:00", "ann", "A1", "XY", "BUY", 1, 10.0)),
        ((9, "2024-03-04 10:20", "ann", "A1", "AAPL", "SELL", 100, 170.5), "TRD-WASH",
         (9, "2024-03-04 11:20", "ann", "A1", "AAPL", "SELL", 100, 170.5)),
        ((9, "2024-03-04 17:30", "bob", "B1", "IBM", "BUY", 10, 100.0), "TRD-HOURS",
         (9, "2024-03-04 15:59", "bob", "B1", "IBM", "BUY", 10, 100.0)),
    ],
)
def test_trade_rule_positive_and_near_miss(extra: tuple, rule: str, near_miss: tuple) -> None:
    assert rule in ids(blotter([*BASE, extra]))
    assert rule not in ids(blotter([*BASE, near_miss]))


def test_daily_limit_and_concentration() -> None:
    rows = [(i, f"2024-03-05 1{i}:00", "cat", "C1", "TSLA", "BUY", 100, 500.0) for i in range(4)]
    found = audit_trades(blotter(rows), CFG)
    assert {f.rule_id for f in found} == {"TRD-LIMIT-DAY", "TRD-CONC"}
    day = next(f for f in found if f.rule_id == "TRD-LIMIT-DAY")
    assert day.row == "cat@2024-03-05" and "200,000.00" in day.explanation
    spread = rows[:2] + [(5 + i, "2024-03-05 14:00", "cat", "C1", "F", "BUY", 100, 500.0) for i in range(2)]
    assert "TRD-CONC" not in ids(blotter(spread))


def test_weekend_is_after_hours_and_input_unchanged() -> None:
    df = blotter([(1, "2024-03-09 10:00", "ann", "A1", "AAPL", "BUY", 1, 1.0)])
    before = df.copy()
    assert ids(df) == {"TRD-HOURS"}
    pd.testing.assert_frame_equal(df, before)


def test_bad_blotter_lists_all_problems() -> None:
    with pytest.raises(InvalidDataError) as err:
        audit_trades(pd.DataFrame({"trade_id": [1]}))
    assert len(err.value.problems) == 7
    bad = blotter([(1, "not a date", "a", "b", "c", "HOLD", 1, 1.0)])
    with pytest.raises(InvalidDataError, match="side must be BUY or SELL"):
        audit_trades(bad)
