"""The core-banking interface the assistant's tasks call, and a deterministic simulation of it.

A real adapter implements :class:`CoreBanking` against the bank's systems; the simulation
gives every customer id the same plausible cards, accounts and transactions on every run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

import numpy as np

from finloom.errors import ConflictError, NotFoundError

__all__ = ["Account", "Card", "CoreBanking", "Dispute", "SimulatedCoreBanking", "Transaction"]

DISPUTE_REASONS = ("unauthorised", "duplicate", "not_received", "wrong_amount", "other")
_MERCHANTS = ("FreshMart Supermarket", "Metro Transit", "Sky Coffee", "BookNest Online",
              "CityPower Utilities", "Golden Dragon Restaurant", "StreamPlus Subscription",
              "QuickRide Taxi", "HomeStyle Furniture", "PharmaCare")


@dataclass(frozen=True)
class Card:
    """A payment card: ``kind`` debit/credit, ``status`` active/frozen/cancelled."""

    id: str
    kind: str
    product: str
    last4: str
    status: str = "active"


@dataclass(frozen=True)
class Account:
    """A deposit account with its ledger and available balances (CNY)."""

    id: str
    kind: str
    last4: str
    currency: str
    balance: float
    available: float


@dataclass(frozen=True)
class Transaction:
    """A posted card or account transaction; negative ``amount`` is money out."""

    id: str
    account_id: str
    date: dt.date
    merchant: str
    amount: float
    currency: str = "CNY"
    card_last4: str | None = None


@dataclass(frozen=True)
class Dispute:
    """A dispute case opened on a transaction."""

    reference: str
    transaction_id: str
    reason: str
    amount: float
    status: str = "received"


@runtime_checkable
class CoreBanking(Protocol):
    """What the assistant needs from the bank's systems; every method is per customer."""

    def list_cards(self, customer_id: str) -> list[Card]:
        """The customer's cards (any status)."""
        ...

    def list_accounts(self, customer_id: str) -> list[Account]:
        """The customer's deposit accounts."""
        ...

    def recent_transactions(self, customer_id: str, account_id: str, *, limit: int = 5
                            ) -> list[Transaction]:
        """Most recent transactions first."""
        ...

    def freeze_card(self, customer_id: str, card_id: str) -> Card:
        """Freeze an active card; ConflictError when it is not active."""
        ...

    def report_lost_card(self, customer_id: str, card_id: str) -> Card:
        """Cancel a card reported lost/stolen and order a replacement; returns the cancelled card."""
        ...

    def open_dispute(self, customer_id: str, transaction_id: str, reason: str) -> Dispute:
        """Open a dispute on one transaction; returns the case with its DSP reference."""
        ...


def _seed(customer_id: str) -> int:
    return int.from_bytes(hashlib.sha256(customer_id.encode()).digest()[:8], "big")


