"""The monitor's durable record: seen event ids, account states, alerts, cases and notes (SQLite).

One SQLite file per monitor. Every scored batch is committed in one transaction (event ids,
the touched accounts' states, alerts, case updates), so a consumer killed at any point either
committed a batch completely or not at all, and a redelivered event is recognised by its id.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from finloom.apps.monitoring.transactions._scorer import ScoredEvent
from finloom.apps.monitoring.transactions._state import AccountState
from finloom.errors import ConfigError, NotFoundError

__all__ = ["DISPOSITIONS", "AlertStore", "Case"]

DISPOSITIONS = ("fraud", "not_fraud", "escalated")
_CASE_COLUMNS = (
    "case_id",
    "account_id",
    "status",
    "assignee",
    "disposition",
    "opened",
    "updated",
    "max_risk",
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (event_id TEXT PRIMARY KEY, account_id TEXT, risk REAL);
CREATE TABLE IF NOT EXISTS state (account_id TEXT PRIMARY KEY, data TEXT);
CREATE TABLE IF NOT EXISTS cases (case_id INTEGER PRIMARY KEY AUTOINCREMENT, account_id TEXT,
    status TEXT, assignee TEXT, disposition TEXT, opened REAL, updated REAL, max_risk REAL);
CREATE TABLE IF NOT EXISTS alerts (event_id TEXT PRIMARY KEY, case_id INTEGER, account_id TEXT,
    ts REAL, amount REAL, risk REAL, reasons TEXT);
CREATE TABLE IF NOT EXISTS notes (case_id INTEGER, at REAL, author TEXT, text TEXT);
CREATE TABLE IF NOT EXISTS rejected (reason TEXT PRIMARY KEY, n INTEGER);
CREATE INDEX IF NOT EXISTS cases_open ON cases (account_id, status);
"""


@dataclass(frozen=True)
class Case:
    """A case: the alerts of one account while it is open, who works it and how it ended."""

    case_id: int
    account_id: str
    status: str
    assignee: str
    disposition: str
    opened: float
    updated: float
    max_risk: float
    alerts: tuple[dict[str, Any], ...] = ()
    notes: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The case as JSON-ready values."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


