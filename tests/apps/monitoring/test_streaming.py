"""The monitor: idempotent ingest, bad input counted, file replay, cases; Redis consumers that
survive being killed mid-stream with 0 lost and 0 duplicated events."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pandas as pd
import pytest

from finloom.apps.monitoring.transactions import (
    AlertStore,
    Monitor,
    TransactionScorer,
    read_event_file,
)
from finloom.synth.transactions import ANOMALY_TYPES, inject_anomalies, make_demo_tables

SRC = str(Path(__file__).resolve().parents[3] / "src")


def _stream(seed: int, rate: float, n: int = 120, days: int = 20) -> pd.DataFrame:
    _, tx = make_demo_tables(n, days=days, random_state=seed)
    return inject_anomalies(
        tx, rates=dict.fromkeys(ANOMALY_TYPES, rate), after="2024-01-08", random_state=seed
    )


def _raw(frame: pd.DataFrame) -> list[dict]:
    out = frame.rename(
        columns={
            "transaction_id": "event_id",
            "merchant_category": "category",
            "device_id": "device",
        }
    )
    out["timestamp"] = (out["timestamp"] - pd.Timestamp("1970-01-01")).dt.total_seconds()
    keep = [
        "event_id",
        "account_id",
        "timestamp",
        "amount",
        "category",
        "channel",
        "country",
        "device",
        "direction",
        "counterparty",
    ]
    return out[keep].to_dict(orient="records")


@pytest.fixture(scope="module")
def scorer_dir(tmp_path_factory) -> Path:
    scorer = TransactionScorer(n_estimators=20, window_size=500, warmup_days=7)
    scorer.fit(_stream(11, 0.04), _stream(12, 0.02))
    path = tmp_path_factory.mktemp("scorer") / "scorer"
    scorer.save(path)
    return path


@pytest.fixture()
def monitor(scorer_dir, tmp_path) -> Monitor:
    return Monitor(TransactionScorer.load(scorer_dir), AlertStore(tmp_path / "monitor.sqlite"))


def test_ingest_is_idempotent_and_files_alerts_into_cases(monitor) -> None:
    events = _raw(_stream(13, 0.03))
    first = monitor.ingest(events[:3000])
    again = monitor.ingest(events[:3000])
    assert first.accepted == 3000 and again.accepted == 0 and again.duplicates == 3000
    rest = monitor.ingest(events[3000:])
    counts = monitor.store.counts()
    assert counts["events"] == len(events) and counts["alerts"] == len(first.alerts) + len(
        rest.alerts
    )
    cases = monitor.store.cases(status="open")
    assert cases and len({c.account_id for c in cases}) == len(cases)  # one open case per account
    case = monitor.store.update_case(
        cases[0].case_id, assignee="ana", note="called the customer", author="ana"
    )
    closed = monitor.store.update_case(case.case_id, disposition="fraud")
    assert (
        closed.status == "closed"
        and closed.notes[0]["text"] == "called the customer"
        and closed.alerts
    )


def test_bad_input_is_rejected_with_a_reason_and_the_stream_keeps_flowing(monitor) -> None:
    good = {"event_id": "g1", "account_id": "A1", "timestamp": 1704103200, "amount": 10.0}
    raws = [
        b"{not json",
        json.dumps({**good, "event_id": "s1", "amount": "12.50"}),
        json.dumps({**good, "event_id": "c1", "currency": "ZZZ"}),
        json.dumps({**good, "event_id": "big", "blob": "x" * 10_000_000}),
        json.dumps(good),
        json.dumps({**good, "event_id": "late", "timestamp": 1704000000}),
    ]
    result = monitor.ingest(raws)
    assert result.accepted == 1
    assert result.rejected == {
        "malformed": 1,
        "bad_amount": 1,
        "unknown_currency": 1,
        "too_large": 1,
        "out_of_order": 1,
    }
    assert monitor.store.counts()["rejected"]["too_large"] == 1


def test_state_survives_a_restart_of_the_monitor(scorer_dir, tmp_path) -> None:
    events = _raw(_stream(14, 0.0, n=40, days=10))
    one = Monitor(TransactionScorer.load(scorer_dir), AlertStore(tmp_path / "a.sqlite"))
    one.ingest(events)
    first = Monitor(TransactionScorer.load(scorer_dir), AlertStore(tmp_path / "b.sqlite"))
    first.ingest(events[: len(events) // 2])
    restarted = Monitor(TransactionScorer.load(scorer_dir), AlertStore(tmp_path / "b.sqlite"))
    restarted.ingest(events[len(events) // 2 :])
    assert (
        restarted.state.get(events[-1]["account_id"]).n_total
        == one.state.get(events[-1]["account_id"]).n_total
    )


def test_replay_a_csv_file(monitor, tmp_path) -> None:
    frame = _stream(15, 0.0, n=20, days=5)
    frame.to_csv(tmp_path / "events.csv", index=False)
    results = list(monitor.replay(read_event_file(tmp_path / "events.csv"), batch=200))
    assert sum(r.accepted for r in results) == len(frame) and len(results) > 1


def _redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1)
    try:
        client.ping()
    except Exception:
        pytest.skip(
            "no Redis server on 127.0.0.1:6379 (scripts/setup.sh --with-test-tools starts one)"
        )
    return client


CONSUMER = """
import sys, redis
from finloom.apps.monitoring.transactions import AlertStore, Monitor, TransactionScorer, RedisConsumer
scorer_dir, db, stream, name, shards = sys.argv[1:6]
monitor = Monitor(TransactionScorer.load(scorer_dir), AlertStore(db))
client = redis.Redis(host="127.0.0.1", port=6379)
RedisConsumer(monitor, client, stream, name=name, shards=[int(s) for s in shards.split(",")],
              batch=100, block_ms=200).run(idle_polls=3)