class SimulatedCoreBanking:
    """An in-memory :class:`CoreBanking` whose data is derived from the customer id.

    Parameters
    ----------
    today : the simulated current date (transactions are dated before it).

    Examples
    --------
    >>> bank = SimulatedCoreBanking(today=dt.date(2026, 3, 1))
    >>> [c.kind for c in bank.list_cards("demo")]
    ['debit', 'credit']
    >>> card = bank.list_cards("demo")[0]
    >>> bank.freeze_card("demo", card.id).status
    'frozen'
    """

    def __init__(self, *, today: dt.date | None = None) -> None:
        self.today = today
        self._cards: dict[str, list[Card]] = {}
        self._accounts: dict[str, list[Account]] = {}
        self._transactions: dict[str, list[Transaction]] = {}
        self._disputes: dict[str, list[Dispute]] = {}
        self._lock = threading.Lock()

    def _ensure(self, customer_id: str) -> None:
        if customer_id in self._cards:
            return
        rng = np.random.default_rng(_seed(customer_id))
        d4, c4, e4, s4 = (f"{int(x):04d}" for x in rng.integers(1000, 9999, size=4))
        self._cards[customer_id] = [
            Card(f"{customer_id}-debit", "debit", "Loom Debit", d4),
            Card(f"{customer_id}-credit", "credit", "Loom Gold", c4),
        ]
        everyday = round(float(rng.uniform(2_000, 60_000)), 2)
        saver = round(float(rng.uniform(5_000, 200_000)), 2)
        self._accounts[customer_id] = [
            Account(f"{customer_id}-everyday", "everyday", e4, "CNY", everyday, everyday),
            Account(f"{customer_id}-saver", "saver", s4, "CNY", saver, saver),
        ]
        today = self.today or dt.date.today()
        txs = []
        for i in range(12):
            amount = -round(float(rng.lognormal(4.5, 1.0)), 2)
            txs.append(Transaction(
                f"{customer_id}-tx{i:02d}", f"{customer_id}-everyday",
                today - dt.timedelta(days=int(i * 2 + rng.integers(0, 2))),
                _MERCHANTS[int(rng.integers(len(_MERCHANTS)))], amount, "CNY", d4))
        self._transactions[customer_id] = txs
        self._disputes[customer_id] = []

    def _card(self, customer_id: str, card_id: str) -> tuple[int, Card]:
        for i, card in enumerate(self._cards[customer_id]):
            if card.id == card_id:
                return i, card
        raise NotFoundError(f"card_id must be one of the customer's cards; got {card_id!r}.")

    def list_cards(self, customer_id: str) -> list[Card]:
        with self._lock:
            self._ensure(customer_id)
            return list(self._cards[customer_id])

    def list_accounts(self, customer_id: str) -> list[Account]:
        with self._lock:
            self._ensure(customer_id)
            return list(self._accounts[customer_id])

    def recent_transactions(self, customer_id: str, account_id: str, *, limit: int = 5
                            ) -> list[Transaction]:
        with self._lock:
            self._ensure(customer_id)
            if account_id not in {a.id for a in self._accounts[customer_id]}:
                raise NotFoundError(f"account_id must be one of the customer's accounts; got "
                                    f"{account_id!r}.")
            txs = [t for t in self._transactions[customer_id] if t.account_id == account_id]
        return sorted(txs, key=lambda t: t.date, reverse=True)[:limit]

    def _set_status(self, customer_id: str, card_id: str, status: str) -> Card:
        with self._lock:
            self._ensure(customer_id)
            i, card = self._card(customer_id, card_id)
            if card.status == "cancelled" or card.status == status:
                raise ConflictError(f"card status must be active to become {status}; got "
                                    f"'{card.status}' for the card ending {card.last4}.")
            new = replace(card, status=status)
            self._cards[customer_id][i] = new
        return new

    def freeze_card(self, customer_id: str, card_id: str) -> Card:
        return self._set_status(customer_id, card_id, "frozen")

    def report_lost_card(self, customer_id: str, card_id: str) -> Card:
        return self._set_status(customer_id, card_id, "cancelled")

    def open_dispute(self, customer_id: str, transaction_id: str, reason: str) -> Dispute:
        if reason not in DISPUTE_REASONS:
            raise ValueError(f"reason must be one of {list(DISPUTE_REASONS)}; got {reason!r}.")
        with self._lock:
            self._ensure(customer_id)
            tx = next((t for t in self._transactions[customer_id] if t.id == transaction_id), None)
            if tx is None:
                raise NotFoundError(f"transaction_id must be one of the customer's transactions; "
                                    f"got {transaction_id!r}.")
            cases = self._disputes[customer_id]
            ref = f"DSP-{_seed(customer_id + transaction_id) % 10**8:08d}"
            if any(c.transaction_id == transaction_id for c in cases):
                raise ConflictError(f"transaction must not already be disputed; got {transaction_id!r}"
                                    f" with an open case. Quote the existing reference.")
            case = Dispute(ref, transaction_id, reason, abs(tx.amount))
            cases.append(case)
        return case