class AlertStore:
    """SQLite-backed record of one monitor.

    Examples
    --------
    >>> import tempfile
    >>> store = AlertStore(tempfile.mkdtemp() + "/m.sqlite")
    >>> store.new_ids(["a", "b"]), store.cases()
    (['a', 'b'], [])
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(
            self.path, timeout=30.0, isolation_level=None, check_same_thread=False
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def new_ids(self, event_ids: Sequence[str]) -> list[str]:
        """The ids of ``event_ids`` not committed yet (and not repeated within the list)."""
        seen: set[str] = set()
        for i in range(0, len(event_ids), 500):
            chunk = list(event_ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            seen.update(
                r[0]
                for r in self._db.execute(
                    f"SELECT event_id FROM seen WHERE event_id IN ({marks})", chunk
                )
            )
        out, local = [], set()
        for e in event_ids:
            if e not in seen and e not in local:
                out.append(e)
                local.add(e)
        return out

    def alert_cases(self, event_ids: Sequence[str]) -> dict[str, int]:
        """The case of each alerted event id (ids without an alert are left out)."""
        out: dict[str, int] = {}
        ids = list(event_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(
                (str(e), int(c))
                for e, c in self._db.execute(
                    f"SELECT event_id, case_id FROM alerts WHERE event_id IN ({marks})", chunk
                )
            )
        return out

    def load_states(self, accounts: Iterable[str]) -> dict[str, AccountState]:
        """The stored states of ``accounts`` (missing ones are left out)."""
        keys = list(set(accounts))
        out = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for account, data in self._db.execute(
                f"SELECT account_id, data FROM state WHERE account_id IN ({marks})", chunk
            ):
                out[account] = AccountState.from_dict(json.loads(data))
        return out

    def commit_batch(
        self,
        scored: Sequence[ScoredEvent],
        states: dict[str, AccountState],
        rejected: dict[str, int],
    ) -> list[int]:
        """Record a scored batch atomically; returns the ids of the cases that received alerts."""
        now = time.time()
        db, touched = self._db, []
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(
                "INSERT INTO seen VALUES (?, ?, ?)",
                [(s.event_id, s.account_id, s.risk) for s in scored],
            )
            db.executemany(
                "INSERT OR REPLACE INTO state VALUES (?, ?)",
                [(a, json.dumps(st.to_dict())) for a, st in states.items()],
            )
            for s in (s for s in scored if s.alert):
                touched.append(self._file_alert(s, now))
            for reason, n in rejected.items():
                db.execute(
                    "INSERT INTO rejected VALUES (?, ?) ON CONFLICT(reason) DO UPDATE SET n = n + ?",
                    (reason, n, n),
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return sorted(set(touched))

    def _file_alert(self, s: ScoredEvent, now: float) -> int:
        row = self._db.execute(
            "SELECT case_id FROM cases WHERE account_id = ? AND status = 'open'", (s.account_id,)
        ).fetchone()
        if row is None:
            case_id = int(
                self._db.execute(
                    "INSERT INTO cases (account_id, status, assignee, disposition, opened, updated, max_risk) "
                    "VALUES (?, 'open', '', '', ?, ?, ?)",
                    (s.account_id, now, now, s.risk),
                ).lastrowid
                or 0
            )
        else:
            case_id = int(row[0])
            self._db.execute(
                "UPDATE cases SET updated = ?, max_risk = MAX(max_risk, ?) WHERE case_id = ?",
                (now, s.risk, case_id),
            )
        self._db.execute(
            "INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                s.event_id,
                case_id,
                s.account_id,
                s.ts,
                s.amount,
                s.risk,
                json.dumps(list(s.reasons)),
            ),
        )
        return case_id

    # ------------------------------------------------------------------ cases
    def cases(
        self,
        *,
        status: str | None = None,
        assignee: str | None = None,
        account_id: str | None = None,
        limit: int = 200,
    ) -> list[Case]:
        """Cases, riskiest first, filtered by status, assignee and account."""
        where, args = [], []
        for col, value in (("status", status), ("assignee", assignee), ("account_id", account_id)):
            if value:
                where.append(f"{col} = ?")
                args.append(value)
        sql = "SELECT * FROM cases" + (" WHERE " + " AND ".join(where) if where else "")
        rows = self._db.execute(
            sql + " ORDER BY max_risk DESC, case_id LIMIT ?", [*args, int(limit)]
        ).fetchall()
        return [Case(**dict(zip(_CASE_COLUMNS, r, strict=True))) for r in rows]

    def case(self, case_id: int) -> Case:
        """One case with its alerts and notes."""
        row = self._db.execute("SELECT * FROM cases WHERE case_id = ?", (int(case_id),)).fetchone()
        if row is None:
            raise NotFoundError(f"case must exist; got id {case_id}. List the cases first.")
        alerts = tuple(
            {
                "event_id": a[0],
                "ts": a[3],
                "amount": a[4],
                "risk": a[5],
                "reasons": json.loads(a[6]),
            }
            for a in self._db.execute(
                "SELECT * FROM alerts WHERE case_id = ? ORDER BY ts", (case_id,)
            )
        )
        notes = tuple(
            {"at": n[1], "author": n[2], "text": n[3]}
            for n in self._db.execute(
                "SELECT * FROM notes WHERE case_id = ? ORDER BY at", (case_id,)
            )
        )
        return Case(**dict(zip(_CASE_COLUMNS, row, strict=True)), alerts=alerts, notes=notes)

    def update_case(
        self,
        case_id: int,
        *,
        assignee: str | None = None,
        note: str | None = None,
        author: str = "",
        disposition: str | None = None,
    ) -> Case:
        """Assign, add a note and/or close with a disposition (``fraud``, ``not_fraud``, ``escalated``)."""
        case = self.case(case_id)
        if disposition is not None and disposition not in DISPOSITIONS:
            raise ConfigError(
                f"disposition must be one of {list(DISPOSITIONS)}; got {disposition!r}."
            )
        if disposition is not None and case.status == "closed":
            raise ConfigError(f"case {case_id} must be open to close it; got status 'closed'.")
        now = time.time()
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            if assignee is not None:
                db.execute(
                    "UPDATE cases SET assignee = ?, updated = ? WHERE case_id = ?",
                    (assignee, now, case_id),
                )
            if note:
                db.execute("INSERT INTO notes VALUES (?, ?, ?, ?)", (case_id, now, author, note))
            if disposition is not None:
                db.execute(
                    "UPDATE cases SET status = 'closed', disposition = ?, updated = ? WHERE case_id = ?",
                    (disposition, now, case_id),
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return self.case(case_id)

    def counts(self) -> dict[str, Any]:
        """Events seen, alerts, open cases and rejections by reason."""
        one = self._db.execute
        return {
            "events": one("SELECT COUNT(*) FROM seen").fetchone()[0],
            "alerts": one("SELECT COUNT(*) FROM alerts").fetchone()[0],
            "open_cases": one("SELECT COUNT(*) FROM cases WHERE status = 'open'").fetchone()[0],
            "rejected": dict(one("SELECT reason, n FROM rejected").fetchall()),
        }