"""


def _consumer(scorer_dir: Path, db: Path, stream: str, name: str, shards: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": SRC, "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", CONSUMER, str(scorer_dir), str(db), stream, name, shards], env=env
    )


def _seen(db: Path) -> int:
    try:
        with sqlite3.connect(db) as con:
            return int(con.execute("SELECT COUNT(*) FROM seen").fetchone()[0])
    except sqlite3.OperationalError:  # the consumer has not created its tables yet
        return 0


def test_killed_consumer_loses_and_duplicates_nothing(scorer_dir, tmp_path) -> None:
    from finloom.apps.monitoring.transactions import publish

    client = _redis()
    stream = f"finloom-test-{uuid.uuid4().hex[:8]}"
    events = _raw(_stream(16, 0.03, n=80, days=14))
    db = tmp_path / "monitor.sqlite"
    try:
        assert publish(client, stream, events, shards=2) == len(events)
        victim = _consumer(scorer_dir, db, stream, "c0", "0")
        other = _consumer(scorer_dir, db, stream, "c1", "1")
        deadline = time.time() + 60
        while (not db.exists() or _seen(db) < 400) and time.time() < deadline:
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)  # mid-stream, maybe mid-batch
        victim.wait()
        assert _seen(db) < len(events)
        restarted = _consumer(scorer_dir, db, stream, "c0", "0")
        assert restarted.wait(timeout=120) == 0 and other.wait(timeout=120) == 0
        with sqlite3.connect(db) as con:
            seen = con.execute("SELECT COUNT(*), COUNT(DISTINCT event_id) FROM seen").fetchone()
            applied = sum(
                json.loads(d)["n_total"] for (d,) in con.execute("SELECT data FROM state")
            )
            alerts = con.execute("SELECT COUNT(*), COUNT(DISTINCT event_id) FROM alerts").fetchone()
        assert seen == (len(events), len(events))  # 0 lost
        assert applied == len(events)  # each event entered the account state exactly once
        assert alerts[0] == alerts[1]
    finally:
        client.delete(f"{stream}:0", f"{stream}:1")
