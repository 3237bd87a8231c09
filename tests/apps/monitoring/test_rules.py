"""Each shipped rule fires on a hand-made sequence of events and stays quiet on ordinary ones."""

from __future__ import annotations

import pytest

from finloom.apps.monitoring.transactions import Event, StateStore, load_rules, parse_rules
from finloom.errors import ConfigError

H, D = 3600.0, 86400.0
RULES = load_rules()


def _history(n: int = 30, *, t0: float = 0.0, amount: float = 40.0) -> list[Event]:
    """An ordinary account: a grocery payment at the usual shop, at noon, every day."""
    return [
        Event(
            f"h{i}",
            "A",
            t0 + i * D + 12 * H,
            amount + i % 5,
            category="groceries",
            channel="pos",
            country="GB",
            device="phone",
            counterparty="M-shop",
        )
        for i in range(n)
    ]


def _fired(events: list[Event]) -> list[list[str]]:
    state = StateStore()
    return [
        [RULES.names[k] for k in RULES.evaluate(state.observe(e, threshold=RULES.threshold))]
        for e in events
    ]


def _last(tail: list[Event], history: list[Event] | None = None) -> list[str]:
    return _fired((history if history is not None else _history()) + tail)[-1]


def _at(t: float, **kw: object) -> Event:
    base = {
        "event_id": f"x{t}",
        "account_id": "A",
        "ts": t,
        "amount": 40.0,
        "category": "groceries",
        "channel": "pos",
        "country": "GB",
        "device": "phone",
        "counterparty": "M-shop",
    }
    return Event(**{**base, **kw})  # type: ignore[arg-type]


T = 30 * D + 12 * H


def test_ordinary_history_fires_nothing_after_the_first_days() -> None:
    assert all(not fired for fired in _fired(_history())[3:])


def test_velocity() -> None:
    assert "velocity" in _last([_at(T + 60 * i) for i in range(6)])


def test_amount_above_baseline() -> None:
    assert "amount_above_baseline" in _last([_at(T, amount=900.0)])
    assert "amount_above_baseline" not in _last([_at(T, amount=45.0)])


def test_new_country() -> None:
    assert "new_country" in _last([_at(T, country="BR")])


def test_new_merchant_category() -> None:
    assert "new_merchant_category" in _last([_at(T, category="travel")])


def test_structuring() -> None:
    deposits = [
        _at(
            T + i * D,
            amount=8_900.0 + i,
            direction="in",
            category="cash_deposit",
            counterparty="CASH",
        )
        for i in range(2)
    ]
    assert "structuring" in _last(deposits)
    assert "structuring" not in _last(deposits[:1])


def test_dormant_reactivation() -> None:
    assert "dormant_reactivation" in _last([_at(T + 40 * D)])


def test_round_amount_burst() -> None:
    assert "round_amount_burst" in _last([_at(T + i * H, amount=200.0) for i in range(3)])


def test_card_testing() -> None:
    probes = [
        _at(T + 60 * i, amount=1.5, counterparty=f"M-new{i}", channel="online") for i in range(3)
    ]
    assert "card_testing" in _last(probes)


def test_new_device_payment() -> None:
    assert "new_device_payment" in _last([_at(T, amount=500.0, device="laptop-x")])


def test_fan_in_and_fan_out() -> None:
    fan_in = [
        _at(T + i * 600, amount=700.0, direction="in", category="transfer", counterparty=f"P{i}")
        for i in range(5)
    ]
    assert "fan_in" in _last(fan_in)
    out = _at(T + 5 * 600 + 60, amount=3_000.0, category="transfer", counterparty="P-away")
    assert "fan_out" in _last([*fan_in, out])


def test_parse_rules_rejects_unknown_features_and_bad_conditions() -> None:
    with pytest.raises(ConfigError, match="Did you mean 'n_1h'"):
        parse_rules("rules: [{name: a, when: {n_1hh: '>= 3'}}]")
    with pytest.raises(ConfigError, match="'<op> <number>'"):
        parse_rules("rules: [{name: a, when: {n_1h: 'lots'}}]")
    with pytest.raises(ConfigError, match="unique name"):
        parse_rules("rules: [{name: a, when: {n_1h: '>= 1'}}, {name: a, when: {n_1h: '>= 2'}}]")
