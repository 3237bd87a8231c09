"""Per-account rolling state (1 h / 24 h / 30 d windows, usual places and habits) and features.

Every event is first turned into a feature vector from the state *before* it, then added to the
state. The windows keep the account's last 30 days of events in arrival order with three moving
start pointers, so adding an event costs O(1) amortised. Everything is plain Python so one
state is a JSON document (see :class:`StateStore`).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from finloom._io import atomic_write_text
from finloom.apps.monitoring.transactions._events import Event, EventRejected

__all__ = ["FEATURES", "AccountState", "StateStore"]

FEATURES = (
    "log_amount",
    "amount_z",
    "n_1h",
    "n_24h",
    "n_30d",
    "log_out_24h",
    "log_in_24h",
    "in_24h",
    "out_in_ratio_24h",
    "new_counterparty",
    "new_cp_24h",
    "new_country",
    "is_abroad",
    "new_device",
    "new_dev_24h",
    "new_category",
    "hour_share",
    "days_since_last",
    "history",
    "small_1h",
    "round_24h",
    "near_30d",
    "is_near",
    "is_round",
    "is_in",
    "channel",
    "category",
    "rate_ratio_24h",
    "out_ratio_24h",
    "amount_vs_max",
    "new_payee_out",
    "new_payers_24h",
    "in_30d",
)
_CHANNELS = {"pos": 1.0, "online": 2.0, "atm": 3.0, "transfer": 4.0, "branch": 5.0}
_CATEGORIES = {
    c: float(i + 1)
    for i, c in enumerate(
        [
            "groceries",
            "restaurants",
            "fuel",
            "online_retail",
            "travel",
            "utilities",
            "cash",
            "transfer",
            "salary",
            "cash_deposit",
        ]
    )
}
_H, _D, _M = 3600.0, 86400.0, 30 * 86400.0
_SMALL, _OUT_OF_ORDER_S = 10.0, 300.0
# per-event record kept in the 30-day window (ts, then the flags and sums the windows count):
# ts, out amount, in amount, is in, small, round, near threshold, new payee, new device, new payer
_TS, _OUT, _IN, _ISIN, _SM, _RD, _NR, _NC, _ND, _NP = range(10)


def _log(x: float) -> float:
    return math.log1p(x) if x > 0 else 0.0


class AccountState:
    """The rolling state of one account.

    Examples
    --------
    >>> from finloom.apps.monitoring.transactions._events import Event
    >>> s = AccountState()
    >>> for i in range(3):
    ...     _ = s.observe(Event(f"e{i}", "A", 1000.0 * i, 20.0, country="GB"), threshold=10_000)
    >>> s.n_total, s.w1h[0], s.w30d[0]
    (3, 3.0, 3.0)
    """

    __slots__ = (
        "events",
        "starts",
        "w1h",
        "w24h",
        "w30d",
        "mean",
        "var",
        "n_out",
        "n_total",
        "last_ts",
        "first_ts",
        "max_out",
        "counterparties",
        "countries",
        "devices",
        "categories",
        "hours",
        "home",
        "risk",
    )

    def __init__(self) -> None:
        self.events: list[list[float]] = []
        self.starts = [0, 0, 0]  # first index inside the 1 h, 24 h, 30 d window
        self.w1h = [0.0] * 3  # count, small, new payee
        self.w24h = [0.0] * 8  # count, out, in, in count, round, new payee, new device, new payer
        self.w30d = [0.0] * 4  # count, out, in count, near threshold
        self.mean, self.var, self.n_out, self.n_total = 0.0, 1.0, 0, 0
        self.last_ts, self.first_ts, self.max_out = -math.inf, math.inf, 0.0
        self.counterparties: dict[str, int] = {}
        self.countries: dict[str, int] = {}
        self.devices: dict[str, int] = {}
        self.categories: dict[str, int] = {}
        self.hours = [0] * 24
        self.home = ""
        self.risk = [-math.inf, 0.0, 0.0]  # the scorer's memory of recent scores (time, 6 h, 48 h)

    def _expire(self, ts: float) -> None:
        events, n = self.events, len(self.events)
        i, a, edge = self.starts[0], self.w1h, ts - _H
        while i < n and events[i][_TS] <= edge:
            e = events[i]
            a[0] -= 1
            a[1] -= e[_SM]
            a[2] -= e[_NC]
            i += 1
        self.starts[0] = i
        i, a, edge = self.starts[1], self.w24h, ts - _D
        while i < n and events[i][_TS] <= edge:
            e = events[i]
            a[0] -= 1
            a[1] -= e[_OUT]
            a[2] -= e[_IN]
            a[3] -= e[_ISIN]
            a[4] -= e[_RD]
            a[5] -= e[_NC]
            a[6] -= e[_ND]
            a[7] -= e[_NP]
            i += 1
        self.starts[1] = i
        i, a, edge = self.starts[2], self.w30d, ts - _M
        while i < n and events[i][_TS] <= edge:
            e = events[i]
            a[0] -= 1
            a[1] -= e[_OUT]
            a[2] -= e[_ISIN]
            a[3] -= e[_NR]
            i += 1
        self.starts[2] = i
        if i > 256:  # drop what left every window
            del self.events[:i]
            self.starts = [s - i for s in self.starts]

    def observe(self, event: Event, *, threshold: float) -> list[float]:
        """Return the event's features (from the state before it), then add it to the state."""
        if event.ts < self.last_ts - _OUT_OF_ORDER_S:
            raise EventRejected(
                "out_of_order",
                f"timestamp must not be more than {_OUT_OF_ORDER_S:.0f} s "
                f"before the account's last event; got {event.ts - self.last_ts:.0f} s. "
                "Replay events in time order per account.",
            )
        self._expire(event.ts)
        features = self._features(event, threshold)
        self._add(event, features)
        return features

    def _features(self, e: Event, threshold: float) -> list[float]:
        h, d, m = self.w1h, self.w24h, self.w30d
        is_in = e.direction == "in"
        amount = e.amount
        la = _log(amount)
        sd = math.sqrt(self.var) if self.n_out > 1 else 1.0
        z = (la - self.mean) / max(sd, 0.3) if self.n_out > 1 and not is_in else 0.0
        out_24 = d[1] + (0.0 if is_in else amount)
        hour = int(e.ts // 3600 % 24)
        seen = self.n_total > 0
        new_cp = 1.0 if seen and e.counterparty not in self.counterparties else 0.0
        return [
            la,
            z,
            h[0],
            d[0],
            m[0],
            _log(out_24),
            _log(d[2]),
            d[3],
            out_24 / (d[2] + 1.0),
            new_cp,
            d[5],
            float(seen and e.country not in self.countries),
            float(e.country != (self.home or e.country)),
            float(seen and e.device not in self.devices),
            d[6],
            float(seen and e.category not in self.categories),
            self.hours[hour] / self.n_total if seen else 1.0,
            min((e.ts - self.last_ts) / _D, 365.0) if seen else 0.0,
            _log(self.n_total),
            h[1],
            d[4],
            m[3],
            1.0 if 0.5 * threshold <= amount < threshold else 0.0,
            1.0 if amount >= 100 and amount % 10 == 0 else 0.0,
            float(is_in),
            _CHANNELS.get(e.channel, 0.0),
            _CATEGORIES.get(e.category, 0.0),
            (d[0] + 1) / (m[0] / 30 + 1),
            out_24 / (m[1] / 30 + 10),
            0.0 if is_in else amount / (self.max_out + 1.0),
            new_cp if not is_in and e.category == "transfer" else 0.0,
            d[7],
            m[2],
        ]

    def _add(self, e: Event, f: list[float]) -> None:
        is_in = e.direction == "in"
        out, inn = (0.0, e.amount) if is_in else (e.amount, 0.0)
        rec = [
            e.ts,
            out,
            inn,
            float(is_in),
            float(e.amount <= _SMALL and not is_in),
            f[23],
            f[22],
            f[9],
            f[13],
            f[9] if is_in else 0.0,
        ]
        self.events.append(rec)
        h, d, m = self.w1h, self.w24h, self.w30d
        h[0] += 1
        h[1] += rec[_SM]
        h[2] += rec[_NC]
        d[0] += 1
        d[1] += out
        d[2] += inn
        d[3] += rec[_ISIN]
        d[4] += rec[_RD]
        d[5] += rec[_NC]
        d[6] += rec[_ND]
        d[7] += rec[_NP]
        m[0] += 1
        m[1] += out
        m[2] += rec[_ISIN]
        m[3] += rec[_NR]
        if not is_in:  # exponentially weighted baseline of the log amount
            self.n_out += 1
            alpha = max(1.0 / self.n_out, 0.02)
            delta = f[0] - self.mean
            self.mean += alpha * delta
            self.var = (1 - alpha) * (self.var + alpha * delta * delta) if self.n_out > 1 else 1.0
            self.max_out = max(self.max_out, out)
        for table, key in (
            (self.counterparties, e.counterparty),
            (self.countries, e.country),
            (self.devices, e.device),
            (self.categories, e.category),
        ):
            table[key] = table.get(key, 0) + 1
        if self.countries[e.country] > self.countries.get(self.home, 0):
            self.home = e.country
        if len(self.counterparties) > 2000:  # keep the usual ones
            self.counterparties = {k: v for k, v in self.counterparties.items() if v > 1}
        self.hours[int(e.ts // 3600 % 24)] += 1
        self.n_total += 1
        self.last_ts = max(self.last_ts, e.ts)
        self.first_ts = min(self.first_ts, e.ts)

    def to_dict(self) -> dict[str, Any]:
        """The state as JSON-ready values."""
        return {k: getattr(self, k) for k in self.__slots__}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AccountState:
        """Rebuild a state written by :meth:`to_dict`."""
        state = cls()
        for k in cls.__slots__:
            if k in data:  # states saved before a field existed keep its default
                setattr(state, k, data[k])
        return state


class StateStore:
    """All account states of one scorer, saved to and loaded from one JSON file.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.apps.monitoring.transactions._events import Event
    >>> store = StateStore()
    >>> _ = store.observe(Event("e1", "A", 0.0, 10.0), threshold=10_000)
    >>> path = store.save(tempfile.mkdtemp() + "/state.json")
    >>> StateStore.load(path).get("A").n_total
    1
    """

    def __init__(self) -> None:
        self.accounts: dict[str, AccountState] = {}

    def get(self, account_id: str) -> AccountState:
        """The account's state, created empty on first use."""
        state = self.accounts.get(account_id)
        if state is None:
            state = self.accounts[account_id] = AccountState()
        return state

    def observe(self, event: Event, *, threshold: float) -> list[float]:
        """Features of ``event`` from its account's state, then update that state."""
        return self.get(event.account_id).observe(event, threshold=threshold)

    def risk_memory(self, account_id: str) -> list[float]:
        """The scorer's mutable record of the account's recent scores (time, 6 h, 48 h).

        Examples
        --------
        >>> StateStore().risk_memory("A")
        [-inf, 0.0, 0.0]
        """
        return self.get(account_id).risk

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write every state atomically (temporary file + rename); returns the path."""
        data = {a: s.to_dict() for a, s in self.accounts.items()}
        return atomic_write_text(Path(path), json.dumps(data, separators=(",", ":")))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> StateStore:
        """Read a file written by :meth:`save`."""
        store = cls()
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        for account, data in raw.items():
            store.accounts[account] = AccountState.from_dict(data)
        return store
