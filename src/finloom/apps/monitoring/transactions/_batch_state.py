"""Columnar account state: the features of :class:`AccountState`, computed for a batch at once.

:class:`AccountState` walks one event at a time in plain Python (about 40 us per event on the
shared machine, more than the whole budget of 30,000 events/s). :class:`BatchStateStore` keeps
the same state in numpy arrays and computes a micro-batch's features in *rounds*: round ``r``
holds the ``r``-th event of every account in the batch, so within a round each account appears
once and the arithmetic is vectorised across accounts, while each account still sees its own
events strictly in arrival order. Only the look-ups of the usual counterparties, countries,
devices and categories stay per event (a few dictionary operations).

The rolling windows are a log of records (one per event) linked per account, each holding the
account's running totals *before* it; a window's sum is the account's total minus the totals
before the window's first record, and the window start moves forward along the account's chain
while records fall out of it (the same arrival-order walk as :class:`AccountState`). Records that
left every window are dropped when the log fills.

Batch and per-event scoring give identical features (the same arithmetic, element by element),
and they match :class:`AccountState` to floating-point rounding.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from finloom.apps.monitoring.transactions._events import Event, EventRejected
from finloom.apps.monitoring.transactions._state import (
    _CATEGORIES,
    _CHANNELS,
    _D,
    _H,
    _M,
    _OUT_OF_ORDER_S,
    _SMALL,
    FEATURES,
)

__all__ = ["BatchStateStore"]

# record values: count, out, in, is in, small, round, near threshold, new payee, new device, new payer
_K = 10
_CNT, _OUT, _IN, _ISIN, _SM, _RD, _NR, _NC, _ND, _NP = range(_K)
_WINDOWS = (_H, _D, _M)
_COUNTERPARTY_CAP = 2000


class BatchStateStore:
    """Every account's rolling state in arrays; :meth:`observe_batch` returns a feature matrix.

    Examples
    --------
    >>> from finloom.apps.monitoring.transactions._state import StateStore
    >>> events = [Event(f"e{i}", f"A{i % 3}", 600.0 * i, 20.0 + i, country="GB") for i in range(12)]
    >>> X, kept, rejected = BatchStateStore().observe_batch(events, threshold=10_000)
    >>> legacy = StateStore()
    >>> Y = np.array([legacy.observe(e, threshold=10_000) for e in events])
    >>> X.shape, bool(np.allclose(X, Y)), rejected
    ((12, 33), True, [])
    """

    n_total: np.ndarray
    n_out: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    last_ts: np.ndarray
    first_ts: np.ndarray
    max_out: np.ndarray
    hours: np.ndarray
    totals: np.ndarray
    last_rec: np.ndarray
    start: np.ndarray

    def __init__(self, *, capacity: int = 4096) -> None:
        self.slot_of: dict[str, int] = {}
        self.tables: list[tuple[dict[str, int], dict[str, int], dict[str, int], dict[str, int]]] = []
        self.home: list[str] = []
        self.risk: dict[str, list[float]] = {}
        self._accounts(16)
        cap = max(16, int(capacity))
        self.log_ts = np.zeros(cap)
        self.log_next = np.full(cap, -1, dtype=np.int64)
        self.log_owner = np.zeros(cap, dtype=np.int64)
        self.log_before = np.zeros((cap, _K))
        self.log_size = 0

    # ------------------------------------------------------------------ storage
    def _accounts(self, cap: int) -> None:
        """(Re)allocate the per-account arrays to ``cap`` rows, keeping what is there."""
        old = getattr(self, "n_total", None)
        n = 0 if old is None else len(old)

        def grow(name: str, fill: float, shape: tuple[int, ...] = (), dtype: type = float) -> None:
            new: np.ndarray = np.full((cap, *shape), fill, dtype=dtype)
            if n:
                new[:n] = getattr(self, name)
            setattr(self, name, new)

        grow("n_total", 0.0)
        grow("n_out", 0.0)
        grow("mean", 0.0)
        grow("var", 1.0)
        grow("last_ts", -np.inf)
        grow("first_ts", np.inf)
        grow("max_out", 0.0)
        grow("hours", 0.0, (24,))
        grow("totals", 0.0, (_K,))
        grow("last_rec", -1, (), np.int64)
        grow("start", -1, (3,), np.int64)

    def _slots(self, accounts: Sequence[str]) -> np.ndarray:
        slot_of, out = self.slot_of, []
        for a in accounts:
            s = slot_of.get(a)
            if s is None:
                s = slot_of[a] = len(slot_of)
                self.tables.append(({}, {}, {}, {}))
                self.home.append("")
            out.append(s)
        if len(slot_of) > len(self.n_total):
            self._accounts(max(2 * len(self.n_total), len(slot_of)))
        return np.asarray(out, dtype=np.int64)

    def risk_memory(self, account_id: str) -> list[float]:
        """The scorer's mutable record of the account's recent scores (time, 6 h, 48 h).

        Examples
        --------
        >>> BatchStateStore().risk_memory("A")
        [-inf, 0.0, 0.0]
        """
        rec = self.risk.get(account_id)
        if rec is None:
            rec = self.risk[account_id] = [-np.inf, 0.0, 0.0]
        return rec

    def __len__(self) -> int:
        return len(self.slot_of)

    def _reserve(self, extra: int) -> None:
        """Room for ``extra`` more records: drop records outside every window, else grow."""
        if self.log_size + extra <= len(self.log_ts):
            return
        n = self.log_size
        if n == 0:
            self._grow_empty(extra)
            return
        owner = self.log_owner[:n]
        first = self.start[owner, 2]  # the 30-day start is the earliest of the three
        keep = (first >= 0) & (np.arange(n) >= first)
        new_index = np.cumsum(keep) - 1
        kept = int(keep.sum())
        cap = len(self.log_ts)
        while kept + extra > cap // 2:
            cap *= 2
        ts, nxt, own, before = (
            np.zeros(cap),
            np.full(cap, -1, dtype=np.int64),
            np.zeros(cap, dtype=np.int64),
            np.zeros((cap, _K)),
        )
        ts[:kept], own[:kept], before[:kept] = (
            self.log_ts[:n][keep],
            owner[keep],
            self.log_before[:n][keep],
        )
        old_next = self.log_next[:n][keep]
        nxt[:kept] = np.where(old_next >= 0, new_index[np.maximum(old_next, 0)], -1)
        self.log_ts, self.log_next, self.log_owner, self.log_before = ts, nxt, own, before
        self.log_size = kept
        for arr in (self.start, self.last_rec):
            valid = arr >= 0
            moved = np.where(valid, new_index[np.maximum(arr, 0)], -1)
            alive = np.zeros_like(valid)
            alive[valid] = keep[arr[valid]]
            arr[...] = np.where(alive, moved, -1)

    def _grow_empty(self, extra: int) -> None:
        cap = len(self.log_ts)
        while extra > cap // 2:
            cap *= 2
        self.log_ts = np.zeros(cap)
        self.log_next = np.full(cap, -1, dtype=np.int64)
        self.log_owner = np.zeros(cap, dtype=np.int64)
        self.log_before = np.zeros((cap, _K))

    # ------------------------------------------------------------------ scoring
    def observe_batch(
        self, events: Sequence[Event], *, threshold: float
    ) -> tuple[np.ndarray, list[int], list[tuple[int, EventRejected]]]:
        """Features of every event (from its account's state before it), updating the state.

        Returns the feature matrix of the accepted events, their positions in ``events`` and
        the refused ``(position, reason)`` pairs (an event more than 5 minutes older than its
        account's last one is refused and changes nothing, as in :class:`AccountState`).
        """
        n = len(events)
        X = np.zeros((n, len(FEATURES)))
        if not n:
            return X, [], []
        slots = self._slots([e.account_id for e in events])
        ts = np.fromiter((e.ts for e in events), float, n)
        amount = np.fromiter((e.amount for e in events), float, n)
        is_in = np.fromiter((e.direction == "in" for e in events), bool, n)
        counts: dict[int, int] = {}
        occurrence = np.empty(n, dtype=np.int64)
        for i, s in enumerate(slots.tolist()):
            occurrence[i] = counts.get(s, 0)
            counts[s] = occurrence[i] + 1
        self._reserve(n)
        ok = np.ones(n, dtype=bool)
        rejected: list[tuple[int, EventRejected]] = []
        order = np.argsort(occurrence, kind="stable")
        bounds = np.searchsorted(occurrence[order], np.arange(int(occurrence.max()) + 2))
        for r in range(len(bounds) - 1):
            idx = order[bounds[r] : bounds[r + 1]]
            late = ts[idx] < self.last_ts[slots[idx]] - _OUT_OF_ORDER_S
            if late.any():
                for i in idx[late].tolist():
                    gap = ts[i] - self.last_ts[slots[i]]
                    rejected.append(
                        (
                            i,
                            EventRejected(
                                "out_of_order",
                                f"timestamp must not be more than {_OUT_OF_ORDER_S:.0f} s "
                                f"before the account's last event; got {gap:.0f} s. "
                                "Replay events in time order per account.",
                            ),
                        )
                    )
                ok[idx[late]] = False
                idx = idx[~late]
            if len(idx):
                self._round(events, idx, slots[idx], ts[idx], amount[idx], is_in[idx], X, threshold)
        rejected.sort(key=lambda p: p[0])
        kept = np.flatnonzero(ok)
        return X[kept], kept.tolist(), rejected

    def _expire(self, a: np.ndarray, ts: np.ndarray) -> None:
        next_, log_ts, start = self.log_next, self.log_ts, self.start
        for w, width in enumerate(_WINDOWS):
            ptr = start[a, w]
            live = np.flatnonzero(ptr >= 0)
            edge = ts - width
            while len(live):
                p = ptr[live]
                gone = log_ts[p] <= edge[live]
                if not gone.any():
                    break
                live = live[gone]
                ptr[live] = next_[p[gone]]
                live = live[ptr[live] >= 0]
            start[a, w] = ptr

    def _round(
        self,
        events: Sequence[Event],
        idx: np.ndarray,
        a: np.ndarray,
        ts: np.ndarray,
        amount: np.ndarray,
        is_in: np.ndarray,
        X: np.ndarray,
        threshold: float,
    ) -> None:
        """One round: every account at most once, so all of it is vectorised across accounts."""
        self._expire(a, ts)
        totals = self.totals[a]
        sums = []
        for w in range(3):
            p = self.start[a, w]
            sums.append(np.where((p >= 0)[:, None], totals - self.log_before[np.maximum(p, 0)], 0.0))
        h, d, m = sums
        n_total, n_out = self.n_total[a], self.n_out[a]
        mean, var, max_out = self.mean[a], self.var[a], self.max_out[a]
        seen = n_total > 0
        # the per-event look-ups, then their updates (each account once in a round)
        k = len(idx)
        flags: list[tuple[bool, bool, bool, bool, bool, float, float, bool]] = []
        add = flags.append
        tables, home, channels, categories_code = self.tables, self.home, _CHANNELS, _CATEGORIES
        for i, s, was_seen in zip(idx.tolist(), a.tolist(), seen.tolist(), strict=True):
            e = events[i]
            cps, countries, devices, categories = tables[s]
            cp, country, device, cat = e.counterparty, e.country, e.device, e.category
            add(
                (
                    was_seen and cp not in cps,
                    was_seen and country not in countries,
                    country != (home[s] or country),
                    was_seen and device not in devices,
                    was_seen and cat not in categories,
                    channels.get(e.channel, 0.0),
                    categories_code.get(cat, 0.0),
                    cat == "transfer",
                )
            )
            cps[cp] = cps.get(cp, 0) + 1
            n_country = countries[country] = countries.get(country, 0) + 1
            devices[device] = devices.get(device, 0) + 1
            categories[cat] = categories.get(cat, 0) + 1
            if n_country > countries.get(home[s], 0):
                home[s] = country
            if len(cps) > _COUNTERPARTY_CAP:
                tables[s] = ({c: v for c, v in cps.items() if v > 1}, countries, devices, categories)
        looked = np.array(flags, dtype=float).reshape(k, 8)
        new_cp, new_country, abroad = looked[:, 0], looked[:, 1], looked[:, 2]
        new_device, new_category = looked[:, 3], looked[:, 4]
        channel, category, transfer = looked[:, 5], looked[:, 6], looked[:, 7] > 0
        la = np.log1p(np.where(amount > 0, amount, 0.0))
        many = n_out > 1
        sd = np.where(many, np.sqrt(np.where(many, var, 1.0)), 1.0)
        z = np.where(many & ~is_in, (la - mean) / np.maximum(sd, 0.3), 0.0)
        out = np.where(is_in, 0.0, amount)
        out_24 = d[:, _OUT] + out
        hour = (ts // 3600 % 24).astype(np.int64)
        hour_count = self.hours[a, hour]
        is_near = (amount >= 0.5 * threshold) & (amount < threshold)
        is_round = (amount >= 100) & (np.mod(amount, 10) == 0)
        F = X[idx]
        F[:, 0] = la
        F[:, 1] = z
        F[:, 2] = h[:, _CNT]
        F[:, 3] = d[:, _CNT]
        F[:, 4] = m[:, _CNT]
        F[:, 5] = np.log1p(np.where(out_24 > 0, out_24, 0.0))
        F[:, 6] = np.log1p(np.where(d[:, _IN] > 0, d[:, _IN], 0.0))
        F[:, 7] = d[:, _ISIN]
        F[:, 8] = out_24 / (d[:, _IN] + 1.0)
        F[:, 9] = new_cp
        F[:, 10] = d[:, _NC]
        F[:, 11] = new_country
        F[:, 12] = abroad
        F[:, 13] = new_device
        F[:, 14] = d[:, _ND]
        F[:, 15] = new_category
        F[:, 16] = np.where(seen, hour_count / np.where(seen, n_total, 1.0), 1.0)
        F[:, 17] = np.where(seen, np.minimum((ts - self.last_ts[a]) / _D, 365.0), 0.0)
        F[:, 18] = np.log1p(n_total)
        F[:, 19] = h[:, _SM]
        F[:, 20] = d[:, _RD]
        F[:, 21] = m[:, _NR]
        F[:, 22] = is_near
        F[:, 23] = is_round
        F[:, 24] = is_in
        F[:, 25] = channel
        F[:, 26] = category
        F[:, 27] = (d[:, _CNT] + 1) / (m[:, _CNT] / 30 + 1)
        F[:, 28] = out_24 / (m[:, _OUT] / 30 + 10)
        F[:, 29] = np.where(is_in, 0.0, amount / (max_out + 1.0))
        F[:, 30] = np.where(~is_in & transfer, new_cp, 0.0)
        F[:, 31] = d[:, _NP]
        F[:, 32] = m[:, _ISIN]
        X[idx] = F
        # the records and the account's running totals
        values = np.zeros((k, _K))
        values[:, _CNT] = 1.0
        values[:, _OUT] = out
        values[:, _IN] = np.where(is_in, amount, 0.0)
        values[:, _ISIN] = is_in
        values[:, _SM] = (amount <= _SMALL) & ~is_in
        values[:, _RD] = is_round
        values[:, _NR] = is_near
        values[:, _NC] = new_cp
        values[:, _ND] = new_device
        values[:, _NP] = np.where(is_in, new_cp, 0.0)
        rec = np.arange(self.log_size, self.log_size + k)
        self.log_size += k
        self.log_ts[rec] = ts
        self.log_owner[rec] = a
        self.log_before[rec] = totals
        self.log_next[rec] = -1
        prev = self.last_rec[a]
        linked = prev >= 0
        self.log_next[prev[linked]] = rec[linked]
        self.last_rec[a] = rec
        start = self.start[a]
        start[start < 0] = np.broadcast_to(rec[:, None], start.shape)[start < 0]
        self.start[a] = start
        self.totals[a] = totals + values
        # the exponentially weighted baseline of the log amount (money out only)
        n_new = n_out + ~is_in
        alpha = np.maximum(1.0 / np.maximum(n_new, 1.0), 0.02)
        delta = la - mean
        upd = ~is_in
        self.mean[a] = np.where(upd, mean + alpha * delta, mean)
        self.var[a] = np.where(
            upd, np.where(n_new > 1, (1 - alpha) * (var + alpha * delta * delta), 1.0), var
        )
        self.max_out[a] = np.where(upd, np.maximum(max_out, out), max_out)
        self.n_out[a] = n_new
        self.hours[a, hour] += 1
        self.n_total[a] = n_total + 1
        self.last_ts[a] = np.maximum(self.last_ts[a], ts)
        self.first_ts[a] = np.minimum(self.first_ts[a], ts)
